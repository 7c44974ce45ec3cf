using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace AiGateway.Core.Pii;

/// <summary>What happens to a finding.</summary>
public enum PiiMode
{
    /// <summary>Replaced by the type's replacement text, e.g. <c>[EMAIL]</c>.</summary>
    Mask,

    /// <summary>Replaced by <c>[REDACTED]</c>, the type not revealed.</summary>
    Redact,

    /// <summary>Replaced by <c>[EMAIL:&lt;12 hex&gt;]</c>, an HMAC-SHA256 of the value under a per-tenant key: equal values stay equal.</summary>
    Hash,

    /// <summary>The request is refused, naming the type.</summary>
    Block,

    /// <summary>Replaced by a numbered placeholder (<c>[EMAIL_1]</c>) restored in the response of the same request.</summary>
    Reversible,
}

/// <summary>How one type is handled.</summary>
/// <param name="Mode">The mode.</param>
/// <param name="Replacement">The text for <see cref="PiiMode.Mask"/>.</param>
public sealed record PiiRule(PiiMode Mode, string Replacement);

/// <summary>The outcome of masking one text.</summary>
/// <param name="Text">The text with every finding replaced (the input itself when nothing was found).</param>
/// <param name="Found">Findings per label.</param>
/// <param name="BlockedBy">The label of the first finding whose mode is <see cref="PiiMode.Block"/>, if any.</param>
public sealed record PiiMaskResult(string Text, IReadOnlyDictionary<string, int> Found, string? BlockedBy);

/// <summary>Applies <see cref="PiiRule"/>s to the findings of a <see cref="PiiDetector"/>. Thread-safe; build once per configuration.</summary>
public sealed class PiiMasker
{
    private static readonly FrozenDictionary<string, int> NoFindings = FrozenDictionary<string, int>.Empty;
    private readonly PiiDetector _detector;
    private readonly FrozenDictionary<string, PiiRule> _rules;
    private readonly PiiRule _default;
    private readonly byte[] _hashKey;

    // True for the view that masks model output (see ForOutput).
    private readonly bool _output;

    /// <summary>Creates a masker.</summary>
    /// <param name="detector">Finds the entities.</param>
    /// <param name="rules">Rules by label; labels without a rule are masked with <c>[LABEL]</c>.</param>
    /// <param name="hashKey">Key for <see cref="PiiMode.Hash"/>.</param>
    public PiiMasker(PiiDetector detector, IReadOnlyDictionary<string, PiiRule> rules, byte[] hashKey)
    {
        _detector = detector ?? throw new ArgumentNullException(nameof(detector));
        _rules = (rules ?? throw new ArgumentNullException(nameof(rules))).ToFrozenDictionary(StringComparer.Ordinal);
        _default = new PiiRule(PiiMode.Mask, string.Empty);
        _hashKey = hashKey ?? throw new ArgumentNullException(nameof(hashKey));
        ForOutput = new PiiMasker(this);
    }

    private PiiMasker(PiiMasker requests)
    {
        _detector = requests._detector;
        _rules = requests._rules;
        _default = requests._default;
        _hashKey = requests._hashKey;
        _output = true;
        ForOutput = this;
    }

    /// <summary>
    /// The same rules for model output, where nothing can be refused or given back later: a
    /// <see cref="PiiMode.Block"/> type is masked as <c>[TYPE]</c>, and a <see cref="PiiMode.Reversible"/> one
    /// too, unless the value is one the request itself carried (the client's own data, which it gets back anyway).
    /// Findings never set <see cref="PiiMaskResult.BlockedBy"/>.
    /// </summary>
    public PiiMasker ForOutput { get; }

