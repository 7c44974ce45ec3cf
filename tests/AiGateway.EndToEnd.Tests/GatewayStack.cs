using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Sockets;
using AiGateway.Core.Upstreams.Credentials;
using AiGateway.EnvoyHarness;
using AiGateway.MockProvider;
using AiGateway.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;

namespace AiGateway.EndToEnd.Tests;

/// <summary>
/// The whole gateway on loopback: the Envoy stand-in running the shipped envoy/envoy.yaml, our extproc
/// with the shipped envoy/gateway.yaml, our rate-limit service with the shipped envoy/ratelimit config, and the
/// mock provider in place of the `mock-provider` container.
/// </summary>
public sealed class GatewayStack : IAsyncDisposable
{
    public const string OpenAiKey = "sk-e2e-openai";
    public const string VllmKey = "sk-e2e-vllm";
    public const string AzureKey = "e2e-azure-key";
    public const string AnthropicKey = "sk-ant-e2e";
    public const string GeminiKey = "AIza-e2e-gemini";
    public const string WatsonxKey = "ibm-e2e-api-key";
    public const string BedrockAccessKeyId = "AKIDE2EBEDROCK";
    public const string BedrockSecretKey = "e2e/bedrock/secret";
    public const string GatewayKey = "gw-client-key-never-forwarded";

    private GatewayStack(MockProviderServer provider, ExtProcTestServer extProc, RateLimitTestServer? rateLimit, EnvoyHarness.EnvoyHarness envoy)
    {
        Provider = provider;
        ExtProc = extProc;
        RateLimit = rateLimit;
        Envoy = envoy;
    }

    public MockProviderServer Provider { get; }

    /// <summary>The rate-limit service; null when the gateway.yaml has no <c>rate_limiting</c>.</summary>
    public RateLimitTestServer? RateLimit { get; }

    public ExtProcTestServer ExtProc { get; }

    public EnvoyHarness.EnvoyHarness Envoy { get; }

    public Uri BaseAddress => Envoy.BaseAddress;

    /// <param name="configureExtProc">Service overrides for extproc.</param>
    /// <param name="watsonxApiKey">The IBM Cloud API key extproc is given; the mock IAM accepts only <see cref="WatsonxKey"/>.</param>
    /// <param name="providerTime">The mock provider's clock (token expiry), when it must differ from extproc's.</param>
    /// <param name="rateLimitTime">The rate-limit service's clock (its windows).</param>
    public static async Task<GatewayStack> StartAsync(Action<IServiceCollection>? configureExtProc = null, string watsonxApiKey = WatsonxKey, TimeProvider? providerTime = null, TimeProvider? rateLimitTime = null)
    {
        // The mock rejects a request without its provider's key, so every test also proves key injection.
        var provider = await MockProviderServer.StartAsync(new MockProviderOptions
        {
            RequiredApiKeys = new Dictionary<string, IReadOnlyList<string>>
            {
                ["/v1/"] = [OpenAiKey],
                ["/compat/v1/"] = [VllmKey],
                ["/anthropic/"] = [AnthropicKey],
                ["/gemini/"] = [GeminiKey],
            },
            IbmApiKeys = [WatsonxKey],
            TimeProvider = providerTime ?? TimeProvider.System,
            Bedrock = new AiGateway.MockProvider.Bedrock.BedrockMockOptions
            {
                AccessKeys = new Dictionary<string, string> { [BedrockAccessKeyId] = BedrockSecretKey },
                Region = "us-east-1",
            },
        });
        var extProc = await ExtProcTestServer.StartAsync(
            FixtureFiles.InRepository("envoy/gateway.yaml"),
            services =>
            {
                ReachMockProviderFromExtProc(services, provider.Port);
                configureExtProc?.Invoke(services);
            },
            environment: new Dictionary<string, string> { ["OPENAI_API_KEY"] = OpenAiKey, ["VLLM_API_KEY"] = VllmKey, ["AZURE_OPENAI_API_KEY"] = AzureKey, ["ANTHROPIC_API_KEY"] = AnthropicKey, ["WATSONX_API_KEY"] = watsonxApiKey, ["GEMINI_API_KEY"] = GeminiKey, ["AWS_ACCESS_KEY_ID"] = BedrockAccessKeyId, ["AWS_SECRET_ACCESS_KEY"] = BedrockSecretKey });
        var rateLimit = await RateLimitTestServer.StartAsync(FixtureFiles.InRepository("envoy/ratelimit"), rateLimitTime ?? TimeProvider.System);
        var envoy = await EnvoyHarness.EnvoyHarness.StartAsync(new EnvoyHarnessOptions
        {
            EnvoyYamlPath = FixtureFiles.InRepository("envoy/envoy.yaml"),
            AddressOverrides = new Dictionary<string, string>
            {
                ["extproc:50051"] = extProc.Address,
                ["mock-provider:8080"] = $"127.0.0.1:{provider.Port}",
                ["ratelimit:8081"] = rateLimit.Address,
            },
        });
        return new GatewayStack(provider, extProc, rateLimit, envoy);
    }

