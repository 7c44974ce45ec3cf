using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiGateway.EnvoyHarness.Tests.Infrastructure;

/// <summary>A tiny HTTP/1.1 upstream on loopback: records each request (body read in full), then runs the test's handler.</summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly List<RecordedUpstreamRequest> _requests = [];
    private WebApplication? _app;

    public string Address { get; private set; } = string.Empty;

    public IReadOnlyList<RecordedUpstreamRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Answers 200 "upstream-ok" (text/plain) when <paramref name="handler"/> is null.</summary>
    public static async Task<FakeUpstream> StartAsync(Func<HttpContext, RecordedUpstreamRequest, Task>? handler = null)
    {
        var upstream = new FakeUpstream();
        handler ??= static (context, _) =>
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync("upstream-ok");
        };
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(',', h.Value.ToArray()));
            var recorded = new RecordedUpstreamRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body.ToArray());
            lock (upstream._requests)
            {
                upstream._requests.Add(recorded);
            }

            await handler(context, recorded);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        upstream._app = app;
        upstream.Address = $"127.0.0.1:{new Uri(address).Port}";
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
