using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AiGateway.MockProvider.Hosting;

/// <summary>Builds the mock provider web application; shared by the standalone process and <see cref="MockProviderServer"/>.</summary>
internal static class MockProviderApp
{
    /// <summary>How long shutdown waits for in-flight requests before aborting them.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);

    public static WebApplication Build(MockProviderOptions options, string[] args, Action<WebApplicationBuilder> configureHost)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configureHost);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(MockProviderApp).Assembly.GetName().Name,
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // Kestrel logs every MockConnectionResetException as an application error; the handler logs
        // real errors itself (Log.UnexpectedError) before they reach Kestrel.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Critical);
        builder.Services.Configure<HostOptions>(static o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddSingleton(new MockProviderState(options));
        configureHost(builder);

        var app = builder.Build();
        var handler = new MockRequestHandler(
            app.Services.GetRequiredService<MockProviderState>(),
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AiGateway.MockProvider"),
            app.Lifetime.ApplicationStopping);
        app.Run(handler.InvokeAsync);
        return app;
    }
}
