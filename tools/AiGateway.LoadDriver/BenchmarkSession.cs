using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using AiGateway.LoadDriver.Hosting;
using AiGateway.LoadDriver.Measurement;
using AiGateway.LoadDriver.Protocol;
using Envoy.Service.ExtProc.V3;
using Grpc.Net.Client;

namespace AiGateway.LoadDriver;

/// <summary>Runs every (load setting × target) the settings ask for and reports them as a markdown table.</summary>
internal sealed class BenchmarkSession
{
    private const double RssTargetMb = 200;
    private const double P99DeltaTargetMs = 1.0;

    private readonly DriverSettings _settings;
    private readonly TextWriter _output;
    private readonly TextWriter _log;
    private readonly EnvoyMessages _messages;
    private readonly string _machine = MachineInfo.Describe();

    public BenchmarkSession(DriverSettings settings, TextWriter output, TextWriter log)
    {
        _settings = settings;
        _output = output;
        _log = log;
        _messages = new EnvoyMessages(Payloads.ChatRequest(), Payloads.ChatResponse());
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var loads = _settings.Rates.Select(r => ("rate", r)).Concat(_settings.Concurrencies.Select(c => ("flat", (double)c))).ToList();
        await _log.WriteLineAsync($"machine: {_machine}").ConfigureAwait(false);
        await _log.WriteLineAsync(
            $"one request = router stream (request_headers, request_body {Payloads.Size(_messages.RequestBodyBytes)}, response_headers, response_body {Payloads.Size(_messages.ResponseBodyBytes)}) + one upstream stream (request_headers); " +
            $"{_settings.Connections} HTTP/2 connection(s); warm-up {Seconds(_settings.Warmup)}, measured {Seconds(_settings.Duration)}" +
            (_settings.ServerCpus is null ? "; no CPU pinning" : $"; server pinned to CPUs {_settings.ServerCpus}")).ConfigureAwait(false);

        var results = new List<RunResult>();
        var headerPrinted = false;
        foreach (var (mode, load) in loads)
        {
            foreach (var target in _settings.Targets)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = await RunOneAsync(target, mode, load, cancellationToken).ConfigureAwait(false);
                results.Add(result);
                if (!headerPrinted)
                {
                    await _output.WriteLineAsync(ResultTable.Header).ConfigureAwait(false);
                    headerPrinted = true;
                }

                await _output.WriteLineAsync(ResultTable.Row(result)).ConfigureAwait(false);
                await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (result.Failure is not null)
                {
                    await _log.WriteLineAsync($"  {result.Target}: {result.Failure}").ConfigureAwait(false);
                }

                foreach (var (kind, count) in result.ErrorKinds.OrderByDescending(e => e.Value).Take(5))
                {
                    await _log.WriteLineAsync($"  {result.Target} errors: {count} × {kind}").ConfigureAwait(false);
                }

                if (_settings.JsonPath is { } json)
                {
                    await File.AppendAllTextAsync(json, JsonSerializer.Serialize(result, ResultJsonContext.Default.RunResult) + "\n", cancellationToken).ConfigureAwait(false);
                }
            }
        }

