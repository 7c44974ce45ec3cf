using System.Text.Json;
using AiGateway.Core.Configuration;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Identity.Client;

namespace AiGateway.Core.Upstreams.Credentials;

/// <summary>
/// Microsoft Entra ID client credentials (<c>auth.type: azure-entra</c>): Azure.Identity's
/// <see cref="ClientSecretCredential"/> posts <c>grant_type=client_credentials</c> with the client id, secret
/// and scope to <c>{authority_host}/{tenant_id}/oauth2/v2.0/token</c>. Requests go through the gateway's
/// token <see cref="HttpClient"/>; retries are left to <see cref="RefreshingAccessToken"/>. Instance discovery
/// (authority validation against Microsoft's metadata service) runs for Microsoft's own clouds and is off
/// for any other authority host (Azure Stack, private clouds, test endpoints), which MSAL cannot validate.
/// </summary>
public sealed class AzureEntraTokenSource : IAccessTokenSource
{
    private static readonly Uri[] KnownAuthorityHosts =
    [
        AzureAuthorityHosts.AzurePublicCloud,
        AzureAuthorityHosts.AzureGovernment,
        AzureAuthorityHosts.AzureChina,
    ];

    private readonly ClientSecretCredential _credential;
    private readonly TokenRequestContext _request;
    private readonly string _tenantId;
    private readonly string _clientId;
    private readonly string _secret;
    private readonly Uri _authorityHost;

    /// <summary>Creates the source for a provider's <c>azure-entra</c> settings.</summary>
    /// <param name="auth">Validated settings: tenant, client id, client secret, authority host (https) and scope.</param>
    /// <param name="http">Sends the token requests.</param>
    public AzureEntraTokenSource(ProviderAuth auth, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentNullException.ThrowIfNull(http);
        if (auth.Kind != ProviderAuthKind.AzureEntra || auth.TenantId is null || auth.ClientId is null || auth.ClientSecret.IsEmpty)
        {
            throw new ArgumentException("azure-entra settings with tenant_id, client_id and client_secret are required", nameof(auth));
        }

        _tenantId = auth.TenantId;
        _clientId = auth.ClientId;
        _secret = auth.ClientSecret.Reveal();
        _authorityHost = auth.AuthorityHost ?? ProviderAuth.DefaultAzureAuthorityHost;
        var options = new ClientSecretCredentialOptions
        {
            AuthorityHost = _authorityHost,
            DisableInstanceDiscovery = !IsMicrosoftCloud(_authorityHost),
            Transport = new HttpClientTransport(http),
        };
        options.Retry.MaxRetries = 0;
        _credential = new ClientSecretCredential(_tenantId, _clientId, _secret, options);
        _request = new TokenRequestContext([auth.Scope ?? ProviderAuth.DefaultAzureScope]);
    }

    /// <inheritdoc />
    public string Issuer => "Microsoft Entra ID";

    /// <inheritdoc />
    /// <remarks>
    /// MSAL keeps the token in memory and hands it out again while more than five minutes remain;
    /// <see cref="RefreshingAccessToken"/> asks inside that window, so each refresh is a new exchange.
    /// </remarks>
    public async Task<AccessToken> FetchAsync(CancellationToken cancellationToken)
    {
        try
        {
            var token = await _credential.GetTokenAsync(_request, cancellationToken).ConfigureAwait(false);
            return new AccessToken(new Secret(token.Token), token.ExpiresOn);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (AuthenticationFailedException e) when (e.InnerException is MsalServiceException refused)
        {
            throw new CredentialException(Redact(Refused(refused)), e);
        }
        catch (AuthenticationFailedException e)
        {
            var cause = e.InnerException ?? e;
            throw new CredentialException(Redact($"could not get a token from {Issuer} at {_authorityHost.Authority} ({cause.GetType().Name}: {FirstLine(cause.Message)})"), e);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException)
        {
            throw new CredentialException(Redact($"could not reach {Issuer} at {_authorityHost.Authority} ({FirstLine(e.Message)})"), e);
        }
    }

    private static bool IsMicrosoftCloud(Uri host) =>
        Array.Exists(KnownAuthorityHosts, known => string.Equals(known.Host, host.Host, StringComparison.OrdinalIgnoreCase));

    private static string FirstLine(string text)
    {
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        return (end < 0 ? text : text[..end]).Trim();
    }

    /// <summary>The error Entra ID answered: status, OAuth error and the AADSTS line of its description.</summary>
    private string Refused(MsalServiceException refused)
    {
        var error = refused.ErrorCode;
        string? description = null;
        if (!string.IsNullOrEmpty(refused.ResponseBody))
        {
            try
            {
                using var body = JsonDocument.Parse(refused.ResponseBody);
                if (body.RootElement.ValueKind == JsonValueKind.Object)
                {
                    if (body.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
                    {
                        error = e.GetString();
                    }

                    if (body.RootElement.TryGetProperty("error_description", out var d) && d.ValueKind == JsonValueKind.String)
                    {
                        description = FirstLine(d.GetString()!);
                    }
                }
            }
            catch (JsonException)
            {
                // Not Entra's JSON (a proxy's page, say): the status and MSAL's code still say enough.
            }
        }

        var status = refused.StatusCode > 0 ? $"HTTP {refused.StatusCode} " : string.Empty;
        return $"{Issuer} refused client '{_clientId}' of tenant '{_tenantId}' ({status}{error})" + (description is null ? string.Empty : ": " + description);
    }

    private string Redact(string message) => message.Replace(_secret, "***", StringComparison.Ordinal);
}
