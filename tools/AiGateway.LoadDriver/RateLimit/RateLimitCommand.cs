using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AiGateway.LoadDriver.Measurement;
using AiGateway.RateLimit.Storage;
using Envoy.Service.Ratelimit.V3;
using Grpc.Net.Client;

namespace AiGateway.LoadDriver.RateLimit;

/// <summary>
/// <c>ratelimit</c>: drives <c>aigw serve ratelimit</c> on Redis with ShouldRateLimit calls of 1 and 3 descriptors
/// (open loop at fixed rates and flat out), then measures Redis's own ceiling for the same work with
/// <c>redis-benchmark</c> running the service's Lua script with as many keys, and prints the ratio. Each row also shows
/// the CPU the service, Redis and the driver itself used in the measured window (in % of one core; the machine has
/// <see cref="Environment.ProcessorCount"/> × 100 %), the whole machine's busy share, and the 1-minute load average at the
/// end of the run, so a driver-bound or shared-machine run shows as such.
/// </summary>
internal static class RateLimitCommand
{
    public static Command Build(TextWriter output, TextWriter log)
    {
        var redis = new Option<string?>("--redis") { Description = "Redis host:port to use; default: start a redis-server on a free loopback port." };
        var descriptors = new Option<int[]>("--descriptors") { Description = "Descriptors per call, e.g. 1,3.", DefaultValueFactory = _ => [1, 3], AllowMultipleArgumentsPerToken = true };
        var rates = new Option<double[]>("--rate") { Description = "Open-loop rates (req/s).", DefaultValueFactory = _ => [5000], AllowMultipleArgumentsPerToken = true };
        var concurrency = new Option<int>("--concurrency") { Description = "Calls in flight for the flat-out run and for redis-benchmark's clients.", DefaultValueFactory = _ => 64 };
        var duration = new Option<int>("--duration-seconds") { Description = "Measured seconds per run.", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup-seconds") { Description = "Warm-up seconds per run.", DefaultValueFactory = _ => 3 };
        var connections = new Option<int>("--connections") { Description = "HTTP/2 connections to the service.", DefaultValueFactory = _ => 2 };
        var aigw = new Option<string?>("--aigw") { Description = "Path of aigw (default: the Release build of this checkout)." };
        var deadline = new Option<int>("--redis-deadline-ms") { Description = "The service's Redis deadline (its default is 10 ms).", DefaultValueFactory = _ => 10 };
        var maxInFlight = new Option<int>("--max-inflight")
        {
            Description = "Open loop: calls due while this many are in flight are not started and count as errors (Envoy would have given up on them); keeps an overloaded run from drowning the driver's own HTTP/2 client.",
            DefaultValueFactory = _ => 1000,
        };
        var cold = new Option<bool>("--cold") { Description = "Cold start: no driver warm-up, so the first run (use --warmup-seconds 0) meets the service as it comes up." };
        var timeout = new Option<int>("--timeout-ms")
        {
            Description = "Each call's deadline, sent as grpc-timeout like Envoy's rate limit filter does (its default timeout is 20 ms); later answers count as errors. 0 = no deadline.",
            DefaultValueFactory = _ => 20,
        };
        var noop = new Option<bool>("--noop")
        {
            Description = "Drive this executable's noop-server instead of aigw: a rate-limit service that answers OK without Redis, so the rows show what gRPC, Kestrel and the driver alone cost on this machine.",
        };
        var command = new Command("ratelimit", "Benchmark `aigw serve ratelimit` on Redis against Redis's own ceiling for the same script.")
        {
            redis, descriptors, rates, concurrency, duration, warmup, connections, aigw, deadline, timeout, cold, maxInFlight, noop,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var redisServer = parse.GetValue(redis) is { } given ? null : await ChildProcess.StartRedisAsync(cancellationToken).ConfigureAwait(false);
            var redisAddress = parse.GetValue(redis) ?? $"127.0.0.1:{redisServer!.Port}";
            var aigwPath = parse.GetValue(aigw) ?? Hosting.ServerUnderTest.DefaultAigwPath() ?? throw new InvalidOperationException("pass --aigw");
            var configDirectory = Directory.CreateTempSubdirectory("aigw-rl-bench-").FullName;
            await File.WriteAllTextAsync(Path.Combine(configDirectory, "bench.yaml"), RateLimitScenario.ConfigYaml, cancellationToken).ConfigureAwait(false);
            var port = FreePort();
            await using var server = parse.GetValue(noop)
                ? await ChildProcess.StartAsync(Environment.ProcessPath!, ["noop-server", "--listen", $"127.0.0.1:{port}"], port, cancellationToken).ConfigureAwait(false)
                : await ChildProcess.StartAsync(aigwPath, ["serve", "ratelimit", "--config", configDirectory, "--redis", redisAddress, "--listen", $"127.0.0.1:{port}", "--admin", "off", "--redis-deadline-ms", parse.GetValue(deadline).ToString(CultureInfo.InvariantCulture)], port, cancellationToken).ConfigureAwait(false);

            var channels = Enumerable.Range(0, parse.GetValue(connections)).Select(_ => GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } })).ToArray();
            var clients = channels.Select(c => new RateLimitService.RateLimitServiceClient(c)).ToArray();
            var inFlight = parse.GetValue(concurrency);
            TimeSpan? callTimeout = parse.GetValue(timeout) > 0 ? TimeSpan.FromMilliseconds(parse.GetValue(timeout)) : null;
            await output.WriteLineAsync($"{(parse.GetValue(noop) ? "noop rate-limit service (no Redis work)" : $"aigw serve ratelimit ({aigwPath})")} on Redis {redisAddress}; {MachineInfo.Describe()}; {parse.GetValue(duration)} s per run; call deadline {(callTimeout is { } t ? $"{t.TotalMilliseconds:0} ms" : "none")}; load average {LoadAverage()}").ConfigureAwait(false);
            await output.WriteLineAsync("| descriptors | load | decisions/s | p50 ms | p99 ms | p99.9 ms | errors | Redis ceiling (redis-benchmark, same script) | ours / ceiling | CPU % aigw / redis / driver / machine | load avg |").ConfigureAwait(false);
            await output.WriteLineAsync("|---|---|---|---|---|---|---|---|---|---|---|").ConfigureAwait(false);
            var redisPid = redisServer?.Pid;
            // JIT, thread pool and connections warm up at a moderate load before anything is measured.
            if (!parse.GetValue(cold))
            {
                var warm = new LoadRunner(new RateLimitScenario(clients, 3, users: 10_000), TimeSpan.FromSeconds(parse.GetValue(warmup)), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), 10_000);
                await warm.RunFlatOutAsync(16, cancellationToken).ConfigureAwait(false);
                // The open-loop path is the driver's own code too: run it once at a low rate, so the first measured
                // rate does not meet the driver's tier-0 code (that alone tipped the first 5,000/s run into overload).
                await warm.RunAtRateAsync(1_000, cancellationToken).ConfigureAwait(false);
            }
            foreach (var count in parse.GetValue(descriptors)!)
            {
                var scenario = new RateLimitScenario(clients, count, users: 10_000, callTimeout);
                var cpu = new CpuWindow(server.Pid, redisPid);
                var runner = new LoadRunner(scenario, TimeSpan.FromSeconds(parse.GetValue(warmup)), TimeSpan.FromSeconds(parse.GetValue(duration)), TimeSpan.FromSeconds(5), parse.GetValue(maxInFlight))
                {
                    WindowOpened = cpu.Open,
                    WindowClosed = cpu.Close,
                };
                var rows = new List<(string Load, LoadStats Stats, CpuFigures Cpu)>();
                foreach (var rate in parse.GetValue(rates)!)
                {
                    rows.Add(($"{rate:0} req/s", await runner.RunAtRateAsync(rate, cancellationToken).ConfigureAwait(false), cpu.Figures));
                }

                rows.Add(($"flat out, {inFlight} in flight", await runner.RunFlatOutAsync(inFlight, cancellationToken).ConfigureAwait(false), cpu.Figures));

                // After the runs, so that with --cold the first run meets the service as it comes up.
                var ceiling = await RedisCeilingAsync(redisAddress, count, inFlight, cancellationToken).ConfigureAwait(false);
                foreach (var (load, stats, figures) in rows)
                {
                    await output.WriteLineAsync(Row(count, load, stats, ceiling, figures)).ConfigureAwait(false);
                    await ErrorsAsync(log, stats).ConfigureAwait(false);
                }
            }

            foreach (var channel in channels)
            {
                channel.Dispose();
            }

            Directory.Delete(configDirectory, recursive: true);
            return 0;
        });
        return command;
    }

    private static string Row(int descriptors, string load, LoadStats stats, double ceiling, CpuFigures cpu) => string.Create(
        CultureInfo.InvariantCulture,
        $"| {descriptors} | {load} | {stats.Throughput:0} | {Ms(stats.Latency.ValueAtPercentile(50))} | {Ms(stats.Latency.ValueAtPercentile(99))} | {Ms(stats.Latency.ValueAtPercentile(99.9))} | {stats.ErrorCount} | {ceiling:0} calls/s | {(ceiling > 0 ? stats.Throughput / ceiling : 0):0.00} | {cpu.Server:0} / {cpu.Redis:0} / {cpu.Driver:0} / {cpu.Machine:0} | {LoadAverage()} |");

    /// <summary>The 1-minute load average (/proc/loadavg), or "?" elsewhere.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static async Task ErrorsAsync(TextWriter log, LoadStats stats)
    {
        foreach (var (kind, count) in stats.Errors.OrderByDescending(e => e.Value).Take(3))
        {
            await log.WriteLineAsync($"  errors: {count} x {kind}").ConfigureAwait(false);
        }
    }

    private static string Ms(long nanoseconds) => (nanoseconds / 1e6).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>redis-benchmark running the service's own script with <paramref name="keys"/> keys per call: Redis's ceiling for the same work.</summary>
    private static async Task<double> RedisCeilingAsync(string redis, int keys, int clients, CancellationToken cancellationToken)
    {
        var (host, port) = (redis[..redis.LastIndexOf(':')], redis[(redis.LastIndexOf(':') + 1)..]);
        var arguments = new List<string> { "-h", host, "-p", port, "-c", clients.ToString(CultureInfo.InvariantCulture), "-n", "200000", "-r", "10000", "--csv", "EVAL", RedisRateLimitStore.Script, keys.ToString(CultureInfo.InvariantCulture) };
        for (var k = 0; k < keys; k++)
        {
            arguments.Add($"bench_k{k}___rand_int___1700000000");
        }

        for (var k = 0; k < keys; k++)
        {
            arguments.AddRange(["1", "3900"]);
        }

        var info = new ProcessStartInfo("redis-benchmark") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        arguments.ForEach(info.ArgumentList.Add);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("redis-benchmark did not start");
        var text = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var last = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? string.Empty;
        var fields = last.Split("\",\"", StringSplitOptions.None);
        return fields.Length > 1 && double.TryParse(fields[1].Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out var rps) ? rps : 0;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>CPU of the service, Redis, the driver and the machine over one measured window, in % of one core.</summary>
    private readonly record struct CpuFigures(double Server, double Redis, double Driver, double Machine);

    /// <summary>Reads <see cref="CpuFigures"/> at the opening and closing of a measured window.</summary>
    private sealed class CpuWindow(int serverPid, int? redisPid)
    {
        private readonly int _self = Environment.ProcessId;
        private ProcessSample _server;
        private ProcessSample _redis;
        private ProcessSample _driver;
        private SystemCpu _machine;

        public CpuFigures Figures { get; private set; }

        public void Open()
        {
            _server = ProcessSampler.ReadProc(serverPid);
            _redis = redisPid is { } pid ? ProcessSampler.ReadProc(pid) : default;
            _driver = ProcessSampler.ReadProc(_self);
            _machine = SystemCpu.Read();
        }

        public void Close()
        {
            Figures = new CpuFigures(
                ProcessSampler.CpuPercent(_server, ProcessSampler.ReadProc(serverPid)),
                redisPid is { } pid ? ProcessSampler.CpuPercent(_redis, ProcessSampler.ReadProc(pid)) : 0,
                ProcessSampler.CpuPercent(_driver, ProcessSampler.ReadProc(_self)),
                SystemCpu.BusyPercent(_machine, SystemCpu.Read()));
        }
    }

    /// <summary>A child process this run started (and kills by its own id when done).</summary>
    private sealed class ChildProcess(Process process, int port) : IAsyncDisposable
    {
        public int Port => port;

        public int Pid => process.Id;

        public static async Task<ChildProcess> StartRedisAsync(CancellationToken cancellationToken)
        {
            var port = FreePort();
            return await StartAsync("redis-server", ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no"], port, cancellationToken).ConfigureAwait(false);
        }

        public static async Task<ChildProcess> StartAsync(string fileName, IEnumerable<string> arguments, int port, CancellationToken cancellationToken)
        {
            var info = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            info.Environment.Remove("REDIS_URL");
            var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                    return new ChildProcess(process, port);
                }
                catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
                {
                    await Task.Delay(50, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync().ConfigureAwait(false);
            }

            process.Dispose();
        }
    }
}
