using Trust.Platform.Hosting.Endpoints;

namespace Trust.Platform.Incidents.Features;

/// <summary>The platform's endpoint base, with the contract's words written where the generated document reads them.</summary>
public abstract class IncidentsEndpoint<TRequest, TResult> : PlatformEndpoint<TRequest, TResult>
    where TRequest : notnull
    where TResult : IResult
{
    /// <summary>
    /// <see cref="PlatformEndpoint{TRequest,TResult}.Document"/>, and the same summary and description in FastEndpoints' own
    /// summary: the NSwag document takes an operation's summary and description from there, not from the route metadata.
    /// </summary>
    // REVIEW: the template's Document() alone leaves every operation without a summary; once it writes FastEndpoints' summary itself, call it directly.
    protected void Describe(string tag, string summary, string description)
    {
        Document(tag, summary, description);
        Summary(s =>
        {
            s.Summary = summary;
            s.Description = description;
        });
    }
}

/// <summary>Examples for the contract, written as the API writes them (its JSON names and snake_case enums).</summary>
public static class ContractExamples
{
    private static readonly System.Text.Json.JsonSerializerOptions Wire = WireOptions();

    /// <summary>The document's own serializer (Newtonsoft) does not know the API's JSON rules: it is given the API's JSON as a token.</summary>
    public static Newtonsoft.Json.Linq.JToken AsWire<T>(T example) =>
        Newtonsoft.Json.Linq.JToken.Parse(System.Text.Json.JsonSerializer.Serialize(example, Wire));

    private static System.Text.Json.JsonSerializerOptions WireOptions()
    {
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        Trust.Platform.Hosting.ServiceDefaults.ConfigureJson(options);
        return options;
    }
}
