using System.Diagnostics;
using System.Net.Sockets;
using AiGateway.TestKit;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace AiGateway.Cli.Tests.Commands;

/// <summary>Runs the real <c>aigw</c> executable as a child process.</summary>
public sealed class ServeExtProcCommandTests
{
    private static string Aigw => Path.Combine(AppContext.BaseDirectory, "aigw.dll");

    [Fact]
    public async Task Refuses_to_start_with_an_invalid_configuration()
    {
        var (exit, _, error) = await RunToEndAsync("serve", "extproc", "--config", FixtureFiles.Path("invalid.yaml"), "--admin", "off");

        Assert.Equal(1, exit);
        Assert.Contains("invalid configuration; not starting", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_malformed_listen_address_with_exit_code_2()
    {
        var (exit, _, error) = await RunToEndAsync("serve", "extproc", "--config", FixtureFiles.Path("valid.yaml"), "--listen", "nowhere");

        Assert.Equal(2, exit);
        Assert.Contains("--listen: 'nowhere' is not host:port or unix:/path", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serves_grpc_health_and_http_endpoints_and_stops_gracefully_on_sigterm()
    {
        var grpcPort = FreePort.Next();
        var adminPort = FreePort.Next();
        using var process = Start("serve", "extproc", "--config", FixtureFiles.Path("valid.yaml"), "--listen", $"127.0.0.1:{grpcPort}", "--admin", $"127.0.0.1:{adminPort}");
        try
        {
            await WaitForPortAsync(grpcPort, process);
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
            var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}"), Timeout = TimeSpan.FromSeconds(5) };
            Assert.Equal("Healthy", await http.GetStringAsync("/healthz"));
            var metrics = await http.GetAsync("/metrics");
            Assert.True(metrics.IsSuccessStatusCode);

            // Act: SIGTERM, as Docker and Kubernetes stop a container.
            Assert.Equal(0, Kill(process.Id));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(timeout.Token);

            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Listens_on_a_unix_socket()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"aigw-{Guid.NewGuid():N}.sock");
        using var process = Start("serve", "extproc", "--config", FixtureFiles.Path("valid.yaml"), "--listen", "unix:" + socket, "--admin", "off");
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!File.Exists(socket))
            {
                Assert.True(DateTime.UtcNow < deadline && !process.HasExited, "the socket was not created");
                await Task.Delay(50);
            }

            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct);
                    return new NetworkStream(s, ownsSocket: true);
                },
            };
            using var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler });
            var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));

            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Aigw);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<(int Exit, string Output, string Error)> RunToEndAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Aigw);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static async Task WaitForPortAsync(int port, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            Assert.False(process.HasExited, "aigw exited early");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int KillNative(int pid, int signal);

    private static int Kill(int pid) => KillNative(pid, 15);
}
