using System.Runtime.InteropServices;
using AiGateway.EnvoyHarness;

// envoy-standin --config envoy/envoy.yaml [--port 8080] [--override host:port=127.0.0.1:port ...]
// Serves the listener of an Envoy bootstrap with the test harness, for machines without an Envoy binary.
string? config = null;
int? port = null;
var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--config" when i + 1 < args.Length:
            config = args[++i];
            break;
        case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], out var p):
            port = p;
            i++;
            break;
        case "--override" when i + 1 < args.Length && args[i + 1].Split('=') is [var from, var to]:
            overrides[from] = to;
            i++;
            break;
        default:
            await Console.Error.WriteLineAsync($"unexpected argument '{args[i]}'\nusage: envoy-standin --config envoy.yaml [--port N] [--override host:port=ip:port]...");
            return 2;
    }
}

if (config is null)
{
    await Console.Error.WriteLineAsync("usage: envoy-standin --config envoy.yaml [--port N] [--override host:port=ip:port]...");
    return 2;
}

await using var harness = await EnvoyHarness.StartAsync(new EnvoyHarnessOptions { EnvoyYamlPath = config, ListenerPort = port, AddressOverrides = overrides });
Console.WriteLine($"Envoy stand-in (test harness) serving {config} on {harness.BaseAddress}");
foreach (var note in harness.Notes)
{
    Console.WriteLine("note: " + note);
}

// The harness's own web host swallows SIGTERM/SIGINT for itself; stop the whole process on either.
using var stop = new CancellationTokenSource();
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
