using System.Security.Cryptography;
using System.Text;
using AiGateway.RateLimit.Configuration;
using AiGateway.RateLimit.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AiGateway.RateLimit.Service.Hosting;

/// <summary>
/// Re-reads the config directory when any file's name or content changes (polling, so Kubernetes ConfigMap symlink
/// swaps work). A bad set of files is logged with every error and counted; the last good configuration stays.
/// </summary>
public sealed class RateLimitConfigReloadService : BackgroundService
{
    private readonly string _path;
    private readonly RateLimitConfigLoader _loader;
    private readonly RateLimitConfigStore _store;
    private readonly RateLimitMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _interval;
    private readonly ILogger<RateLimitConfigReloadService> _logger;
    private byte[]? _lastHash;

    /// <summary>Creates the service; the current files count as already loaded.</summary>
    public RateLimitConfigReloadService(string path, RateLimitConfigLoader loader, RateLimitConfigStore store, RateLimitMetrics metrics, TimeProvider timeProvider, TimeSpan interval, ILogger<RateLimitConfigReloadService> logger)
    {
        _path = path;
        _loader = loader;
        _store = store;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _interval = interval;
        _logger = logger;
        _lastHash = Hash();
    }

    /// <summary>Reloads when the files changed since the last check; true when a new configuration went into service.</summary>
    public bool Check()
    {
        var hash = Hash();
        if (hash is null || (_lastHash is not null && hash.AsSpan().SequenceEqual(_lastHash)))
        {
            return false;
        }

        _lastHash = hash;
        var result = _loader.LoadPath(_path);
        if (!result.Succeeded)
        {
            _metrics.ConfigLoadError();
            var errors = string.Join('\n', result.Errors);
            Log.ConfigReloadFailed(_logger, _path, errors);
            return false;
        }

        _store.Set(result.Config);
        _metrics.ConfigLoadSuccess();
        var domains = result.Config.Domains.Count();
        Log.ConfigReloaded(_logger, _path, result.FileCount, domains, result.Config.RuleCount);
        return true;
    }

    /// <summary>Counts the configuration loaded at startup (here, once the metrics pipeline is listening), then starts polling.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _metrics.ConfigLoadSuccess();
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Check();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private byte[]? Hash()
    {
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var file in RateLimitConfigLoader.ReadFiles(_path))
            {
                hash.AppendData(Encoding.UTF8.GetBytes(file.Name));
                hash.AppendData([0]);
                hash.AppendData(Encoding.UTF8.GetBytes(file.Text));
                hash.AppendData([0]);
            }

            return hash.GetHashAndReset();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
