using System.Diagnostics;
using System.Net.Sockets;
using AiGateway.TestKit;
using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace AiGateway.Cli.Tests.Commands;

/// <summary>Runs the real <c>aigw serve ratelimit</c> as a child process.</summary>
public sealed class ServeRateLimitCommandTests
{
    private static string Aigw => Path.Combine(AppContext.BaseDirectory, "aigw.dll");

    [Fact]
    public async Task Refuses_to_start_with_an_invalid_rate_limit_configuration()
    {
        var (exit, _, error) = await RunToEndAsync("serve", "ratelimit", "--config", FixtureFiles.Path("ratelimit", "invalid"), "--admin", "off");

        Assert.Equal(1, exit);
        Assert.Contains("a.yaml: invalid rate limit unit 'fortnight'", error, StringComparison.Ordinal);
        Assert.Contains("invalid rate-limit configuration; not starting", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_malformed_redis_url_with_exit_code_2()
    {
        var (exit, _, error) = await RunToEndAsync("serve", "ratelimit", "--config", FixtureFiles.Path("ratelimit", "valid"), "--redis", "redis://", "--admin", "off");

        Assert.Equal(2, exit);
        Assert.Contains("--redis:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decides_in_memory_without_redis_serves_health_and_stops_on_sigterm()
    {
        var grpcPort = FreePort.Next();
        var adminPort = FreePort.Next();
        using var process = Start("serve", "ratelimit", "--config", FixtureFiles.Path("ratelimit", "valid"), "--listen", $"127.0.0.1:{grpcPort}", "--admin", $"127.0.0.1:{adminPort}");
        try
        {
            await WaitForPortAsync(grpcPort, process);
            await WaitForPortAsync(adminPort, process);
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
            var client = new RateLimitService.RateLimitServiceClient(channel);
            var request = new RateLimitRequest { Domain = "gateway", Descriptors = { new RateLimitDescriptor { Entries = { new RateLimitDescriptor.Types.Entry { Key = "user", Value = "alice" } } } } };

            var first = await client.ShouldRateLimitAsync(request, deadline: DateTime.UtcNow.AddSeconds(5));
            var second = await client.ShouldRateLimitAsync(request, deadline: DateTime.UtcNow.AddSeconds(5));
            var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}"), Timeout = TimeSpan.FromSeconds(5) };
            var metrics = await http.GetStringAsync("/metrics");

            // The two calls may straddle a window boundary; then the second starts the new window.
            var rolledOver = second.Statuses[0].DurationUntilReset.ToTimeSpan() > first.Statuses[0].DurationUntilReset.ToTimeSpan();
            Assert.Equal((599u, rolledOver ? 599u : 598u), (first.Statuses[0].LimitRemaining, second.Statuses[0].LimitRemaining));
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
            Assert.Contains("ratelimit_service_rate_limit_total_hits_total", metrics, StringComparison.Ordinal);
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

    private static ProcessStartInfo Info(string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Aigw);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("REDIS_URL");
        return info;
    }

    private static Process Start(params string[] args)
    {
        var process = Process.Start(Info(args))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<(int Exit, string Output, string Error)> RunToEndAsync(params string[] args)
    {
        using var process = Process.Start(Info(args))!;
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
