using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;

namespace Trust.Platform.TestSupport;

/// <summary>
/// The API reference is a golden file: the document a service generates must equal
/// <c>openapi/{service}.json</c>. Set TP_UPDATE_OPENAPI=1 to rewrite the files after an intended change.
/// </summary>
public static class OpenApiGolden
{
    /// <summary>True while a run refreshes the committed documents (TP_UPDATE_OPENAPI=1).</summary>
    public static bool Updating => Environment.GetEnvironmentVariable("TP_UPDATE_OPENAPI") == "1";

    public static async Task ShouldMatchAsync(HttpClient client, string service)
    {
        var generated = Normalise(await client.GetStringAsync("/openapi/v1.json"));
        var path = Path.Combine(RepositoryRoot(), "openapi", service + ".json");
        if (Updating)
        {
            await File.WriteAllTextAsync(path, generated);
        }

        File.Exists(path).Should().BeTrue($"{path} must exist; run the tests once with TP_UPDATE_OPENAPI=1 to create it");
        var committed = Normalise(await File.ReadAllTextAsync(path));
        generated.Should().Be(committed,
            $"the {service} API changed: review the change, then refresh openapi/{service}.json with TP_UPDATE_OPENAPI=1 bash deploy/test.sh");
    }

    private static string Normalise(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Trust.Platform.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Trust.Platform.sln not found above the test binaries.");
    }
}
