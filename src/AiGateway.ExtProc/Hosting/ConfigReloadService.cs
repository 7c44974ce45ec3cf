using System.Security.Cryptography;
using AiGateway.Core.Configuration;
using AiGateway.ExtProc.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AiGateway.ExtProc.Hosting;

/// <summary>
/// Re-reads gateway.yaml when its content changes (polling, so Kubernetes ConfigMap symlink swaps work too).
/// A bad file is logged with every error and the last good snapshot stays in service.
/// </summary>
internal sealed class ConfigReloadService(
    string path,
    GatewayConfigLoader loader,
    GatewayConfigStore store,
    TimeProvider timeProvider,
    TimeSpan interval,
    ILogger<ConfigReloadService> logger) : BackgroundService
{
    private byte[]? _lastHash;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _lastHash = await HashAsync(stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await CheckAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reloads when the file changed since the last check.</summary>
    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        var hash = await HashAsync(cancellationToken).ConfigureAwait(false);
        if (hash is null || (_lastHash is not null && hash.AsSpan().SequenceEqual(_lastHash)))
        {
            return;
        }

        _lastHash = hash;
        var result = await loader.LoadFileAsync(path, cancellationToken).ConfigureAwait(false);
        if (store.Apply(result))
        {
            Log.ConfigReloaded(logger, path, result.Snapshot!.Providers.Length, result.Snapshot.Models.Length);
            foreach (var warning in result.Warnings)
            {
                Log.ConfigWarning(logger, warning.ToString());
            }
        }
        else
        {
            Log.ConfigReloadFailed(logger, path, string.Join('\n', result.Errors));
        }
    }

    private async Task<byte[]?> HashAsync(CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            return SHA256.HashData(bytes);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