    /// <summary>
    /// extproc's own HTTP calls (token endpoints such as the mock IAM at mock-provider:8080) reach the mock on
    /// loopback, as Envoy's calls do through the address overrides.
    /// </summary>
    private static void ReachMockProviderFromExtProc(IServiceCollection services, int mockPort) =>
        services.AddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("AiGateway.ExtProc.Credentials");
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancellationToken) =>
                {
                    EndPoint target = context.DnsEndPoint is { Host: "mock-provider", Port: 8080 } ? new IPEndPoint(IPAddress.Loopback, mockPort) : context.DnsEndPoint;
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await socket.ConnectAsync(target, cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(15) };
            return new UpstreamCredentialsFactory(http, sp.GetRequiredService<TimeProvider>(), (name, reason) => AiGateway.ExtProc.Telemetry.Log.CredentialFetchFailed(logger, name, reason));
        });

    /// <summary>
    /// The stack over a test-only gateway.yaml instead of the shipped sample: its envoy.yaml is rendered on the
    /// fly, <paramref name="environment"/> (which may use the started mock's addresses) fills its <c>${VARS}</c>,
    /// and when the mock serves HTTPS the gateway's token requests trust its certificate. With <c>rate_limiting</c>, the
    /// rate-limit service runs the config <c>aigw render ratelimit</c> makes of it, on <paramref name="rateLimitTime"/>.
    /// </summary>
    public static async Task<GatewayStack> StartAsync(
        string gatewayYamlPath,
        MockProviderOptions providerOptions,
        Func<MockProviderServer, IReadOnlyDictionary<string, string>> environment,
        Action<IServiceCollection>? configureExtProc = null,
        TimeProvider? rateLimitTime = null)
    {
        var provider = await MockProviderServer.StartAsync(providerOptions);
        var variables = environment(provider);
        var loader = new AiGateway.Core.Configuration.GatewayConfigLoader(
            new AiGateway.Core.Translation.TranslatorRegistry().Supports,
            name => variables.TryGetValue(name, out var value) ? value : null,
            TimeProvider.System);
        var loaded = await loader.LoadFileAsync(gatewayYamlPath, CancellationToken.None);
        if (!loaded.Succeeded)
        {
            throw new InvalidOperationException("test gateway.yaml is invalid:\n" + string.Join('\n', loaded.Findings));
        }

        var directory = Directory.CreateTempSubdirectory("aigw-e2e-").FullName;
        var envoyYaml = Path.Combine(directory, "envoy.yaml");
        await File.WriteAllTextAsync(envoyYaml, AiGateway.Core.Rendering.EnvoyBootstrapRenderer.Render(loaded.Snapshot!, new AiGateway.Core.Rendering.EnvoyRenderOptions()));
        RateLimitTestServer? rateLimit = null;
        var addresses = new Dictionary<string, string> { ["mock-provider:8080"] = $"127.0.0.1:{provider.Port}" };
        if (loaded.Snapshot!.RateLimiting is { } rateLimiting)
        {
            var rateLimitConfig = Path.Combine(directory, "ratelimit", "config.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(rateLimitConfig)!);
            await File.WriteAllTextAsync(rateLimitConfig, AiGateway.Core.Rendering.RateLimitServiceConfigRenderer.Render(rateLimiting));
            rateLimit = await RateLimitTestServer.StartAsync(Path.GetDirectoryName(rateLimitConfig)!, rateLimitTime ?? TimeProvider.System);
            addresses[$"{rateLimiting.ServiceHost}:{rateLimiting.ServicePort}"] = rateLimit.Address;
        }

        var extProc = await ExtProcTestServer.StartAsync(
            gatewayYamlPath,
            services =>
            {
                if (provider.HttpsCertificate is not null)
                {
                    services.AddKeyedSingleton(AiGateway.Core.Upstreams.Credentials.UpstreamCredentialsFactory.HttpClientKey, new HttpClient(provider.CreateTrustingHandler()) { Timeout = TimeSpan.FromSeconds(15) });
                }

                configureExtProc?.Invoke(services);
            },
            environment: variables);
        addresses["extproc:50051"] = extProc.Address;
        var envoy = await EnvoyHarness.EnvoyHarness.StartAsync(new EnvoyHarnessOptions
        {
            EnvoyYamlPath = envoyYaml,
            AddressOverrides = addresses,
        });
        return new GatewayStack(provider, extProc, rateLimit, envoy);
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
        if (RateLimit is not null)
        {
            await RateLimit.DisposeAsync();
        }

        await Provider.DisposeAsync();
    }
}
