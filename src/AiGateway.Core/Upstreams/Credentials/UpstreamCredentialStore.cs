using AiGateway.Core.Configuration;

namespace AiGateway.Core.Upstreams.Credentials;

/// <summary>
/// The credentials of every provider of the current snapshot, built when a snapshot is applied (so
/// tokens are fetched before the first request) and kept across reloads while a provider's endpoint
/// and auth settings stay the same.
/// </summary>
public sealed class UpstreamCredentialStore(Func<ProviderDefinition, IUpstreamCredentials?> create) : IDisposable
{
    private readonly Lock _gate = new();
    private Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Builds or keeps credentials for the providers of <paramref name="snapshot"/> and disposes those no longer used.</summary>
    public void Apply(GatewaySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        List<IUpstreamCredentials> retired = [];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var next = new Dictionary<string, Entry>(StringComparer.Ordinal);
            foreach (var provider in snapshot.Providers)
            {
                if (provider.Auth.Kind == ProviderAuthKind.ApiKey)
                {
                    continue;
                }

                var key = new EntryKey(provider.Auth, provider.Endpoint, provider.Region, provider.ApiKey);
                if (_entries.Remove(provider.Name, out var existing) && existing.Key == key)
                {
                    next[provider.Name] = existing;
                }
                else
                {
                    if (existing is not null)
                    {
                        retired.Add(existing.Credentials);
                    }

                    if (create(provider) is { } credentials)
                    {
                        next[provider.Name] = new Entry(key, credentials);
                    }
                }
            }

            retired.AddRange(_entries.Values.Select(e => e.Credentials));
            _entries = next;
        }

        foreach (var credentials in retired)
        {
            credentials.Dispose();
        }
    }

    /// <summary>The credentials of a provider, when its auth needs more than an API key.</summary>
    public bool TryGet(string provider, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IUpstreamCredentials? credentials)
    {
        var entries = Volatile.Read(ref _entries);
        if (entries.TryGetValue(provider, out var entry))
        {
            credentials = entry.Credentials;
            return true;
        }

        credentials = null;
        return false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dictionary<string, Entry> entries;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            entries = _entries;
            _entries = new(StringComparer.Ordinal);
        }

        foreach (var entry in entries.Values)
        {
            entry.Credentials.Dispose();
        }
    }

    private sealed record EntryKey(ProviderAuth Auth, Uri Endpoint, string? Region, Secret ApiKey);

    private sealed record Entry(EntryKey Key, IUpstreamCredentials Credentials);
}
