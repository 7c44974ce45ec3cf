using System.ClientModel;
using System.Net;
using System.Text.Json;
using AiGateway.MockProvider;
using AiGateway.MockProvider.Identity;
using AiGateway.TestKit;
using OpenAI.Chat;

namespace AiGateway.EndToEnd.Tests.Gateway;

/// <summary>
/// The official OpenAI SDK against an Azure OpenAI provider with <c>auth: {type: azure-entra}</c>: the gateway
/// gets client-credentials tokens from the mock's Entra ID endpoint (Azure.Identity over TLS) and sends them as
/// the only credential.
/// </summary>
public sealed class AzureEntraTests
{
    private const string Model = "gpt-4o-mini";
    private const string Tenant = "e2e-tenant";
    private const string ClientId = "e2e-gateway";
    private const string ClientSecret = "e2e-entra-secret-7f3a9c";

    private static Task<GatewayStack> StartAsync(string clientSecret) => GatewayStack.StartAsync(
        FixtureFiles.InRepository("tests/AiGateway.EndToEnd.Tests/Fixtures/azure-entra.gateway.yaml"),
        new MockProviderOptions
        {
            EntraClients = [new MockEntraClient(Tenant, ClientId, ClientSecret)],
            BearerTokenPrefixes = ["/entra/"],
            ServeHttps = true,
        },
        mock => new Dictionary<string, string>
        {
            ["AZURE_CLIENT_SECRET"] = clientSecret,
            ["ENTRA_AUTHORITY_HOST"] = mock.HttpsBaseAddress!.AbsoluteUri,
        });

    [Fact]
    public async Task Chat_reaches_azure_with_the_entra_bearer_token_and_no_api_key()
    {
        await using var stack = await StartAsync(ClientSecret);
        var chat = stack.OpenAiClient().GetChatClient(Model);

        var result = await chat.CompleteChatAsync([new UserChatMessage("Hello Azure")]);

        Assert.Equal("Mock reply to: Hello Azure", result.Value.Content[0].Text);
        Assert.Equal("azure-entra", result.GetRawResponse().Headers.TryGetValue("x-provider-used", out var used) ? used : null);
        var token = Assert.Single(stack.Provider.IssuedTokens.Snapshot());
        Assert.Equal((IssuedTokens.Entra, ClientId, "https://cognitiveservices.azure.com/.default"), (token.Issuer, token.Subject, token.Scope));
        var received = Assert.Single(stack.Provider.Requests, r => r.Path.EndsWith("/chat/completions?api-version=2024-10-21", StringComparison.Ordinal));
        Assert.Equal("/entra/openai/deployments/mini-deployment/chat/completions?api-version=2024-10-21", received.Path);
        Assert.Equal("Bearer " + token.Value, received.Header("authorization"));
        Assert.Null(received.Header("api-key"));
        Assert.Empty(stack.ExtProc.Logs.Errors);
    }

    [Fact]
    public async Task The_token_is_fetched_at_startup_and_reused_for_every_request()
    {
        await using var stack = await StartAsync(ClientSecret);
        await WaitUntil(() => stack.Provider.IssuedTokens.Snapshot().Count == 1);
        Assert.DoesNotContain(stack.Provider.Requests, r => r.Path.Contains("/openai/", StringComparison.Ordinal));
        var chat = stack.OpenAiClient().GetChatClient(Model);

        for (var i = 0; i < 5; i++)
        {
            await chat.CompleteChatAsync([new UserChatMessage("Request " + i)]);
        }

        var token = Assert.Single(stack.Provider.IssuedTokens.Snapshot());
        Assert.Single(stack.Provider.Requests, r => r.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal));
        var chats = stack.Provider.Requests.Where(r => r.Path.Contains("/openai/", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, chats.Count);
        Assert.All(chats, r => Assert.Equal("Bearer " + token.Value, r.Header("authorization")));
    }

    [Fact]
    public async Task A_refused_client_secret_gives_the_client_a_502_naming_the_cause_and_never_the_secret()
    {
        const string wrong = "wrong-entra-secret-d41d8c";
        await using var stack = await StartAsync(wrong);
        var chat = stack.OpenAiClient().GetChatClient(Model);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hello")]));

        Assert.Equal((int)HttpStatusCode.BadGateway, error.Status);
        using var body = JsonDocument.Parse(error.GetRawResponse()!.Content);
        var message = body.RootElement.GetProperty("error").GetProperty("message").GetString()!;
        Assert.StartsWith("The gateway could not authenticate to provider 'azure-entra': Microsoft Entra ID refused client 'e2e-gateway' of tenant 'e2e-tenant' (HTTP 401 invalid_client): AADSTS7000215: Invalid client secret provided.", message);
        Assert.Equal("upstream_auth_failed", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain(wrong, message);
        Assert.DoesNotContain(stack.Provider.Requests, r => r.Path.Contains("/openai/", StringComparison.Ordinal));
        Assert.Contains(stack.ExtProc.Logs.Entries, e => e.EventId.Name == "CredentialFetchFailed" && e.Message.Contains("AADSTS7000215", StringComparison.Ordinal));
        Assert.DoesNotContain(wrong, stack.ExtProc.Logs.AllText);
        Assert.DoesNotContain(ClientSecret, stack.ExtProc.Logs.AllText);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }
}
