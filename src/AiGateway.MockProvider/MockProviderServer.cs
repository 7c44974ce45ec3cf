using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AiGateway.MockProvider.Hosting;
using AiGateway.MockProvider.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiGateway.MockProvider;

/// <summary>
/// An in-process mock OpenAI-compatible provider on real Kestrel, bound to 127.0.0.1 on an ephemeral port.
/// Serves the OpenAI API under any path prefix (<c>{prefix}/chat/completions</c>, <c>{prefix}/embeddings</c>,
/// <c>{prefix}/models</c>, <c>{prefix}/models/{id}</c>), Anthropic's Messages API (<c>{prefix}/messages</c>)
/// plus <c>/healthz</c>.
/// </summary>
public sealed class MockProviderServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly MockProviderState _state;
    private int _disposed;

    private MockProviderServer(WebApplication app, Uri baseAddress, Uri? httpsBaseAddress, X509Certificate2? certificate)
    {
        _app = app;
        _state = app.Services.GetRequiredService<MockProviderState>();
        BaseAddress = baseAddress;
        HttpsBaseAddress = httpsBaseAddress;
        HttpsCertificate = certificate;
    }

    /// <summary>Root of the server, with a trailing slash, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The HTTPS root (another port, same endpoints) when <see cref="MockProviderOptions.ServeHttps"/> is set.</summary>
    public Uri? HttpsBaseAddress { get; }

    /// <summary>The self-signed certificate (CN=localhost, IP 127.0.0.1) served on <see cref="HttpsBaseAddress"/>.</summary>
    public X509Certificate2? HttpsCertificate { get; }

    /// <summary>The tokens the identity endpoints issued.</summary>
    public IssuedTokens IssuedTokens => _state.IssuedTokens;

    /// <summary>The bound TCP port.</summary>
    public int Port => BaseAddress.Port;

    /// <summary>The options the server runs with.</summary>
    public MockProviderOptions Options => _state.Options;

    /// <summary>A thread-safe snapshot of the requests received so far, oldest first (excludes /healthz and /_mock/*).</summary>
    public IReadOnlyList<RecordedRequest> Requests => _state.Recorder.Snapshot();

    /// <summary>Token requests to the mock IAM (<c>POST /identity/token</c>) so far, oldest first; not in <see cref="Requests"/>.</summary>
    public IReadOnlyList<RecordedRequest> TokenRequests => _state.TokenRequests.Snapshot();

    /// <summary>The fault rules that still have uses left, in order.</summary>
    public IReadOnlyList<FaultRule> Faults => _state.Faults.Snapshot();

    /// <summary>Starts a server with <paramref name="options"/>; throws <see cref="ArgumentException"/> listing every invalid option.</summary>
    public static async Task<MockProviderServer> StartAsync(MockProviderOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid mock provider options: " + string.Join("; ", errors), nameof(options));
        }

        var certificate = options.ServeHttps ? CreateLoopbackCertificate() : null;
        var app = MockProviderApp.Build(options, [], builder =>
        {
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, 0);
                if (certificate is not null)
                {
                    kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
                }
            });
        });
        try
        {
            await app.StartAsync(ct);
            var addresses = app.Services.GetRequiredService<IServer>().Features
                .GetRequiredFeature<IServerAddressesFeature>().Addresses;
            var http = addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal));
            var https = addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.Ordinal));
            return new MockProviderServer(app, new Uri(http.TrimEnd('/') + "/"), https is null ? null : new Uri(https.TrimEnd('/') + "/"), certificate);
        }
        catch
        {
            await app.DisposeAsync();
            certificate?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A handler that trusts exactly <see cref="HttpsCertificate"/> (and the system's roots otherwise), for
    /// clients of <see cref="HttpsBaseAddress"/>.
    /// </summary>
    public SocketsHttpHandler CreateTrustingHandler()
    {
        var thumbprint = HttpsCertificate?.GetCertHashString(HashAlgorithmName.SHA256)
            ?? throw new InvalidOperationException("the server was started without ServeHttps");
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            errors == SslPolicyErrors.None
            || (certificate is not null && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), thumbprint, StringComparison.Ordinal));
        return handler;
    }

    private static X509Certificate2 CreateLoopbackCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));

        // Kestrel needs a key it can use for TLS on every platform: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Forgets every recorded request.</summary>
    public void Clear() => _state.Recorder.Clear();

    /// <summary>Adds a fault rule after the existing ones; throws <see cref="ArgumentException"/> when it is invalid.</summary>
    public void AddFault(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var errors = rule.Validate("fault");
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid fault rule: " + string.Join("; ", errors), nameof(rule));
        }

        _state.Faults.Add(rule);
    }

    /// <summary>Removes every fault rule (including those from <see cref="MockProviderOptions.Faults"/>).</summary>
    public void ClearFaults() => _state.Faults.Clear();

    /// <summary>An absolute URI under this server, e.g. <c>GetUri("/v1/chat/completions")</c>.</summary>
    public Uri GetUri(string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        return new Uri(BaseAddress, pathAndQuery.TrimStart('/'));
    }

    /// <summary>Stops the server; in-flight requests are aborted after a short grace period.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using (var timeout = new CancellationTokenSource(MockProviderApp.ShutdownTimeout))
        {
            try
            {
                await _app.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Shutdown took longer than the grace period; disposing below aborts what is left.
            }
        }

        await _app.DisposeAsync();
        HttpsCertificate?.Dispose();
    }
}
