using System.Diagnostics.Metrics;
using AiGateway.RateLimit.Configuration;
using AiGateway.RateLimit.Limiting;
using AiGateway.RateLimit.Storage;
using AiGateway.RateLimit.Telemetry;
using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiGateway.RateLimit.Service.Hosting;

/// <summary>
/// Gets the service ready before it takes traffic. In <see cref="StartingAsync"/>, which the host runs before any hosted
/// service starts (the web server included, so no listener is open yet), it prepares the counter store (Redis connected,
/// script loaded) and runs <see cref="RateLimitServerOptions.WarmupCalls"/> calls through the same service, limiter and
/// store code the real calls use, so they are compiled and the connection is busy before the first Envoy call. Only then
/// does <see cref="RateLimitReadiness"/> report ready. If the store is not ready within
/// <see cref="RateLimitServerOptions.ReadinessWait"/>, the server starts anyway (calls fail fast with UNAVAILABLE, so
/// Envoy's failure mode decides), health stays NOT_SERVING, and the warm-up is retried in the background until it succeeds.
/// </summary>
/// <remarks>
/// The warm-up calls use their own domain and metrics, never the configured ones. On Redis they touch one counter,
/// <c>&lt;CACHE_KEY_PREFIX&gt;aigw_warmup_warmup_check_&lt;second&gt;</c>, with 0 hits and a 1 s time to live, and
/// refund a counter that does not exist (which creates nothing).
/// </remarks>
public sealed class RateLimitWarmup : IHostedLifecycleService, IDisposable
{
    private const string Domain = "aigw_warmup";
    private const int Concurrency = 32;
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(500);

    private readonly IRateLimitStore _store;
    private readonly RateLimitReadiness _readiness;
    private readonly RateLimitServerOptions _options;
    private readonly IMeterFactory _meterFactory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<RateLimitWarmup> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _retries;

    /// <summary>Creates the warm-up.</summary>
    public RateLimitWarmup(IRateLimitStore store, RateLimitReadiness readiness, RateLimitServerOptions options, IMeterFactory meterFactory, TimeProvider timeProvider, ILogger<RateLimitWarmup> logger)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _readiness = readiness ?? throw new ArgumentNullException(nameof(readiness));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _meterFactory = meterFactory ?? throw new ArgumentNullException(nameof(meterFactory));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Prepares the store and warms the hot path, waiting up to <see cref="RateLimitServerOptions.ReadinessWait"/>.</summary>
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(_options.ReadinessWait);
        try
        {
            while (!await TryGetReadyAsync(wait.Token).ConfigureAwait(false))
            {
                await Task.Delay(RetryInterval, _timeProvider, wait.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Log.NotReadyAtStart(_logger, _options.ReadinessWait.TotalSeconds, _readiness.NotReadyReason ?? "unknown");
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Keeps trying in the background when startup went ahead without being ready.</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!_readiness.IsReady)
        {
            _retries = RetryUntilReadyAsync(_stopping.Token);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_retries is not null)
        {
            await _retries.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();

    private async Task RetryUntilReadyAsync(CancellationToken stoppingToken)
    {
        try
        {
            do
            {
                await Task.Delay(RetryInterval, _timeProvider, stoppingToken).ConfigureAwait(false);
            }
            while (!await TryGetReadyAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TryGetReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _store.PrepareAsync(cancellationToken).ConfigureAwait(false);
            await WarmUpAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RateLimitStoreException e)
        {
            _readiness.MarkNotReady(e.Message);
            return false;
        }

        _readiness.MarkReady();
        Log.WarmedUp(_logger, _options.WarmupCalls);
        return true;
    }

    /// <summary>Runs the warm-up calls, <see cref="Concurrency"/> at a time, through a service object of its own.</summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        if (_options.WarmupCalls <= 0)
        {
            return;
        }

        var loaded = new RateLimitConfigLoader().Load([new RateLimitConfigFile("warmup.yaml", $"domain: {Domain}\ndescriptors:\n  - key: warmup\n    rate_limit: {{ unit: second, requests_per_unit: 4000000000 }}\n")]);
        using var metrics = new RateLimitMetrics(_meterFactory, _options.MeterName + ".Warmup");
        var limiterOptions = new RateLimiterOptions
        {
            CacheKeyPrefix = _options.Limiter.CacheKeyPrefix,
            NearLimitRatio = _options.Limiter.NearLimitRatio,
            StopCacheKeyIncrementWhenOverLimit = _options.Limiter.StopCacheKeyIncrementWhenOverLimit,
            ExpirationJitterMaxSeconds = 0,
        };
        var limiter = new FixedWindowLimiter(new RateLimitConfigStore(loaded.Config!), _store, _timeProvider, limiterOptions, metrics);
        var service = new RateLimitGrpcService(limiter, metrics, _options.Service, _timeProvider, NullLogger<RateLimitGrpcService>.Instance);
        var request = RateLimitRequest.Parser.ParseFrom(WarmupRequest().ToByteArray());
        var calls = new Task<RateLimitResponse>[Math.Min(Concurrency, _options.WarmupCalls)];
        var contexts = new WarmupCallContext[calls.Length];
        for (var done = 0; done < _options.WarmupCalls; done += calls.Length)
        {
            for (var i = 0; i < calls.Length; i++)
            {
                contexts[i] = new WarmupCallContext(cancellationToken);
                calls[i] = service.ShouldRateLimit(request, contexts[i]);
            }

            var responses = await Task.WhenAll(calls).ConfigureAwait(false);
            _ = responses[0].ToByteArray();
            foreach (var context in contexts)
            {
                if (context.Status.StatusCode != StatusCode.OK)
                {
                    throw new RateLimitStoreException(context.Status.Detail);
                }
            }
        }
    }

    private static RateLimitRequest WarmupRequest()
    {
        var check = new RateLimitDescriptor { HitsAddend = 0 };
        check.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = "warmup", Value = "check" });
        var refund = new RateLimitDescriptor { HitsAddend = 1, IsNegativeHits = true };
        refund.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = "warmup", Value = "refund" });
        var request = new RateLimitRequest { Domain = Domain };
        request.Descriptors.Add(check);
        request.Descriptors.Add(refund);
        return request;
    }
}
