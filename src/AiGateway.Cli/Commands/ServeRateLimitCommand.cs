using System.CommandLine;
using System.Net;
using AiGateway.ExtProc.Hosting;
using AiGateway.RateLimit.Configuration;
using AiGateway.RateLimit.Service.Hosting;
using AiGateway.RateLimit.Storage;
using Microsoft.AspNetCore.Builder;

namespace AiGateway.Cli.Commands;

/// <summary>
/// <c>aigw serve ratelimit --config DIR [--redis URL]</c>: the envoyproxy/ratelimit-compatible rate-limit service.
/// Without Redis (no <c>--redis</c>, no <c>REDIS_URL</c>) counters live in memory (one instance only).
/// </summary>
internal static class ServeRateLimitCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var config = new Option<string>("--config", "-c") { Description = "Directory of envoyproxy/ratelimit YAML files (or one file).", Required = true };
        var redis = new Option<string?>("--redis")
        {
            Description = "Redis: host:port, redis://[user:pass@]host:port[/db], rediss://… or a StackExchange.Redis configuration string. Default: REDIS_URL; none = in-memory.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("REDIS_URL"),
        };
        var perSecond = new Option<string?>("--redis-per-second")
        {
            Description = "A separate Redis for per-second limits. Default: REDIS_PERSECOND_URL when REDIS_PERSECOND=true.",
            DefaultValueFactory = _ => RateLimitEnvironment.PerSecondRedis(Environment.GetEnvironmentVariable),
        };
        var deadline = new Option<int>("--redis-deadline-ms")
        {
            Description = "How long one call may wait for Redis before it fails with UNAVAILABLE (keep it under Envoy's 20 ms timeout).",
            DefaultValueFactory = _ => (int)new RedisStoreOptions().Deadline.TotalMilliseconds,
        };
        var listen = new Option<string>("--listen")
        {
            Description = "gRPC address: host:port or unix:/path.sock.",
            DefaultValueFactory = _ => "0.0.0.0:" + (Environment.GetEnvironmentVariable("GRPC_PORT") ?? "8081"),
        };
        var admin = new Option<string>("--admin")
        {
            Description = "HTTP address of /healthz, /healthcheck and /metrics, or 'off'.",
            DefaultValueFactory = _ => "0.0.0.0:6070",
        };

        var command = new Command("ratelimit", "Run the Envoy rate-limit service (gRPC envoy.service.ratelimit.v3), envoyproxy/ratelimit-compatible.")
        {
            config, redis, perSecond, deadline, listen, admin,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!TryEndpoint(parse.GetValue(listen)!, allowUnix: true, out var grpc, out var unix, out var listenError))
            {
                await error.WriteLineAsync($"--listen: {listenError}").ConfigureAwait(false);
                return 2;
            }

            IPEndPoint? adminEndpoint = null;
            var adminText = parse.GetValue(admin)!;
            if (!string.Equals(adminText, "off", StringComparison.Ordinal) && !TryEndpoint(adminText, allowUnix: false, out adminEndpoint, out _, out var adminError))
            {
                await error.WriteLineAsync($"--admin: {adminError}").ConfigureAwait(false);
                return 2;
            }

            var settings = RateLimitEnvironment.Read(Environment.GetEnvironmentVariable);
            foreach (var problem in settings.Problems)
            {
                await error.WriteLineAsync(problem).ConfigureAwait(false);
            }

            var path = Path.GetFullPath(parse.GetValue(config)!);
            var result = new RateLimitConfigLoader(settings.MergeDomainConfigs).LoadPath(path);
            if (!result.Succeeded)
            {
                foreach (var problem in result.Errors)
                {
                    await error.WriteLineAsync(problem.ToString()).ConfigureAwait(false);
                }

                await error.WriteLineAsync($"{path}: invalid rate-limit configuration; not starting").ConfigureAwait(false);
                return 1;
            }

            var storeOptions = new RedisStoreOptions { Deadline = TimeSpan.FromMilliseconds(Math.Max(1, parse.GetValue(deadline))) };
            var redisText = parse.GetValue(redis);
            IRateLimitStore store;
            try
            {
                store = string.IsNullOrWhiteSpace(redisText)
                    ? new InMemoryRateLimitStore(TimeProvider.System)
                    : await RedisRateLimitStore.ConnectAsync(redisText, parse.GetValue(perSecond), storeOptions, TimeProvider.System).ConfigureAwait(false);
            }
            catch (FormatException e)
            {
                await error.WriteLineAsync($"--redis: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            var options = new RateLimitServerOptions
            {
                ConfigPath = path,
                GrpcEndpoint = grpc ?? new IPEndPoint(IPAddress.Any, 8081),
                GrpcUnixSocket = unix,
                AdminEndpoint = adminEndpoint,
                MergeDomainConfigs = settings.MergeDomainConfigs,
                Limiter = settings.Limiter,
                Service = settings.Service,
            };
            await using var app = RateLimitServer.Build(options, result.Config, _ => store);
            var storeText = redisText is null ? "in-memory counters (single instance)" : "Redis " + RedisConnectionString.Redact(redisText);
            await output.WriteLineAsync($"aigw ratelimit: gRPC on {unix ?? grpc!.ToString()}, admin on {adminEndpoint?.ToString() ?? "off"}, {storeText}, {result.Config.RuleCount} rules").ConfigureAwait(false);
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static bool TryEndpoint(string text, bool allowUnix, out IPEndPoint? endpoint, out string? unix, out string? error)
    {
        endpoint = null;
        unix = null;
        if (!ListenAddress.TryParse(text, out var address, out error))
        {
            return false;
        }

        if (address.UnixSocketPath is { } path)
        {
            unix = path;
            error = allowUnix ? null : "a unix socket is not supported here";
            return allowUnix;
        }

        endpoint = new IPEndPoint(address.Address!, address.Port);
        return true;
    }
}
