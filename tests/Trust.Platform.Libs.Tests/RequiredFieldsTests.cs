using System.Text.Json;
using NJsonSchema;
using NJsonSchema.Generation;
using Trust.Platform.Hosting;
using Trust.Platform.Hosting.Endpoints;

namespace Trust.Platform.Libs.Tests;

/// <summary>The contract's <c>required</c> and the server's JSON rules say the same thing about a body's fields.</summary>
[Trait("Category", "Unit")]
public sealed class RequiredFieldsTests
{
    public sealed record Approval(string ApproverName, DateOnly ApprovedOn, int Votes, string? Note, DateOnly? Until, IReadOnlyList<string> Bodies, string Channel = "email");

    public sealed class Settable
    {
        public string Name { get; init; } = "";
    }

    private static readonly JsonSerializerOptions Json = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ServiceDefaults.ConfigureJson(options);
        return options;
    }

    private static JsonSchema SchemaOf<T>()
    {
        var settings = new SystemTextJsonSchemaGeneratorSettings { SerializerOptions = Json };
        settings.SchemaProcessors.Add(new RequiredConstructorParameters());
        return JsonSchema.FromType<T>(settings);
    }

    [Fact]
    public void The_contract_requires_the_constructor_parameters_that_have_no_default_and_may_not_be_null()
    {
        var schema = SchemaOf<Approval>();

        Assert.Equal(["approvedOn", "approverName", "bodies", "votes"], schema.RequiredProperties.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_type_bound_by_its_setters_gets_nothing_from_its_constructor()
    {
        Assert.Empty(SchemaOf<Settable>().RequiredProperties);
    }

    [Fact]
    public void The_server_accepts_what_the_contract_leaves_optional()
    {
        var approval = JsonSerializer.Deserialize<Approval>("""{"approverName":"A Governor","approvedOn":"2026-12-05","votes":3,"bodies":[]}""", Json)!;

        Assert.Null(approval.Note);
        Assert.Null(approval.Until);
        Assert.Equal("email", approval.Channel);
    }

    [Theory]
    [InlineData("""{"approvedOn":"2026-12-05","votes":3,"bodies":[]}""", "approverName")]
    [InlineData("""{"approverName":"A Governor","votes":3,"bodies":[]}""", "approvedOn")]
    [InlineData("""{"approverName":"A Governor","approvedOn":"2026-12-05","bodies":[]}""", "votes")]
    [InlineData("""{"approverName":"A Governor","approvedOn":"2026-12-05","votes":3}""", "bodies")]
    public void The_server_refuses_a_body_without_a_field_the_contract_requires(string body, string missing)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Approval>(body, Json));

        Assert.Contains(missing, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_null_in_a_field_that_may_not_be_null_is_refused()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Approval>("""{"approverName":null,"approvedOn":"2026-12-05","votes":3,"bodies":[]}""", Json));
    }
}
