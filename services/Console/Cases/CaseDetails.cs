using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Console.Gateway;
using Trust.Platform.Hosting.Time;

namespace Trust.Platform.Console.Cases;

/// <summary>One line of a case's type details as the case page shows it.</summary>
public sealed record DetailRow(string Key, string Label, string Value);

/// <summary>
/// A case's type details (the API's <c>details</c>: cyberbullying's victim and perpetrator, a contact's sender, the URLs of
/// inappropriate content, ...) in the words the report form asked for them: the form and the case page take their labels
/// from here, so what was asked is what is read back.
/// </summary>
public static class CaseDetails
{
    /// <summary>The question the report form asks for the API's detail field <paramref name="key"/>.</summary>
    public static string Label(string key) => key switch
    {
        "platform" => "Platform or site",
        "victim" => "Who was bullied",
        "perpetrator" => "Who is bullying them",
        "incidentAt" => "When it happened",
        "date" => "Date it was seen",
        "fullUrls" => "Full web addresses",
        "natureOfContent" => "What the content is",
        "personAccessing" => "Who reached it",
        "actionTaken" => "What has been done",
        "from" => "Who made contact",
        "contactKind" => "How",
        "staffResponded" => "Did the member of staff respond?",
        "action" => "What was done with the comment",
        "audienceInformed" => "Were the account's followers told why?",
        "accountId" => "Which official account",
        "kind" => "What kind of message",
        "receivedAt" => "When it arrived",
        "outlet" => "Newspaper, station or outlet",
        "contactedAt" => "When they made contact",
        "about" => "What they asked about",
        "provider" => "Filtering provider",
        "alertedAt" => "When the alert came",
        "alertReference" => "The alert's reference",
        "category" => "Category",
        _ => Problems.FieldWords(key) ?? key,
    };

    /// <summary>
    /// The order the report form asks them in, per type (the API stores details as jsonb, which keeps its own key order);
    /// a field not listed comes last.
    /// </summary>
    private static readonly string[] Order =
    [
        "victim", "perpetrator", "incidentAt", "date", "fullUrls", "natureOfContent", "personAccessing", "actionTaken", "from", "contactKind",
        "accountId", "platform", "staffResponded", "action", "audienceInformed", "kind", "receivedAt", "outlet", "contactedAt", "about",
        "provider", "alertedAt", "alertReference", "category",
    ];

    /// <summary>The fields whose values are the contract's codes (snake case), read as words; the rest are shown as typed.</summary>
    private static readonly HashSet<string> Coded = ["victim", "perpetrator", "from", "contactKind", "action", "kind"];

    /// <summary>The instants, read as the school's clocks show them.</summary>
    private static readonly HashSet<string> Instants = ["incidentAt", "receivedAt", "contactedAt", "alertedAt"];

    /// <summary>
    /// The details given, in the order the form asks them; fields left empty are left out. An official account is shown by
    /// <paramref name="accountName"/> (null when the reader may not see it in the register).
    /// </summary>
    public static IReadOnlyList<DetailRow> Rows(JsonNode? details, string? timeZone, string? accountName)
    {
        if (details is not JsonObject fields)
        {
            return [];
        }

        var rows = new List<DetailRow>();
        foreach (var (key, value) in fields)
        {
            if (value is null || value is JsonArray { Count: 0 } || (value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length == 0))
            {
                continue;
            }

            rows.Add(new DetailRow(key, Label(key), Value(key, value, timeZone, accountName)));
        }

        return [.. rows.OrderBy(r => Array.IndexOf(Order, r.Key) is >= 0 and var at ? at : int.MaxValue)];
    }

    private static string Value(string key, JsonNode value, string? timeZone, string? accountName)
    {
        var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        return key switch
        {
            "accountId" => accountName ?? "An official account you cannot see in the register",
            _ when Coded.Contains(key) && text is not null => CaseText.Words(text),
            _ when Instants.Contains(key) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) =>
                CaseText.When(at, timeZone),
            "date" when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) => Written.Date(day),
            _ => JsonValues.Display(value),
        };
    }
}
