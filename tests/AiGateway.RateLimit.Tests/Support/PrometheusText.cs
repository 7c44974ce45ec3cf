using System.Globalization;

namespace AiGateway.RateLimit.Tests.Support;

/// <summary>Reads values out of a Prometheus text exposition.</summary>
public static class PrometheusText
{
    /// <summary>The sum of the samples of <paramref name="name"/> whose labels contain <paramref name="label"/> (all when null); 0 when absent.</summary>
    public static double Value(string text, string name, string? label = null) =>
        text.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            .Where(line => label is null || line.Contains(label, StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
