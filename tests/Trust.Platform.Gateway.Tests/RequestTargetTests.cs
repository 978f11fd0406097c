using Trust.Platform.Gateway.Security;

namespace Trust.Platform.Gateway.Tests;

/// <summary>The request-target rule on its own, without servers.</summary>
[Trait("Category", "Unit")]
public sealed class RequestTargetTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/policy")]
    [InlineData("/policy/")]
    [InlineData("/policy/v1/schools?limit=5&cursor=a%2Fb//c")]
    [InlineData("/policy/v1/policy/baseline/sla.response_hours")]
    [InlineData("/policy/v1/schools/0193f1a0-0000-7000-8000-000000000003/policy/sections/amendable%20text")]
    [InlineData("/training/v1/schools/x/people?updated_after=2026-01-01T00%3A00%3A00Z")]
    [InlineData("/docs/index.html")]
    [InlineData("/policy/v1/a...b/x..y/.hidden")]
    public void An_ordinary_path_is_allowed(string target) => RequestTarget.Check(target).Should().BeNull();

    [Theory]
    [InlineData("/policy//127.0.0.1:5103/health/ready", "empty_segment")]
    [InlineData("/policy/v1//schools", "empty_segment")]
    [InlineData("//evil.example/policy", "empty_segment")]
    [InlineData("/policy/../incidents/v1/cases", "dot_segment")]
    [InlineData("/policy/v1/..", "dot_segment")]
    [InlineData("/policy/./v1", "dot_segment")]
    [InlineData("/policy/%2E%2e/incidents", "dot_segment")]
    [InlineData("/policy/%252E%252E/incidents", "dot_segment")]
    [InlineData("/policy/%2F%2Fevil.example/x", "encoded_separator")]
    [InlineData("/policy/%252f%252fevil.example/x", "encoded_separator")]
    [InlineData("/policy/%25252F/x", "encoded_separator")]
    [InlineData("/policy/..%5Cincidents", "encoded_separator")]
    [InlineData("/policy/%255C", "encoded_separator")]
    [InlineData("/policy\\..\\incidents", "backslash")]
    [InlineData("/policy/http:/evil.example/x", "scheme")]
    [InlineData("/policy/HTTPS:/evil.example/x", "scheme")]
    [InlineData("/policy/http%3A%2F%2Fevil.example", "encoded_separator")]
    [InlineData("/policy/localhost:5103/x", "scheme")]
    [InlineData("/policy/a%00b", "control_character")]
    [InlineData("/policy/a%0D%0AX-Injected:%201", "control_character")]
    [InlineData("/policy/a%2525252525", "nested_encoding")]
    [InlineData("http://evil.example/policy/v1/schools", "not_origin_form")]
    [InlineData("*", "not_origin_form")]
    [InlineData("", "not_origin_form")]
    public void A_path_that_could_change_host_scheme_or_service_is_refused_naming_why(string target, string reason) =>
        RequestTarget.Check(target)!.Reason.Should().Be(reason);

    [Fact]
    public void Segments_are_read_fully_decoded_so_an_encoded_name_cannot_hide()
    {
        RequestTarget.Segments("/policy/%64ev/tokens?x=1").Should().Equal("policy", "dev", "tokens");
        RequestTarget.Segments("/policy/%2564ev/tokens").Should().Equal("policy", "dev", "tokens");
    }
}