    /// <summary>Masks <paramref name="text"/>. Reversible placeholders are recorded in <paramref name="placeholders"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="tenant">Mixed into hashes so the same value hashes differently per tenant.</param>
    /// <param name="placeholders">Receives reversible placeholders (shared across the texts of one request).</param>
    public PiiMaskResult Mask(string text, string tenant, PiiPlaceholders placeholders)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(placeholders);
        var matches = _detector.Find(text);
        return matches.Count == 0 ? new PiiMaskResult(text, NoFindings, null) : Apply(text, 0, text.Length, matches, tenant, placeholders);
    }

    /// <summary>
    /// Masks the part of <paramref name="text"/> from <paramref name="from"/> that can be released now: up to
    /// <paramref name="limit"/>, moved back to the start of any finding that reaches the limit (it may still
    /// grow); a limit at the end of the text releases everything. Findings are made on the whole text, so the characters after the limit give their context.
    /// </summary>
    /// <returns>The masked released part and where it ends in <paramref name="text"/>.</returns>
    public (PiiMaskResult Released, int End) MaskPrefix(string text, int from, int limit, string tenant, PiiPlaceholders placeholders)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, text?.Length ?? 0);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(placeholders);
        var matches = _detector.Find(text);
        var end = limit;
        foreach (var m in matches)
        {
            if (limit < text.Length && m.Start < end && m.Start + m.Length >= end)
            {
                end = Math.Max(from, m.Start);
            }
        }

        matches.RemoveAll(m => m.Start < from || m.Start + m.Length > end);
        return (Apply(text, from, end, matches, tenant, placeholders), end);
    }

    private PiiMaskResult Apply(string text, int from, int end, List<PiiMatch> matches, string tenant, PiiPlaceholders placeholders)
    {
        var found = new Dictionary<string, int>(StringComparer.Ordinal);
        var output = new StringBuilder(end - from);
        var position = from;
        string? blocked = null;
        foreach (var m in matches)
        {
            found[m.Label] = found.GetValueOrDefault(m.Label) + 1;
            var rule = _rules.GetValueOrDefault(m.Label, _default);
            var value = text.AsSpan(m.Start, m.Length);
            output.Append(text, position, m.Start - position);
            position = m.Start + m.Length;
            var tag = m.Label.ToUpperInvariant();
            switch (rule.Mode)
            {
                case PiiMode.Mask:
                    output.Append(rule.Replacement.Length > 0 ? rule.Replacement : $"[{tag}]");
                    break;
                case PiiMode.Redact:
                    output.Append("[REDACTED]");
                    break;
                case PiiMode.Hash:
                    output.Append('[').Append(tag).Append(':').Append(Hash(tenant, value)).Append(']');
                    break;
                case PiiMode.Block:
                    blocked ??= _output ? null : m.Label;
                    output.Append('[').Append(tag).Append(']');
                    break;
                case PiiMode.Reversible when _output:
                    if (placeholders.Knows(value))
                    {
                        output.Append(value);
                    }
                    else
                    {
                        output.Append('[').Append(tag).Append(']');
                    }

                    break;
                case PiiMode.Reversible:
                    output.Append(placeholders.Add(tag, value.ToString()));
                    break;
            }
        }

        output.Append(text, position, end - position);
        return new PiiMaskResult(output.ToString(), found, blocked);
    }

    private string Hash(string tenant, ReadOnlySpan<char> value)
    {
        var input = Encoding.UTF8.GetBytes(string.Concat(tenant, "\u0000", value));
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_hashKey, input, mac);
        return Convert.ToHexStringLower(mac[..6]);
    }
}

/// <summary>Reversible placeholders of one request, and their restoration in its response.</summary>
public sealed class PiiPlaceholders
{
    private readonly Dictionary<string, string> _byValue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byPlaceholder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);

    /// <summary>How many placeholders were handed out.</summary>
    public int Count => _byPlaceholder.Count;

    /// <summary>The length of the longest placeholder (0 when there is none).</summary>
    public int LongestPlaceholder { get; private set; }

    /// <summary>True when <paramref name="value"/> was replaced by a placeholder in the request.</summary>
    public bool Knows(ReadOnlySpan<char> value) => _byValue.Count > 0 && _byValue.GetAlternateLookup<ReadOnlySpan<char>>().ContainsKey(value);

    /// <summary>The first UTF-8 byte of every placeholder's tag (the character after its <c>[</c>).</summary>
    public IEnumerable<byte> FirstTagBytes => _byPlaceholder.Keys.Select(p => Encoding.UTF8.GetBytes(p.Substring(1, char.IsHighSurrogate(p[1]) ? 2 : 1))[0]).Distinct();

    /// <summary>True when <paramref name="text"/> (starting with <c>[</c>) is the beginning of some placeholder.</summary>
    public bool IsPlaceholderStart(ReadOnlySpan<char> text)
    {
        foreach (var placeholder in _byPlaceholder.Keys)
        {
            if (placeholder.AsSpan().StartsWith(text, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The placeholder for a value: the same value gets the same placeholder within the request.</summary>
    public string Add(string tag, string value)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ArgumentNullException.ThrowIfNull(value);
        if (_byValue.TryGetValue(value, out var existing))
        {
            return existing;
        }

        var n = _counters[tag] = _counters.GetValueOrDefault(tag) + 1;
        var placeholder = $"[{tag}_{n.ToString(System.Globalization.CultureInfo.InvariantCulture)}]";
        _byValue[value] = placeholder;
        _byPlaceholder[placeholder] = value;
        LongestPlaceholder = Math.Max(LongestPlaceholder, placeholder.Length);
        return placeholder;
    }

    /// <summary>Puts the original values back into <paramref name="text"/> (a response of the same request).</summary>
    public string Restore(string text) => Restore(text, jsonText: false);

    /// <summary>
    /// Puts the original values back into <paramref name="text"/>; with <paramref name="jsonText"/> the text is
    /// itself JSON (tool-call arguments), so the values are escaped as JSON string content.
    /// </summary>
    public string Restore(string text, bool jsonText)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_byPlaceholder.Count == 0 || !text.Contains('[', StringComparison.Ordinal))
        {
            return text;
        }

        var output = new StringBuilder(text.Length);
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf('[', position);
            var close = open < 0 ? -1 : text.IndexOf(']', open);
            if (close < 0)
            {
                break;
            }

            if (_byPlaceholder.TryGetValue(text[open..(close + 1)], out var value))
            {
                output.Append(text, position, open - position).Append(jsonText ? EscapeJson(value) : value);
                position = close + 1;
            }
            else
            {
                output.Append(text, position, open + 1 - position);
                position = open + 1;
            }
        }

        return output.Append(text, position, text.Length - position).ToString();
    }

    private static string EscapeJson(string value) =>
        System.Text.Json.JsonEncodedText.Encode(value, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
}
