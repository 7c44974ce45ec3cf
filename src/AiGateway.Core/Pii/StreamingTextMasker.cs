using System.Text;

namespace AiGateway.Core.Pii;

/// <summary>
/// Masks text that arrives in pieces (model output deltas) with a bounded hold-back: the last
/// <see cref="HoldBack"/> characters, and any finding that reaches them, wait for the next piece, so an
/// entity split across pieces is never released unmasked. Entities longer than the hold-back are not
/// guaranteed. One instance per stream; not thread-safe.
/// </summary>
public sealed class StreamingTextMasker(PiiMasker masker, string tenant, PiiPlaceholders placeholders, int holdBack = StreamingTextMasker.DefaultHoldBack)
{
    /// <summary>Default hold-back: longer than any built-in entity (an IBAN with spaces is 42 characters).</summary>
    public const int DefaultHoldBack = 64;

    // Characters already released, kept as left context for the detectors.
    private const int Context = 16;
    private readonly StringBuilder _pending = new();
    private Dictionary<string, int>? _found;
    private int _released;

    /// <summary>Characters held back at most.</summary>
    public int HoldBack { get; } = holdBack;

    /// <summary>Findings per label in the text released so far.</summary>
    public IReadOnlyDictionary<string, int> Found => _found ?? (IReadOnlyDictionary<string, int>)System.Collections.Frozen.FrozenDictionary<string, int>.Empty;

    /// <summary>Adds a piece; returns the masked text that can be released now (maybe empty).</summary>
    public string Push(string piece)
    {
        ArgumentNullException.ThrowIfNull(piece);
        _pending.Append(piece);
        var limit = _pending.Length - HoldBack;
        return limit <= _released ? string.Empty : Release(limit);
    }

    /// <summary>Releases everything held back (end of the stream).</summary>
    public string Flush() => Release(_pending.Length);

    private string Release(int limit)
    {
        var text = _pending.ToString();
        var (released, end) = masker.MaskPrefix(text, _released, limit, tenant, placeholders);
        foreach (var (label, count) in released.Found)
        {
            _found ??= new Dictionary<string, int>(StringComparer.Ordinal);
            _found[label] = _found.GetValueOrDefault(label) + count;
        }

        // Keep a little released text as context for the next round.
        var drop = Math.Max(0, end - Context);
        _pending.Remove(0, drop);
        _released = end - drop;
        return released.Text;
    }
}
