namespace AiGateway.EnvoyHarness.Http;

/// <summary>
/// An ordered, multi-valued header map with lower-case names, pseudo-headers included, like Envoy's.
/// Not thread-safe: one request is processed by one logical flow at a time.
/// </summary>
internal sealed class HeaderMap
{
    // Envoy keeps these as single "inline" entries; appending joins with a comma instead of adding an entry.
    private static readonly HashSet<string> InlineHeaders = new(StringComparer.Ordinal)
    {
        "content-type", "content-length", "user-agent", "via", "x-forwarded-for", "x-forwarded-proto",
        "x-request-id", "te", "connection", "transfer-encoding", "expect", "grpc-timeout", "authorization",
        "accept-encoding", "cache-control", "date", "server", "referer",
    };

    private readonly List<KeyValuePair<string, string>> _entries = [];

    public int Count => _entries.Count;

    public IReadOnlyList<KeyValuePair<string, string>> Entries => _entries;

    public string? Get(string name)
    {
        foreach (var entry in _entries)
        {
            if (entry.Key == name)
            {
                return entry.Value;
            }
        }

        return null;
    }

    public IReadOnlyList<string> GetAll(string name) => _entries.Where(e => e.Key == name).Select(e => e.Value).ToArray();

    public bool Contains(string name) => _entries.Exists(e => e.Key == name);

    /// <summary>Adds a new entry (or comma-joins onto an inline header), keeping existing values.</summary>
    public void Append(string name, string value)
    {
        name = Normalize(name);
        if (InlineHeaders.Contains(name))
        {
            var index = _entries.FindIndex(e => e.Key == name);
            if (index >= 0)
            {
                _entries[index] = new(name, _entries[index].Value + "," + value);
                return;
            }
        }

        _entries.Add(new(name, value));
    }

    /// <summary>Adds an entry without inline joining (used when copying a wire header list).</summary>
    public void AddRaw(string name, string value) => _entries.Add(new(Normalize(name), value));

    /// <summary>Replaces every value of <paramref name="name"/> with one value, keeping the first entry's position.</summary>
    public void Set(string name, string value)
    {
        name = Normalize(name);
        var index = _entries.FindIndex(e => e.Key == name);
        if (index < 0)
        {
            _entries.Add(new(name, value));
            return;
        }

        _entries[index] = new(name, value);
        for (var i = _entries.Count - 1; i > index; i--)
        {
            if (_entries[i].Key == name)
            {
                _entries.RemoveAt(i);
            }
        }
    }

    public bool Remove(string name) => _entries.RemoveAll(e => e.Key == name) > 0;

    public HeaderMap Clone()
    {
        var copy = new HeaderMap();
        copy._entries.AddRange(_entries);
        return copy;
    }

    private static string Normalize(string name) => name.ToLowerInvariant();
}
