using System.ClientModel;
using System.ClientModel.Primitives;
using AiGateway.EnvoyHarness;
using AiGateway.MockProvider;
using AiGateway.TestKit;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;

namespace AiGateway.EndToEnd.Tests;

/// <summary>
/// The whole gateway on loopback: the Envoy stand-in running the shipped envoy/envoy.yaml, our extproc
/// with the shipped envoy/gateway.yaml, and the mock provider in place of the `mock-provider` container.
/// </summary>
public sealed class GatewayStack : IAsyncDisposable
{
    public const string OpenAiKey = "sk-e2e-openai";
    public const string VllmKey = "sk-e2e-vllm";
    public const string AzureKey = "e2e-azure-key";
    public const string AnthropicKey = "sk-ant-e2e";
    public const string GatewayKey = "gw-client-key-never-forwarded";

    private GatewayStack(MockProviderServer provider, ExtProcTestServer extProc, EnvoyHarness.EnvoyHarness envoy)
    {
        Provider = provider;
        ExtProc = extProc;
        Envoy = envoy;
    }

    public MockProviderServer Provider { get; }

    public ExtProcTestServer ExtProc { get; }

    public EnvoyHarness.EnvoyHarness Envoy { get; }

    public Uri BaseAddress => Envoy.BaseAddress;

    public static async Task<GatewayStack> StartAsync(Action<IServiceCollection>? configureExtProc = null)
    {
        // The mock rejects a request without its provider's key, so every test also proves key injection.
        var provider = await MockProviderServer.StartAsync(new MockProviderOptions
        {
            RequiredApiKeys = new Dictionary<string, IReadOnlyList<string>>
            {
                ["/v1/"] = [OpenAiKey],
                ["/compat/v1/"] = [VllmKey],
                ["/anthropic/"] = [AnthropicKey],
            },
        });
        var extProc = await ExtProcTestServer.StartAsync(
            FixtureFiles.InRepository("envoy/gateway.yaml"),
            configureExtProc,
            environment: new Dictionary<string, string> { ["OPENAI_API_KEY"] = OpenAiKey, ["VLLM_API_KEY"] = VllmKey, ["AZURE_OPENAI_API_KEY"] = AzureKey, ["ANTHROPIC_API_KEY"] = AnthropicKey });
        var envoy = await EnvoyHarness.EnvoyHarness.StartAsync(new EnvoyHarnessOptions
        {
            EnvoyYamlPath = FixtureFiles.InRepository("envoy/envoy.yaml"),
            AddressOverrides = new Dictionary<string, string>
            {
                ["extproc:50051"] = extProc.Address,
                ["mock-provider:8080"] = $"127.0.0.1:{provider.Port}",
            },
        });
        return new GatewayStack(provider, extProc, envoy);
    }

    /// <summary>The harness's record of the only request so far, once it is complete (the client may see the last byte first).</summary>
    public async Task<HarnessRequestRecord> SingleRecordAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var records = await Envoy.WaitForRequestsAsync(1, timeout.Token);
        return Assert.Single(records);
    }

    /// <summary>The official OpenAI SDK pointed at the gateway, with its own retries off.</summary>
    public OpenAIClient OpenAiClient() => new(new ApiKeyCredential(GatewayKey), new OpenAIClientOptions
    {
        Endpoint = new Uri(BaseAddress, "/v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = TimeSpan.FromSeconds(30),
    });

    /// <summary>
    /// The official Anthropic SDK pointed at the gateway (its own retries off). The SDK appends
    /// <c>/v1/messages</c> to <paramref name="pathPrefix"/>, e.g. <c>/anthropic</c>.
    /// </summary>
    public Anthropic.AnthropicClient AnthropicClient(string pathPrefix = "") => new(new Anthropic.Core.ClientOptions
    {
        BaseUrl = new Uri(BaseAddress, pathPrefix).ToString().TrimEnd('/'),
        ApiKey = GatewayKey,
        MaxRetries = 0,
        Timeout = TimeSpan.FromSeconds(30),
    });

    /// <summary>A plain HTTP client for what the SDK cannot send (extra body fields, broken JSON).</summary>
    public HttpClient HttpClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        await Envoy.DisposeAsync();
        await ExtProc.DisposeAsync();
        await Provider.DisposeAsync();
    }
}
