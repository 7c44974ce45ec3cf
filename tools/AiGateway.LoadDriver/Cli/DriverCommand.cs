using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using AiGateway.LoadDriver.Hosting;

namespace AiGateway.LoadDriver.Cli;

/// <summary>The driver's command line (see docs/performance.md).</summary>
internal static class DriverCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build(Console.Out, Console.Error);
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }

    internal static RootCommand Build(TextWriter output, TextWriter log)
    {
        var target = new Option<string>("--target")
        {
            Description = "Server under test: ours (built aigw), noop (CONTINUE-only baseline), or both (noop, then ours, same settings).",
            DefaultValueFactory = _ => "both",
        };
        target.AcceptOnlyFromAmong("ours", "noop", "both");
        var rate = ListOption<double>("--rate", "Open-loop rate(s) in req/s, e.g. 1000 or 1000,2000,4000 (one run each).");
        var concurrency = ListOption<int>("--concurrency", "Flat-out run(s) with this many requests in flight, e.g. 64 or 16,64.");
        var duration = DurationOption("--duration", "Measured time per run, e.g. 20s.", TimeSpan.FromSeconds(20));
        var warmup = DurationOption("--warmup", "Warm-up per run, excluded from the numbers.", TimeSpan.FromSeconds(5));
        var drain = DurationOption("--drain", "Time in-flight requests get after the window before they are cancelled (errors).", TimeSpan.FromSeconds(5));
        var waitIdle = DurationOption("--wait-idle", "Before each run wait up to this long for other processes to use < 25% of a core (shared machines); 0 = don't wait.", TimeSpan.Zero);
        var slo = DurationOption("--slo-p99", "Open-loop runs count as sustainable when p99 is at most this.", TimeSpan.FromMilliseconds(10));
        var connections = new Option<int>("--connections")
        {
            Description = "HTTP/2 connections to the server (Envoy opens about one per worker).",
            DefaultValueFactory = _ => 2,
        };
        connections.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 64)
            {
                r.AddError("--connections must be 1..64.");
            }
        });
        var maxInFlight = new Option<int>("--max-inflight")
        {
            Description = "Open loop: requests due while this many are in flight are not started and count as errors.",
            DefaultValueFactory = _ => 10_000,
        };
        var aigw = new Option<string?>("--aigw") { Description = "Path of the aigw executable (default: src/AiGateway.Cli/bin/Release/net10.0/aigw of this checkout)." };
        var serverCpus = new Option<string?>("--server-cpus") { Description = "Pin the server with taskset -c, e.g. 1 (pin the driver yourself: taskset -c 0 ...)." };
        var serverEnv = new Option<string[]>("--server-env") { Description = "KEY=VALUE environment for the server, repeatable (e.g. DOTNET_gcServer=0)." };
        var noopCloseEarly = new Option<bool>("--noop-close-early") { Description = "Experiment: the noop server ends each stream with OK after the last message Envoy sends, before Envoy's reset." };
        var json = new Option<string?>("--json") { Description = "Append one JSON object per run to this file." };
        var label = new Option<string?>("--label") { Description = "Label shown next to the target in the table and JSON." };

        var root = new RootCommand("Load driver for `aigw serve extproc`: plays Envoy's router and upstream ext_proc filters over gRPC against a server it starts as a child process.")
        {
            target, rate, concurrency, duration, warmup, drain, waitIdle, slo, connections, maxInFlight, aigw, serverCpus, serverEnv, noopCloseEarly, json, label,
        };
        root.SetAction(async (parse, cancellationToken) =>
        {
            var env = new List<KeyValuePair<string, string>>();
            foreach (var pair in parse.GetValue(serverEnv) ?? [])
            {
                var cut = pair.IndexOf('=', StringComparison.Ordinal);
                if (cut <= 0)
                {
                    await log.WriteLineAsync($"--server-env: '{pair}' is not KEY=VALUE").ConfigureAwait(false);
                    return 2;
                }

                env.Add(new(pair[..cut], pair[(cut + 1)..]));
            }

            var rates = parse.GetValue(rate) ?? [];
            var concurrencies = parse.GetValue(concurrency) ?? [];
            if (rates.Length == 0 && concurrencies.Length == 0)
            {
                rates = [1000];
            }

            var settings = new DriverSettings
            {
                Targets = parse.GetValue(target) switch
                {
                    "ours" => [ServerTarget.Ours],
                    "noop" => [ServerTarget.Noop],
                    _ => [ServerTarget.Noop, ServerTarget.Ours],
                },
                Rates = rates,
                Concurrencies = concurrencies,
                Duration = parse.GetValue(duration),
                Warmup = parse.GetValue(warmup),
                Drain = parse.GetValue(drain),
                SloP99 = parse.GetValue(slo),
                WaitIdle = parse.GetValue(waitIdle),
                Connections = parse.GetValue(connections),
                MaxInFlight = parse.GetValue(maxInFlight),
                AigwPath = parse.GetValue(aigw),
                ServerCpus = parse.GetValue(serverCpus),
                ServerEnvironment = env,
                NoopCloseEarly = parse.GetValue(noopCloseEarly),
                JsonPath = parse.GetValue(json),
                Label = parse.GetValue(label),
            };
            return await new BenchmarkSession(settings, output, log).RunAsync(cancellationToken).ConfigureAwait(false);
        });

        var listen = new Option<string>("--listen") { Description = "Loopback host:port.", Required = true };
        var closeEarly = new Option<bool>("--close-early") { Description = "End each stream with OK after the last message Envoy sends on it." };
        var noop = new Command("noop-server", "Serve the CONTINUE-only ext_proc baseline (started by the driver itself).") { listen, closeEarly };
        noop.Hidden = true;
        noop.SetAction((parse, cancellationToken) => NoopServer.RunAsync(parse.GetValue(listen)!, parse.GetValue(closeEarly), output, log, cancellationToken));
        root.Subcommands.Add(noop);
        root.Subcommands.Add(RateLimit.RateLimitCommand.Build(output, log));
        return root;
    }

    private static Option<TimeSpan> DurationOption(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (DurationParser.TryParse(text, out var value))
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not a duration like 20s, 500ms or 2m.");
            return default;
        },
    };

    private static Option<T[]> ListOption<T>(string name, string description)
        where T : struct, IParsable<T>, IComparable<T>
        => new(name)
        {
            Description = description,
            CustomParser = result =>
            {
                var values = new List<T>();
                foreach (var token in result.Tokens)
                {
                    foreach (var part in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!T.TryParse(part, CultureInfo.InvariantCulture, out var value) || value.CompareTo(default) <= 0)
                        {
                            result.AddError($"{name}: '{part}' is not a positive number.");
                            return [];
                        }

                        values.Add(value);
                    }
                }

                return [.. values];
            },
        };
}
