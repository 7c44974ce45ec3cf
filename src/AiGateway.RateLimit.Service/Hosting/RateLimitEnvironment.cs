using System.Globalization;
using AiGateway.RateLimit.Limiting;

namespace AiGateway.RateLimit.Service.Hosting;

/// <summary>
/// Reads the reference service's environment settings, so a deployment that set them for the Go service keeps its
/// behaviour: SHADOW_MODE, NEAR_LIMIT_RATIO, CACHE_KEY_PREFIX, EXPIRATION_JITTER_MAX_SECONDS, LOCAL_CACHE_SIZE_IN_BYTES,
/// STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT, MERGE_DOMAIN_CONFIG, REDIS_PERSECOND + REDIS_PERSECOND_URL, REDIS_PIPELINE_WINDOW
/// (checked, not needed), LIMIT_RESPONSE_HEADERS_ENABLED, LIMIT_LIMIT_HEADER, LIMIT_REMAINING_HEADER, LIMIT_RESET_HEADER
/// and RESPONSE_DYNAMIC_METADATA.
/// </summary>
public static partial class RateLimitEnvironment
{
    /// <summary>The separate Redis for per-second limits: <c>REDIS_PERSECOND_URL</c> when <c>REDIS_PERSECOND=true</c>, else null.</summary>
    public static string? PerSecondRedis(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return string.Equals(environment("REDIS_PERSECOND"), "true", StringComparison.OrdinalIgnoreCase) ? environment("REDIS_PERSECOND_URL") : null;
    }

    /// <summary>The settings found; problems (unparsable values) are listed and the defaults used instead.</summary>
    public static (RateLimiterOptions Limiter, RateLimitServiceOptions Service, bool MergeDomainConfigs, IReadOnlyList<string> Problems) Read(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var problems = new List<string>();
        var defaults = new RateLimiterOptions();
        var limiter = new RateLimiterOptions
        {
            GlobalShadowMode = Bool("SHADOW_MODE", false),
            NearLimitRatio = Ratio("NEAR_LIMIT_RATIO", defaults.NearLimitRatio),
            CacheKeyPrefix = environment("CACHE_KEY_PREFIX") ?? string.Empty,
            ExpirationJitterMaxSeconds = (int)Number("EXPIRATION_JITTER_MAX_SECONDS", defaults.ExpirationJitterMaxSeconds),
            LocalCacheSizeInBytes = (long)Number("LOCAL_CACHE_SIZE_IN_BYTES", 0),
            StopCacheKeyIncrementWhenOverLimit = Bool("STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT", false),
        };
        var serviceDefaults = new RateLimitServiceOptions();
        var service = new RateLimitServiceOptions
        {
            ResponseHeadersEnabled = Bool("LIMIT_RESPONSE_HEADERS_ENABLED", false),
            LimitHeader = environment("LIMIT_LIMIT_HEADER") ?? serviceDefaults.LimitHeader,
            RemainingHeader = environment("LIMIT_REMAINING_HEADER") ?? serviceDefaults.RemainingHeader,
            ResetHeader = environment("LIMIT_RESET_HEADER") ?? serviceDefaults.ResetHeader,
            DynamicMetadataEnabled = Bool("RESPONSE_DYNAMIC_METADATA", false),
        };
        // The reference's write-flush interval for batching commands across calls. StackExchange.Redis always batches
        // the commands queued while a write is in flight, so there is nothing to set; a bad value is still reported.
        var pipelineWindow = environment("REDIS_PIPELINE_WINDOW");
        if (!string.IsNullOrEmpty(pipelineWindow) && !GoDuration().IsMatch(pipelineWindow))
        {
            problems.Add($"REDIS_PIPELINE_WINDOW: expected a duration such as 150us or 1ms, got '{pipelineWindow}'");
        }

        return (limiter, service, Bool("MERGE_DOMAIN_CONFIG", false), problems);

        double Ratio(string name, double fallback)
        {
            var value = Number(name, fallback);
            if (value <= 1)
            {
                return value;
            }

            problems.Add($"{name}: expected a number from 0 to 1, got '{environment(name)}'");
            return fallback;
        }

        bool Bool(string name, bool fallback)
        {
            var text = environment(name);
            if (string.IsNullOrEmpty(text))
            {
                return fallback;
            }

            if (bool.TryParse(text, out var value))
            {
                return value;
            }

            if (text is "1" or "0")
            {
                return text == "1";
            }

            problems.Add($"{name}: expected true or false, got '{text}'");
            return fallback;
        }

        double Number(string name, double fallback)
        {
            var text = environment(name);
            if (string.IsNullOrEmpty(text))
            {
                return fallback;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0)
            {
                return value;
            }

            problems.Add($"{name}: expected a non-negative number, got '{text}'");
            return fallback;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex GoDuration();
}
