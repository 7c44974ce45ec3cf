using AiGateway.Core.Upstreams.Credentials;
using Microsoft.Extensions.Hosting;

namespace AiGateway.ExtProc.Hosting;

/// <summary>
/// Builds the <see cref="UpstreamCredentialStore"/> when the host starts (taking it as a dependency is the
/// whole job), so access tokens are fetched before the first request rather than by it.
/// </summary>
internal sealed class CredentialStoreStarter(UpstreamCredentialStore store) : IHostedService
{
    /// <summary>The store, built.</summary>
    public UpstreamCredentialStore Store => store;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
