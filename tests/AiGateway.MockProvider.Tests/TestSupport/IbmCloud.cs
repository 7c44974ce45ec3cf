using System.Text.Json;

namespace AiGateway.MockProvider.Tests.TestSupport;

/// <summary>Talks to the mock's IBM Cloud side: IAM token exchange and watsonx.ai calls with the token.</summary>
internal static class IbmCloud
{
    public const string ApiKey = "ibm-test-key-0123456789";
    public const string ChatPath = "/ml/v1/text/chat?version=2024-05-31";
    public const string StreamPath = "/ml/v1/text/chat_stream?version=2024-05-31";
    public const string EmbeddingsPath = "/ml/v1/text/embeddings?version=2024-05-31";

    public static Task<HttpResponseMessage> RequestTokenAsync(MockServerFixture mock, string form, string contentType = "application/x-www-form-urlencoded")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/identity/token")
        {
            Content = new StringContent(form, System.Text.Encoding.UTF8, contentType),
        };
        return mock.Client.SendAsync(request, mock.Ct);
    }

    /// <summary>A token for <see cref="ApiKey"/>.</summary>
    public static async Task<string> TokenAsync(MockServerFixture mock)
    {
        using var response = await RequestTokenAsync(mock, $"grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey={ApiKey}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(mock.Ct));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(mock.Ct));
        return document.RootElement.GetProperty("access_token").GetString()!;
    }

    public static Task<HttpResponseMessage> PostAsync(MockServerFixture mock, string path, string json, string? token, params (string Name, string Value)[] headers)
    {
        var all = token is null ? headers : [("authorization", "Bearer " + token), .. headers];
        return mock.SendAsync(HttpMethod.Post, path, json, HttpCompletionOption.ResponseContentRead, all);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, MockServerFixture mock) =>
        RequestJson.Parse(await response.Content.ReadAsStringAsync(mock.Ct));
}
