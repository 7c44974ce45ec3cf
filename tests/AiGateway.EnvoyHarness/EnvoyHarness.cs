using System.Net;
using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.Filters;
using AiGateway.EnvoyHarness.Http;
using AiGateway.EnvoyHarness.Upstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace AiGateway.EnvoyHarness;

/// <summary>
/// An in-process stand-in for Envoy 1.37+ running an Envoy bootstrap YAML: one HTTP/1.1 listener on loopback, the HCM
/// filters (ext_proc, header_mutation, ratelimit, set_filter_state, router), route matching with route-cache clearing,
/// retries with priority failover and per-attempt upstream filters (ext_proc, header_mutation, upstream_codec). Behaviour follows envoy-protocol.md.
/// </summary>
public sealed class EnvoyHarness : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HarnessRuntime _runtime;
    private readonly Lock _requestsLock = new();
    private readonly List<HarnessRequestRecord> _requests = [];
    private readonly List<(int Count, TaskCompletionSource<IReadOnlyList<HarnessRequestRecord>> Waiter)> _waiters = [];

    private EnvoyHarness(WebApplication app, HarnessRuntime runtime, Uri baseAddress)
    {
        _app = app;
        _runtime = runtime;
        BaseAddress = baseAddress;
    }

    /// <summary>The listener, e.g. <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Envoy-style counters.</summary>
    public EnvoyHarnessStats Stats => _runtime.Stats;

    /// <summary>Parts of the configuration the harness skipped, and other remarks (never secrets).</summary>
    public IReadOnlyList<string> Notes => _runtime.Notes;

    /// <summary>Completed requests, in completion order.</summary>
    public IReadOnlyList<HarnessRequestRecord> Requests
    {
        get
        {
            lock (_requestsLock)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<EnvoyHarness> StartAsync(EnvoyHarnessOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bootstrap = BootstrapLoader.LoadFile(options.EnvoyYamlPath);
        var runtime = new HarnessRuntime(bootstrap, new AddressResolver(options.AddressOverrides), options.TimeProvider);
        runtime.Notes.AddRange(bootstrap.Notes);
        var pipeline = HttpFilterFactory.CreateDownstreamPipeline(runtime);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, options.ListenerPort ?? 0, listen => listen.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        EnvoyHarness? harness = null;
        var connectionManager = new ConnectionManager(runtime, pipeline, record => harness!.OnCompleted(record));
        app.Run(connectionManager.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var port = new Uri(address).Port;
        harness = new EnvoyHarness(app, runtime, new Uri($"http://127.0.0.1:{port}/"));
        return harness;
    }

    /// <summary>The final dynamic metadata of <paramref name="ns"/> for the most recently completed request.</summary>
    public IReadOnlyDictionary<string, object?> LastDynamicMetadata(string ns)
    {
        lock (_requestsLock)
        {
            return _requests.Count == 0 ? new Dictionary<string, object?>() : _requests[^1].Metadata(ns);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> requests completed (a client may see the last byte before the record exists).</summary>
    public Task<IReadOnlyList<HarnessRequestRecord>> WaitForRequestsAsync(int count, CancellationToken cancellationToken)
    {
        lock (_requestsLock)
        {
            if (_requests.Count >= count)
            {
                return Task.FromResult<IReadOnlyList<HarnessRequestRecord>>([.. _requests]);
            }

            var waiter = new TaskCompletionSource<IReadOnlyList<HarnessRequestRecord>>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, waiter));
            return waiter.Task.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _runtime.DisposeAsync();
    }

    private void OnCompleted(HarnessRequestRecord record)
    {
        lock (_requestsLock)
        {
            _requests.Add(record);
            foreach (var waiter in _waiters.Where(w => _requests.Count >= w.Count).ToArray())
            {
                _waiters.Remove(waiter);
                waiter.Waiter.TrySetResult([.. _requests]);
            }
        }
    }
}
