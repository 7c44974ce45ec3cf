namespace AiGateway.RateLimit.Configuration;

/// <summary>
/// The unit of a rate limit. The numbers are the wire numbers of
/// <c>envoy.service.ratelimit.v3.RateLimitResponse.RateLimit.Unit</c> (and, except WEEK, of
/// <c>envoy.type.v3.RateLimitUnit</c>), so converting is a cast.
/// </summary>
public enum RateLimitUnit
{
    /// <summary>Not set; never valid in a loaded rule.</summary>
    Unknown = 0,

    /// <summary>One second.</summary>
    Second = 1,

    /// <summary>60 seconds.</summary>
    Minute = 2,

    /// <summary>3,600 seconds.</summary>
    Hour = 3,

    /// <summary>86,400 seconds.</summary>
    Day = 4,

    /// <summary>30 days (the reference service's month).</summary>
    Month = 5,

    /// <summary>365 days (the reference service's year).</summary>
    Year = 6,

    /// <summary>7 days; windows start on Thursdays 00:00 UTC because they are aligned to the Unix epoch.</summary>
    Week = 7,
}
