using System.Globalization;

namespace AiGateway.Core.Configuration;

/// <summary>Parses durations written as <c>250ms</c>, <c>1s</c>, <c>5m</c> or <c>1h</c>.</summary>
public static class ConfigDuration
{
    /// <summary>Parses a duration; false when the text is not one.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        var (unit, factor) = span.EndsWith("ms", StringComparison.Ordinal) ? (2, 0.001)
            : span.EndsWith('s') ? (1, 1.0)
            : span.EndsWith('m') ? (1, 60.0)
            : span.EndsWith('h') ? (1, 3600.0)
            : (0, 0.0);
        if (unit == 0 || !double.TryParse(span[..^unit], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount < 0)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(amount * factor);
        return true;
    }
}
