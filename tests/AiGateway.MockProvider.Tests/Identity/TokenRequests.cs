using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using AiGateway.MockProvider.Identity;

namespace AiGateway.MockProvider.Tests.Identity;

/// <summary>Form posts to the mock's token endpoints and hand-made service-account assertions.</summary>
internal static class TokenRequests
{
    public const string Scope = "https://cognitiveservices.azure.com/.default";
    public const string GoogleScope = "https://www.googleapis.com/auth/cloud-platform";

    public static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, CancellationToken ct, params (string Name, string Value)[] fields) =>
        client.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))), ct);

    public static Task<HttpResponseMessage> EntraAsync(HttpClient client, string tenant, string clientId, string secret, CancellationToken ct, string scope = Scope) =>
        PostFormAsync(client, $"/{tenant}/oauth2/v2.0/token", ct, ("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", secret), ("scope", scope));

    public static Task<HttpResponseMessage> GoogleAsync(HttpClient client, string assertion, CancellationToken ct) =>
        PostFormAsync(client, "/token", ct, ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion));

    /// <summary>An RS256 JWT signed by <paramref name="key"/> with the given claims.</summary>
    public static string Assertion(MockServiceAccountKey key, IReadOnlyDictionary<string, object> claims, string alg = "RS256")
    {
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = alg, ["typ"] = "JWT", ["kid"] = key.KeyId }));
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = Encode(key.Sign(Encoding.ASCII.GetBytes(header + "." + payload)));
        return header + "." + payload + "." + signature;
    }

    /// <summary>The claims Google.Apis.Auth sends: iss, scope, aud, iat, exp (one hour).</summary>
    public static Dictionary<string, object> Claims(MockServiceAccountKey key, Uri audience, DateTimeOffset now) => new()
    {
        ["iss"] = key.Account.ClientEmail,
        ["scope"] = GoogleScope,
        ["aud"] = audience.AbsoluteUri,
        ["iat"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
    };

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return document.RootElement.Clone();
    }

    private static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
