using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.Http;
using AiGateway.EnvoyHarness.Routing;
using Envoy.Config.Core.V3;
using HeaderMap = AiGateway.EnvoyHarness.Http.HeaderMap;
using Google.Protobuf.WellKnownTypes;

namespace AiGateway.EnvoyHarness.Filters;

/// <summary>
/// Per downstream request: route cache, dynamic metadata (shared with upstream filters, as in Envoy), the record
/// being built and everything to dispose when the request ends (ext_proc streams, upstream responses, timers).
/// </summary>
internal sealed class RequestState(HarnessRuntime runtime, HeaderMap requestHeaders) : IAsyncDisposable
{
    private readonly Lock _metadataLock = new();
    private readonly Metadata _dynamicMetadata = new();
    private readonly List<object> _disposables = [];
    private readonly List<HarnessAttemptRecord> _attempts = [];
    private bool _routeCached;
    private RouteConfig? _route;

    public HarnessRuntime Runtime { get; } = runtime;

    public EnvoyHarnessStats Stats => Runtime.Stats;

    public TimeProvider TimeProvider => Runtime.TimeProvider;

    public long BufferLimit => Runtime.Bootstrap.Listener.BufferLimitBytes;

    public string Method { get; } = requestHeaders.Get(":method") ?? string.Empty;

    public string Path { get; } = requestHeaders.Get(":path") ?? string.Empty;

    public string? ClusterName { get; set; }

    /// <summary>The downstream peer's IP address (the rate limit filter's <c>remote_address</c>).</summary>
    public string? RemoteAddress { get; init; }

    public IReadOnlyList<HarnessAttemptRecord> Attempts => _attempts;

    /// <summary>Filter state objects by key, as their serialized string (set by <c>envoy.filters.http.set_filter_state</c>).</summary>
    public Dictionary<string, string> FilterState { get; } = new(StringComparer.Ordinal);

    /// <summary>The route for the current headers; matched on first use and again after <see cref="ClearRouteCache"/>.</summary>
    public RouteConfig? GetRoute(HeaderMap headers)
    {
        if (!_routeCached)
        {
            _route = Runtime.Routes.Match(headers);
            _routeCached = true;
        }

        return _route;
    }

    /// <summary>The cached route without matching (null when none was matched yet or the cache was cleared).</summary>
    public RouteConfig? CachedRoute => _routeCached ? _route : null;

    /// <summary>The last route matched, even if the cache was cleared since.</summary>
    public RouteConfig? LastRoute => _route;

    public void ClearRouteCache() => _routeCached = false;

    public void AddAttempt(HarnessAttemptRecord attempt) => _attempts.Add(attempt);

    /// <summary>Disposed (in reverse order) when the request ends, like Envoy's onDestroy.</summary>
    public void RegisterForDispose(IAsyncDisposable disposable) => Register(disposable);

    /// <inheritdoc cref="RegisterForDispose(IAsyncDisposable)"/>
    public void RegisterForDispose(IDisposable disposable) => Register(disposable);

    /// <summary>Merges a namespace key by key (one level deep), as ext_proc does.</summary>
    public void MergeDynamicMetadata(string ns, Struct values)
    {
        lock (_metadataLock)
        {
            if (!_dynamicMetadata.FilterMetadata.TryGetValue(ns, out var target))
            {
                _dynamicMetadata.FilterMetadata[ns] = target = new Struct();
            }

            foreach (var (key, value) in values.Fields)
            {
                target.Fields[key] = value.Clone();
            }
        }
    }

    /// <summary>Creates <paramref name="ns"/> empty if absent (what a non-struct namespace value does in Envoy).</summary>
    public void EnsureDynamicMetadataNamespace(string ns)
    {
        lock (_metadataLock)
        {
            if (!_dynamicMetadata.FilterMetadata.ContainsKey(ns))
            {
                _dynamicMetadata.FilterMetadata[ns] = new Struct();
            }
        }
    }

    public Metadata SnapshotDynamicMetadata()
    {
        lock (_metadataLock)
        {
            return _dynamicMetadata.Clone();
        }
    }

    public async ValueTask DisposeAsync()
    {
        object[] items;
        lock (_disposables)
        {
            items = [.. _disposables];
            _disposables.Clear();
        }

        for (var i = items.Length - 1; i >= 0; i--)
        {
            switch (items[i])
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    private void Register(object disposable)
    {
        lock (_disposables)
        {
            _disposables.Add(disposable);
        }
    }
}
