using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Story.Tests;

/// <summary>Callers of the story: every client talks to the gateway, never to a service directly.</summary>
public sealed class StoryClients(StoryFixture fixture)
{
    public HttpClient As(DevUser user)
    {
        var client = fixture.Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Policy.Token(user));
        return client;
    }

    public HttpClient WithKey(string apiKey)
    {
        var client = fixture.Gateway.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeySecret.HeaderName, apiKey);
        return client;
    }
}

public static class StoryHttp
{
    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response)
    {
        await Http.EnsureSuccessAsync(response);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string path) => await (await client.GetAsync(path)).JsonAsync();

    public static async Task<JsonNode> PostJsonAsync(this HttpClient client, string path, object body) =>
        await (await client.PostAsJsonAsync(path, body)).JsonAsync();

    /// <summary>PUT with the current ETag read from <paramref name="etagPath"/>, as a careful client does.</summary>
    public static async Task<HttpResponseMessage> PutWithETagAsync(this HttpClient client, string etagPath, string path, JsonNode? value)
    {
        var read = await client.GetAsync(etagPath);
        await Http.EnsureSuccessAsync(read);
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(new JsonObject { ["value"] = value?.DeepClone() }) };
        request.Headers.IfMatch.Add(read.Headers.ETag!);
        return await client.SendAsync(request);
    }

    /// <summary>Retries while the answer is one of <paramref name="waitingFor"/> (an event not yet arrived), then returns the answer.</summary>
    public static Task<HttpResponseMessage> WhileAsync(Func<Task<HttpResponseMessage>> send, string because, params HttpStatusCode[] waitingFor) =>
        Eventually.Until(send, r => !waitingFor.Contains(r.StatusCode), TimeSpan.FromSeconds(20), because);
}
