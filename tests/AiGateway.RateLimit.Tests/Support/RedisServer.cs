using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using AiGateway.TestKit;
using Testcontainers.Redis;

namespace AiGateway.RateLimit.Tests.Support;

/// <summary>
/// A throwaway Redis for tests: a local <c>redis-server</c> on a free loopback port (no persistence), or, when
/// redis-server is not installed but a Docker engine answers, a Testcontainers Redis. Can be stopped and started
/// again on the same address to test outages.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;
    private RedisContainer? _container;

    private RedisServer(int port)
    {
        Port = port;
    }

    public int Port { get; private set; }

    /// <summary>The address in the reference service's <c>REDIS_URL</c> form.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort.Next());
        if (FindRedisServer() is null && await DockerAnswersAsync())
        {
            server._container = new RedisBuilder("redis:7-alpine").Build();
            await server._container.StartAsync();
            server.Port = server._container.GetMappedPublicPort(6379);
            return server;
        }

        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) on the same port and waits until it answers PING.</summary>
    public async Task StartAgainAsync()
    {
        if (_container is not null)
        {
            await _container.StartAsync();
            Port = _container.GetMappedPublicPort(6379);
            return;
        }

        var path = FindRedisServer() ?? throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server) and no Docker engine answers");
        var start = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--protected-mode", "no", "--loglevel", "warning" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await PingAsync())
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new InvalidOperationException($"redis-server on port {Port} did not answer");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Stops the server (an outage); counters are lost, as with a Redis restart without persistence.</summary>
    public async Task StopAsync()
    {
        if (_container is not null)
        {
            await _container.StopAsync();
            return;
        }

        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    private static string? FindRedisServer() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);

    /// <summary>True when a Docker engine answers <c>/_ping</c> on its default unix socket.</summary>
    private static async Task<bool> DockerAnswersAsync()
    {
        const string socket = "/var/run/docker.sock";
        if (!File.Exists(socket))
        {
            return false;
        }

        try
        {
            using var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, token) =>
                {
                    var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await unix.ConnectAsync(new UnixDomainSocketEndPoint(socket), token);
                    return new NetworkStream(unix, ownsSocket: true);
                },
            };
            using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(3) };
            using var response = await http.GetAsync(new Uri("http://docker/_ping"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException or IOException)
        {
            return false;
        }
    }
}
