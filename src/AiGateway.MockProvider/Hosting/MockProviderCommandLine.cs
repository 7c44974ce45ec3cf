using AiGateway.MockProvider.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AiGateway.MockProvider.Hosting;

/// <summary>
/// The standalone process: <c>AiGateway.MockProvider [--config mock.yaml|mock.json] [--urls http://0.0.0.0:8080]</c>.
/// Listens on <c>--urls</c>, else ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS, else <c>http://0.0.0.0:8080</c>.
/// </summary>
internal static class MockProviderCommandLine
{
    public const string DefaultUrl = "http://0.0.0.0:8080";

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Contains("--help") || args.Contains("-h"))
        {
            await Console.Out.WriteLineAsync(Usage);
            return 0;
        }

        var (configPath, rest, argError) = SplitConfigArgument(args);
        if (argError is not null)
        {
            await Console.Error.WriteLineAsync(argError);
            return 2;
        }

        var options = MockConfigLoader.Load(configPath, Environment.GetEnvironmentVariable, out var errors);
        if (options is null)
        {
            foreach (var error in errors)
            {
                await Console.Error.WriteLineAsync("mock-provider: " + error);
            }

            return 2;
        }

        await using var app = MockProviderApp.Build(options, rest, static builder =>
        {
            var config = builder.Configuration;
            if (string.IsNullOrEmpty(config["urls"]) && string.IsNullOrEmpty(config["http_ports"]) && string.IsNullOrEmpty(config["https_ports"]))
            {
                builder.WebHost.UseUrls(DefaultUrl);
            }
        });
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AiGateway.MockProvider");
        if (logger.IsEnabled(LogLevel.Information))
        {
            var listening = string.Join(", ", addresses);
            Log.Listening(logger, listening);
        }

        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>Takes <c>--config path</c> or <c>--config=path</c> out of the arguments.</summary>
    internal static (string? ConfigPath, string[] Remaining, string? Error) SplitConfigArgument(string[] args)
    {
        string? path = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config")
            {
                if (i + 1 >= args.Length)
                {
                    return (null, [], "mock-provider: --config needs a file path");
                }

                path = args[++i];
            }
            else if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                path = args[i]["--config=".Length..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        return (path, [.. rest], null);
    }

    private const string Usage = """
        AiGateway mock LLM provider (OpenAI API under any path prefix, plus /healthz and /_mock/*)
        usage: AiGateway.MockProvider [--config mock.yaml|mock.json] [--urls http://0.0.0.0:8080]
        environment: MOCK_CONFIG, MOCK_MODELS (a,b,c), MOCK_RESPONSE_TEMPLATE, MOCK_CHUNK_DELAY_MS,
                     MOCK_EMBEDDING_DIMENSIONS, MOCK_API_KEYS (/v1=k1,k2;/compat/v1=k3),
                     MOCK_REJECT_UNKNOWN_MODELS, MOCK_MAX_RECORDED_REQUESTS, ASPNETCORE_URLS,
                     MOCK_AWS_ACCESS_KEYS (AKID=secret,...), MOCK_BEDROCK_API_KEYS (k1,k2), MOCK_AWS_REGION
        per-request faults: x-mock-status, x-mock-retry-after, x-mock-delay-ms, x-mock-chunk-delay-ms,
                     x-mock-reset-after-events, x-mock-reset-before-response, x-mock-stream-error-after-events
        """;
}