        await WriteComparisonsAsync(results).ConfigureAwait(false);
        return results.Any(r => r.Failure is not null) ? 1 : 0;
    }

    private async Task<RunResult> RunOneAsync(ServerTarget target, string mode, double load, CancellationToken cancellationToken)
    {
        var name = target.ToString().ToLowerInvariant();
        var describe = mode == "rate" ? $"{load:0} req/s" : $"flat out, concurrency {load:0}";
        var baseResult = new RunResult
        {
            Target = name,
            Mode = mode,
            Load = load,
            Label = _settings.Label,
            DurationSeconds = _settings.Duration.TotalSeconds,
            WarmupSeconds = _settings.Warmup.TotalSeconds,
            Connections = _settings.Connections,
            ServerCpus = _settings.ServerCpus,
            Machine = _machine,
        };

        await WaitForIdleMachineAsync(cancellationToken).ConfigureAwait(false);
        ServerUnderTest server;
        try
        {
            server = await ServerUnderTest.StartAsync(target, _settings, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            return baseResult with { Failure = $"server did not start: {e.Message}", FinishedAt = DateTimeOffset.UtcNow };
        }

        await using (server.ConfigureAwait(false))
        {
            await _log.WriteLineAsync($"[{name}] {describe}: pid {server.Pid}, 127.0.0.1:{server.Port} ({server.Description})").ConfigureAwait(false);
            var channels = Enumerable.Range(0, _settings.Connections).Select(_ => CreateChannel(server.Port)).ToArray();
            try
            {
                var clients = channels.Select(c => new ExternalProcessor.ExternalProcessorClient(c)).ToArray();
                var simulator = new EnvoySimulator(clients, _messages);

                var startupLines = server.OutputLineCount;

                // Open every connection and check the server answers like Envoy expects before loading it.
                var check = await SanityCheckAsync(simulator, cancellationToken).ConfigureAwait(false);
                if (check is not null)
                {
                    return baseResult with { Failure = $"sanity request failed: {check}; server output:{Environment.NewLine}{server.OutputTail}", FinishedAt = DateTimeOffset.UtcNow };
                }

                await using var serverSampler = new ProcessSampler(server.Pid, TimeSpan.FromMilliseconds(250));
                serverSampler.Start();
                var self = Environment.ProcessId;
                ProcessSample serverStart = default, serverEnd = default, driverStart = default, driverEnd = default;
                SystemCpu machineStart = default, machineEnd = default;
                var runner = new LoadRunner(simulator, _settings.Warmup, _settings.Duration, _settings.Drain, _settings.MaxInFlight)
                {
                    WindowOpened = () =>
                    {
                        serverStart = serverSampler.Read();
                        driverStart = ProcessSampler.ReadProc(self);
                        machineStart = SystemCpu.Read();
                    },
                    WindowClosed = () =>
                    {
                        serverEnd = serverSampler.Read();
                        driverEnd = ProcessSampler.ReadProc(self);
                        machineEnd = SystemCpu.Read();
                    },
                };

                await _log.WriteLineAsync($"[{name}] warming up {Seconds(_settings.Warmup)}, then measuring {Seconds(_settings.Duration)}").ConfigureAwait(false);
                var stats = mode == "rate"
                    ? await runner.RunAtRateAsync(load, cancellationToken).ConfigureAwait(false)
                    : await runner.RunFlatOutAsync((int)load, cancellationToken).ConfigureAwait(false);
                var last = serverSampler.Read();

                var latency = stats.Latency;
                var result = baseResult with
                {
                    Requests = latency.Count,
                    Throughput = stats.Throughput,
                    P50Ms = Ms(latency.ValueAtPercentile(50)),
                    P90Ms = Ms(latency.ValueAtPercentile(90)),
                    P99Ms = Ms(latency.ValueAtPercentile(99)),
                    P999Ms = Ms(latency.ValueAtPercentile(99.9)),
                    MaxMs = Ms(latency.Max),
                    MeanMs = latency.Mean / 1e6,
                    StartLagP99Ms = mode == "rate" ? Ms(stats.StartLag.ValueAtPercentile(99)) : 0,
                    Errors = stats.ErrorCount,
                    WarmupErrors = Interlocked.Read(ref stats.WarmupErrors),
                    ErrorKinds = new Dictionary<string, int>(stats.Errors),
                    ServerCpuPercent = ProcessSampler.CpuPercent(serverStart, serverEnd),
                    ServerCpuMicrosPerRequest = stats.CompletedInWindow == 0 ? 0 : (serverEnd.CpuSeconds - serverStart.CpuSeconds) * 1e6 / stats.CompletedInWindow,
                    ServerPeakRssMb = serverSampler.PeakRssKb / 1024.0,
                    ServerEndRssMb = serverEnd.RssKb / 1024.0,
                    ServerThreads = last.Threads,
                    ServerOutputLines = server.OutputLineCount,
                    DriverCpuPercent = ProcessSampler.CpuPercent(driverStart, driverEnd),
                    OtherCpuPercent = Math.Max(0, SystemCpu.BusyPercent(machineStart, machineEnd) - ProcessSampler.CpuPercent(serverStart, serverEnd) - ProcessSampler.CpuPercent(driverStart, driverEnd)),
                    FinishedAt = DateTimeOffset.UtcNow,
                    Failure = server.HasExited ? $"server exited during the run:{Environment.NewLine}{server.OutputTail}" : null,
                };
                if (result.ServerOutputLines > startupLines + 10)
                {
                    await _log.WriteLineAsync($"[{name}] note: the server printed {result.ServerOutputLines - startupLines} lines during the run (logging per request?); last one: {server.OutputTail.Split('\n')[^1]}").ConfigureAwait(false);
                }

                if (mode == "rate")
                {
                    result = result with
                    {
                        Sustainable = result.Failure is null && result.Errors == 0 && result.Throughput >= load * 0.98 && result.P99Ms <= _settings.SloP99.TotalMilliseconds,
                    };
                }

                return result;
            }
            finally
            {
                foreach (var channel in channels)
                {
                    channel.Dispose();
                }
            }
        }
    }

    /// <summary>
    /// The machine is shared (builds, tests): with --wait-idle, wait until everything else together uses less
    /// than a quarter of a core for 3 s in a row, at most the given time.
    /// </summary>
    private async Task WaitForIdleMachineAsync(CancellationToken cancellationToken)
    {
        if (_settings.WaitIdle <= TimeSpan.Zero)
        {
            return;
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(_settings.WaitIdle.TotalSeconds * Stopwatch.Frequency);
        var quietSeconds = 0;
        var previous = SystemCpu.Read();
        var busy = 0.0;
        while (quietSeconds < 3)
        {
            if (Stopwatch.GetTimestamp() >= deadline)
            {
                await _log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"machine still busy ({busy:0}% of a core) after {Seconds(_settings.WaitIdle)}; running anyway")).ConfigureAwait(false);
                return;
            }

            await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
            var now = SystemCpu.Read();
            busy = SystemCpu.BusyPercent(previous, now);
            previous = now;
            quietSeconds = busy < 25 ? quietSeconds + 1 : 0;
        }
    }

    private async Task<string?> SanityCheckAsync(EnvoySimulator simulator, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            for (var i = 0; i < _settings.Connections * 2; i++)
            {
                await simulator.RunAsync(timeout.Token).ConfigureAwait(false);
            }

            return null;
        }
        catch (Exception e) when (e is Grpc.Core.RpcException or ProtocolException or OperationCanceledException or IOException or HttpRequestException)
        {
            return e.Message;
        }
    }

    private async Task WriteComparisonsAsync(List<RunResult> results)
    {
        var pairs = results
            .Where(r => r.Failure is null)
            .GroupBy(r => (r.Mode, r.Load))
            .Select(g => (Noop: g.FirstOrDefault(r => r.Target == "noop"), Ours: g.FirstOrDefault(r => r.Target == "ours")))
            .Where(p => p.Noop is not null && p.Ours is not null)
            .ToList();
        if (pairs.Count == 0)
        {
            return;
        }

        await _output.WriteLineAsync().ConfigureAwait(false);
        await _output.WriteLineAsync("| load | noop p99 ms | ours p99 ms | Δp99 ms (ours − noop) | noop req/s | ours req/s | ours peak RSS MB | target (Δp99 ≤ 1 ms, RSS < 200 MB) |").ConfigureAwait(false);
        await _output.WriteLineAsync("|---|--:|--:|--:|--:|--:|--:|---|").ConfigureAwait(false);
        foreach (var (noop, ours) in pairs)
        {
            var delta = ours!.P99Ms - noop!.P99Ms;
            var verdict = ours.Mode == "rate"
                ? (delta <= P99DeltaTargetMs && ours.ServerPeakRssMb < RssTargetMb && ours.Errors == 0 ? "met" : "MISSED")
                : (ours.ServerPeakRssMb < RssTargetMb ? "n/a (flat out; RSS ok)" : "n/a (flat out; RSS over)");
            await _output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"| {ResultTable.Load(ours)} | {noop.P99Ms:0.00} | {ours.P99Ms:0.00} | {delta:+0.00;-0.00;0.00} | {noop.Throughput:0} | {ours.Throughput:0} | {ours.ServerPeakRssMb:0} | {verdict} |")).ConfigureAwait(false);
        }
    }

    private static GrpcChannel CreateChannel(int port) =>
        GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                // Exactly one HTTP/2 connection per channel, kept for the whole run, like an Envoy worker's.
                EnableMultipleHttp2Connections = false,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                UseProxy = false,
                UseCookies = false,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
                InitialHttp2StreamWindowSize = 1024 * 1024,
            },
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            MaxSendMessageSize = 64 * 1024 * 1024,
        });

    private static double Ms(long nanoseconds) => nanoseconds / 1e6;

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s");
}
