using System.Security.Cryptography;
using System.Text.Json;
using AiGateway.Core.Configuration;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using Google.Apis.Http;

namespace AiGateway.Core.Upstreams.Credentials;

/// <summary>
/// Google service-account OAuth (<c>auth.type: gcp-service-account</c>): Google.Apis.Auth's
/// <see cref="ServiceAccountCredential"/> signs a JWT assertion (RS256) with the key file's private key
/// and posts it to the key file's <c>token_uri</c> for a scoped access token. The key file is read on
/// every fetch, so a key rotated on disk is picked up at the next refresh. Token requests go through the
/// gateway's token <see cref="HttpClient"/>; retries are left to <see cref="RefreshingAccessToken"/>.
/// </summary>
public sealed class GcpServiceAccountTokenSource : IAccessTokenSource
{
    /// <summary>Google's token endpoint, used when a key file names none.</summary>
    public static readonly Uri DefaultTokenUri = new("https://oauth2.googleapis.com/token");

    private readonly string _file;
    private readonly string _scope;
    private readonly TimeProvider _time;
    private readonly ForwardingClientFactory _clients;

    /// <summary>Creates the source for a provider's <c>gcp-service-account</c> settings.</summary>
    /// <param name="auth">Validated settings: the key file (absolute path) and the scope.</param>
    /// <param name="http">Sends the token requests.</param>
    /// <param name="time">The clock the assertion's <c>iat</c>/<c>exp</c> and the token's expiry are read from.</param>
    public GcpServiceAccountTokenSource(ProviderAuth auth, HttpClient http, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentNullException.ThrowIfNull(http);
        if (auth.Kind != ProviderAuthKind.GcpServiceAccount || string.IsNullOrEmpty(auth.CredentialsFile))
        {
            throw new ArgumentException("gcp-service-account settings with credentials_file are required", nameof(auth));
        }

        _file = auth.CredentialsFile;
        _scope = auth.Scope ?? ProviderAuth.DefaultGcpScope;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _clients = new ForwardingClientFactory(http);
    }

    /// <inheritdoc />
    public string Issuer => "Google OAuth";

    /// <inheritdoc />
    public async Task<AccessToken> FetchAsync(CancellationToken cancellationToken)
    {
        var key = await ReadKeyAsync(cancellationToken).ConfigureAwait(false);
        ServiceAccountCredential credential;
        try
        {
            credential = new ServiceAccountCredential(new ServiceAccountCredential.Initializer(key.ClientEmail, key.TokenUri.AbsoluteUri)
            {
                Scopes = [_scope],
                KeyId = key.KeyId,
                ProjectId = key.ProjectId,
                HttpClientFactory = _clients,
                Clock = new Clock(_time),
                DefaultExponentialBackOffPolicy = ExponentialBackOffPolicy.None,
            }.FromPrivateKey(key.PrivateKey));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException or FormatException or InvalidOperationException)
        {
            throw new CredentialException($"the private_key in service-account key file {_file} is not a PEM-encoded RSA key", e);
        }

        try
        {
            await credential.RequestAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TokenResponseException e)
        {
            var status = e.StatusCode is { } code ? $"HTTP {(int)code} " : string.Empty;
            var description = string.IsNullOrEmpty(e.Error?.ErrorDescription) ? string.Empty : ": " + e.Error.ErrorDescription;
            throw new CredentialException($"{Issuer} at {key.TokenUri.Authority} refused service account '{key.ClientEmail}' ({status}{e.Error?.Error ?? "error"}){description}", e);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or Newtonsoft.Json.JsonException or TaskCanceledException)
        {
            throw new CredentialException($"could not get a token from {Issuer} at {key.TokenUri.Authority} ({e.GetType().Name}: {e.Message})", e);
        }

        var token = credential.Token;
        if (token is null || string.IsNullOrEmpty(token.AccessToken) || token.ExpiresInSeconds is not > 0)
        {
            throw new CredentialException($"{Issuer} at {key.TokenUri.Authority} answered without an access token and its lifetime");
        }

        return new AccessToken(new Secret(token.AccessToken), new DateTimeOffset(token.IssuedUtc, TimeSpan.Zero).AddSeconds(token.ExpiresInSeconds.Value));
    }

    private async Task<ServiceAccountKey> ReadKeyAsync(CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(_file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CredentialException($"cannot read service-account key file {_file} ({e.GetType().Name})", e);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("it is not a JSON object");
            }

            var type = Text(root, "type");
            if (type != "service_account")
            {
                throw Invalid($"its type is '{type ?? "missing"}', expected 'service_account' (a key created for a service account)");
            }

            var email = Text(root, "client_email") ?? throw Invalid("client_email is missing");
            var privateKey = Text(root, "private_key") ?? throw Invalid("private_key is missing");
            var tokenUri = DefaultTokenUri;
            if (Text(root, "token_uri") is { } uri
                && (!Uri.TryCreate(uri, UriKind.Absolute, out tokenUri) || (tokenUri.Scheme != Uri.UriSchemeHttps && tokenUri.Scheme != Uri.UriSchemeHttp)))
            {
                throw Invalid($"token_uri '{uri}' is not an http(s) URL");
            }

            return new ServiceAccountKey(email, privateKey, Text(root, "private_key_id"), Text(root, "project_id"), tokenUri);
        }
        catch (JsonException e)
        {
            throw new CredentialException($"service-account key file {_file} is not valid JSON", e);
        }
    }

    private CredentialException Invalid(string reason) => new($"service-account key file {_file} is invalid: {reason}");

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private sealed record ServiceAccountKey(string ClientEmail, string PrivateKey, string? KeyId, string? ProjectId, Uri TokenUri);

    /// <summary>Google.Apis' clock over the injected <see cref="TimeProvider"/>.</summary>
    private sealed class Clock(TimeProvider time) : Google.Apis.Util.IClock
    {
        public DateTime Now => time.GetLocalNow().DateTime;

        public DateTime UtcNow => time.GetUtcNow().UtcDateTime;
    }

    /// <summary>Google.Apis' HTTP clients, sending through the gateway's shared client.</summary>
    private sealed class ForwardingClientFactory(HttpClient http) : HttpClientFactory
    {
        protected override HttpMessageHandler CreateHandler(CreateHttpClientArgs args) => new Forwarder(http);
    }

    private sealed class Forwarder(HttpClient http) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Google's own HttpClient has already marked the message as sent: send a copy (same content).
            var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Content = request.Content, Version = request.Version };
            foreach (var (name, values) in request.Headers)
            {
                copy.Headers.TryAddWithoutValidation(name, values);
            }

            return http.SendAsync(copy, cancellationToken);
        }
    }
}
