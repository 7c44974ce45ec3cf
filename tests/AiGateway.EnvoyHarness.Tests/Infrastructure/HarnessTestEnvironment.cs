using Microsoft.AspNetCore.Http;

namespace AiGateway.EnvoyHarness.Tests.Infrastructure;

/// <summary>
/// A harness running a fixture YAML from <c>Fixtures/</c>, wired to a scripted ext_proc server and two fake upstreams:
/// "extproc:50051", "upstream-a:80" and "upstream-b:80" are overridden to their loopback ports.
/// </summary>
public sealed class HarnessTestEnvironment : IAsyncDisposable
{
    private HarnessTestEnvironment(ScriptedExtProcServer extProc, FakeUpstream upstreamA, FakeUpstream upstreamB, EnvoyHarness harness)
    {
        ExtProc = extProc;
        UpstreamA = upstreamA;
        UpstreamB = upstreamB;
        Harness = harness;
        Client = new HttpClient { BaseAddress = harness.BaseAddress, Timeout = TimeSpan.FromSeconds(8) };
    }

    public ScriptedExtProcServer ExtProc { get; }

    public FakeUpstream UpstreamA { get; }

    public FakeUpstream UpstreamB { get; }

    public EnvoyHarness Harness { get; }

    public HttpClient Client { get; }

    public static async Task<HarnessTestEnvironment> StartAsync(
        string fixture,
        Func<ExtProcCall, Task> script,
        Func<HttpContext, RecordedUpstreamRequest, Task>? upstreamA = null,
        Func<HttpContext, RecordedUpstreamRequest, Task>? upstreamB = null,
        IReadOnlyDictionary<string, string>? moreAddresses = null)
    {
        var extProc = await ScriptedExtProcServer.StartAsync(script);
        var a = await FakeUpstream.StartAsync(upstreamA);
        var b = await FakeUpstream.StartAsync(upstreamB);
        var harness = await EnvoyHarness.StartAsync(new EnvoyHarnessOptions
        {
            EnvoyYamlPath = FixturePath(fixture),
            AddressOverrides = new Dictionary<string, string>(moreAddresses ?? new Dictionary<string, string>())
            {
                ["extproc:50051"] = extProc.Address,
                ["upstream-a:80"] = a.Address,
                ["upstream-b:80"] = b.Address,
            },
        });
        return new HarnessTestEnvironment(extProc, a, b, harness);
    }

    public static string FixturePath(string fixture) => Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture);

    /// <summary>The record of the <paramref name="count"/>-th completed request (waits a bounded time for it).</summary>
    public async Task<HarnessRequestRecord> RecordAsync(int count = 1)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var records = await Harness.WaitForRequestsAsync(count, limit.Token);
        return records[count - 1];
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Harness.DisposeAsync();
        await UpstreamA.DisposeAsync();
        await UpstreamB.DisposeAsync();
        await ExtProc.DisposeAsync();
    }
}
