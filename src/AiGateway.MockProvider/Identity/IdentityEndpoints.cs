using AiGateway.MockProvider.Hosting;
using Microsoft.AspNetCore.Http;

namespace AiGateway.MockProvider.Identity;

/// <summary>Routes token requests: Entra ID's <c>/{tenant}/oauth2/v2.0/token</c> and Google's <c>/token</c>. Recorded, never faulted.</summary>
internal static class IdentityEndpoints
{
    /// <summary>True when <paramref name="path"/> was a token request and has been answered.</summary>
    public static async Task<bool> TryHandleAsync(HttpContext context, MockProviderState state, string path, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        if (path == GoogleTokenEndpoint.Path)
        {
            await GoogleTokenEndpoint.HandleAsync(context, state, body, ct);
            return true;
        }

        if (EntraTokenEndpoint.TenantOf(path) is { } tenant)
        {
            await EntraTokenEndpoint.HandleAsync(context, state, tenant, body, ct);
            return true;
        }

        return false;
    }
}
