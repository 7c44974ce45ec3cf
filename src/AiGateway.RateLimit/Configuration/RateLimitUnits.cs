namespace AiGateway.RateLimit.Configuration;

/// <summary>Window lengths and names of <see cref="RateLimitUnit"/>.</summary>
public static class RateLimitUnits
{
    /// <summary>The fixed-window length in seconds; 0 for <see cref="RateLimitUnit.Unknown"/> or an undefined number.</summary>
    public static long WindowSeconds(this RateLimitUnit unit) => unit switch
    {
        RateLimitUnit.Second => 1,
        RateLimitUnit.Minute => 60,
        RateLimitUnit.Hour => 3_600,
        RateLimitUnit.Day => 86_400,
        RateLimitUnit.Week => 604_800,
        RateLimitUnit.Month => 2_592_000,
        RateLimitUnit.Year => 31_536_000,
        _ => 0,
    };

    /// <summary>Parses a YAML unit name (case-insensitive, as the reference service does); false for anything else.</summary>
    public static bool TryParse(string? text, out RateLimitUnit unit)
    {
        unit = (text ?? string.Empty).ToUpperInvariant() switch
        {
            "SECOND" => RateLimitUnit.Second,
            "MINUTE" => RateLimitUnit.Minute,
            "HOUR" => RateLimitUnit.Hour,
            "DAY" => RateLimitUnit.Day,
            "WEEK" => RateLimitUnit.Week,
            "MONTH" => RateLimitUnit.Month,
            "YEAR" => RateLimitUnit.Year,
            _ => RateLimitUnit.Unknown,
        };
        return unit != RateLimitUnit.Unknown;
    }

    /// <summary>The upper-case name used in logs and dumps (SECOND, MINUTE, …).</summary>
    public static string Name(this RateLimitUnit unit) => unit switch
    {
        RateLimitUnit.Second => "SECOND",
        RateLimitUnit.Minute => "MINUTE",
        RateLimitUnit.Hour => "HOUR",
        RateLimitUnit.Day => "DAY",
        RateLimitUnit.Week => "WEEK",
        RateLimitUnit.Month => "MONTH",
        RateLimitUnit.Year => "YEAR",
        _ => "UNKNOWN",
    };
}
