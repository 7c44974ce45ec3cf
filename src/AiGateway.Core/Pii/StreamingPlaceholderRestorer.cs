using System.Text;

namespace AiGateway.Core.Pii;

/// <summary>
/// Restores reversible placeholders in text that arrives in pieces: a tail that may be the beginning of a
/// placeholder (a <c>[</c> with no <c>]</c> after it that starts some placeholder of the request) waits for
/// the next piece, so a placeholder split across pieces is still restored. At most the longest placeholder
/// less one character is held. One instance per text stream; not thread-safe.
/// </summary>
/// <param name="placeholders">The request's placeholders.</param>
/// <param name="jsonText">True when the text is JSON (tool-call arguments): values are escaped as JSON string content.</param>
public sealed class StreamingPlaceholderRestorer(PiiPlaceholders placeholders, bool jsonText)
{
    private readonly StringBuilder _pending = new();

    /// <summary>True while a tail that may start a placeholder is held.</summary>
    public bool Holding => _pending.Length > 0;

    /// <summary>Adds a piece; returns the restored text that can be released now (maybe empty).</summary>
    public string Push(string piece)
    {
        ArgumentNullException.ThrowIfNull(piece);
        if (_pending.Length == 0 && piece.IndexOf('[', StringComparison.Ordinal) < 0)
        {
            return piece;
        }

        _pending.Append(piece);
        var text = _pending.ToString();
        var open = text.LastIndexOf('[');
        var cut = open >= 0 && text.IndexOf(']', open) < 0 && placeholders.IsPlaceholderStart(text.AsSpan(open)) ? open : text.Length;
        _pending.Clear();
        if (cut < text.Length)
        {
            _pending.Append(text, cut, text.Length - cut);
        }

        return cut == 0 ? string.Empty : placeholders.Restore(text[..cut], jsonText);
    }

    /// <summary>Releases what is held (end of the text): a held tail that never became a placeholder is released as it is.</summary>
    public string Flush()
    {
        var text = _pending.ToString();
        _pending.Clear();
        return text;
    }
}
