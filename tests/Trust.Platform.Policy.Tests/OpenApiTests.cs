using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

[Collection(PolicyCollection.Name)]
public sealed class OpenApiTests(PolicyFixture fixture)
{
    [Fact]
    public async Task The_generated_api_reference_matches_the_committed_one()
    {
        using var client = fixture.Policy.ClientFor(null);
        await OpenApiGolden.ShouldMatchAsync(client, "policy");
    }
}
