using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AiGateway.LoadDriver.Hosting;

/// <summary>
/// The ext_proc server being measured, run as a child process so its CPU time and memory are its own:
/// <c>ours</c> is the built <c>aigw serve extproc</c>, <c>noop</c> is this executable's <c>noop-server</c>.
/// It listens on 127.0.0.1 only. Stopped with SIGTERM (then killed) when disposed, and killed if the driver exits.
/// </summary>
internal sealed class ServerUnderTest : IAsyncDisposable
{
    private const int OutputLines = 40;

    /// <summary>Environment variables the driver may use for itself and never hands to the server.</summary>
    internal static readonly string[] DriverOnlyEnvironment =
    [
        "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit",
        "DOTNET_gcServer",
        "DOTNET_GCgen0size",
        "DOTNET_TieredPGO",
    ];

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly string? _tempDirectory;
    private long _outputLines;

    private ServerUnderTest(Process process, int port, string description, string? tempDirectory)
    {
        _process = process;
        Port = port;
        Description = description;
        _tempDirectory = tempDirectory;
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
    }

    public int Pid => _process.Id;

    public int Port { get; }

    /// <summary>The command line, for the log.</summary>
    public string Description { get; }

    /// <summary>The last lines the server printed (stdout and stderr), for error messages.</summary>
    public string OutputTail
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Lines the server has printed so far (a server that logs per request shows up here).</summary>
    public long OutputLineCount => Interlocked.Read(ref _outputLines);

    public static async Task<ServerUnderTest> StartAsync(ServerTarget target, DriverSettings settings, CancellationToken cancellationToken)
    {
        var port = FreeLoopbackPort();
        var listen = $"127.0.0.1:{port}";
        string fileName;
        var arguments = new List<string>();
        string? tempDirectory = null;
        switch (target)
        {
            case ServerTarget.Ours:
                var aigw = settings.AigwPath ?? DefaultAigwPath()
                    ?? throw new InvalidOperationException("Cannot find the built aigw; run `dotnet build -c Release src/AiGateway.Cli` or pass --aigw <path>.");
                if (!File.Exists(aigw))
                {
                    throw new InvalidOperationException($"{aigw} does not exist; run `dotnet build -c Release src/AiGateway.Cli` or pass --aigw <path>.");
                }

                tempDirectory = Directory.CreateTempSubdirectory("aigw-load-").FullName;
                var config = Path.Combine(tempDirectory, "gateway.yaml");
                await File.WriteAllTextAsync(config, GatewayYaml, cancellationToken).ConfigureAwait(false);
                fileName = aigw;
                arguments.AddRange(["serve", "extproc", "--config", config, "--listen", listen, "--admin", "off"]);
                break;
            case ServerTarget.Noop:
                var self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell this executable's path.");
                fileName = self;
                if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
                {
                    arguments.Add(typeof(ServerUnderTest).Assembly.Location);
                }

                arguments.AddRange(["noop-server", "--listen", listen]);
                if (settings.NoopCloseEarly)
                {
                    arguments.Add("--close-early");
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(target), target, null);
        }

        if (settings.ServerCpus is { } cpus)
        {
            // taskset execs the server, so the pid stays the server's.
            arguments.InsertRange(0, ["-c", cpus, fileName]);
            fileName = "taskset";
        }

        var start = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Driver-side tuning (e.g. less thread-pool spinning to leave the server more CPU) must not
        // change the server under test: it gets only what --server-env gives it.
        foreach (var name in DriverOnlyEnvironment)
        {
            start.Environment.Remove(name);
        }

        foreach (var (key, value) in settings.ServerEnvironment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var server = new ServerUnderTest(process, port, $"{fileName} {string.Join(' ', arguments)}", tempDirectory);
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await server.WaitForPortAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        try
        {
            if (!_process.HasExited)
            {
                Measurement.NativeMethods.Terminate(_process.Id);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        finally
        {
            _process.Dispose();
            if (_tempDirectory is not null)
            {
                try
                {
                    Directory.Delete(_tempDirectory, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    /// <summary>One OpenAI provider serving gpt-4o-mini. The endpoint is never contacted: ext_proc only rewrites requests.</summary>
    internal const string GatewayYaml = """
        # Written by tools/AiGateway.LoadDriver for one benchmark run.
        providers:
          - name: openai
            type: openai
            endpoint: http://127.0.0.1:9/v1
            api_key: sk-load-driver-provider-key
            models:
              - gpt-4o-mini
            priority: 1
        routing:
          strategy: priority
        """;

    /// <summary>src/AiGateway.Cli/bin/Release/net10.0/aigw above this executable's directory, or null.</summary>
    internal static string? DefaultAigwPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AiGateway.ExtProc.sln")))
            {
                return Path.Combine(directory.FullName, "src", "AiGateway.Cli", "bin", "Release", "net10.0", OperatingSystem.IsWindows() ? "aigw.exe" : "aigw");
            }
        }

        return null;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task WaitForPortAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} before listening:{Environment.NewLine}{OutputTail}");
            }

            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"The server did not accept on 127.0.0.1:{Port} within {timeout.TotalSeconds:0} s:{Environment.NewLine}{OutputTail}", e);
            }
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        Interlocked.Increment(ref _outputLines);
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > OutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    private void KillOnExit(object? sender, EventArgs e)
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }
}
