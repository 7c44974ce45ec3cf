using System.Globalization;
using StackExchange.Redis;

namespace AiGateway.RateLimit.Storage;

/// <summary>
/// Turns <c>--redis</c> / <c>REDIS_URL</c> into StackExchange.Redis options. Accepts the reference service's
/// <c>host:port</c>, URLs (<c>redis://[user:password@]host:port[/db]</c>, <c>rediss://</c> for TLS), and
/// StackExchange.Redis configuration strings (<c>host1:6379,host2:6379,password=…,ssl=true,serviceName=mymaster</c>),
/// which cover AUTH, TLS, sentinel and cluster.
/// </summary>
public static class RedisConnectionString
{
    /// <summary>Parses the text; throws <see cref="FormatException"/> when it is not usable.</summary>
    public static ConfigurationOptions Parse(string text, RedisStoreOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentNullException.ThrowIfNull(options);
        ConfigurationOptions configuration;
        if (text.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                throw new FormatException($"'{Redact(text)}' is not a Redis URL (redis://[user:password@]host:port[/db])");
            }

            configuration = new ConfigurationOptions { Ssl = uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase) };
            configuration.EndPoints.Add(uri.Host, uri.IsDefaultPort ? 6379 : uri.Port);
            if (uri.UserInfo.Length > 0)
            {
                var parts = uri.UserInfo.Split(':', 2);
                if (parts.Length == 2)
                {
                    configuration.User = parts[0].Length > 0 ? Uri.UnescapeDataString(parts[0]) : null;
                    configuration.Password = Uri.UnescapeDataString(parts[1]);
                }
                else
                {
                    configuration.Password = Uri.UnescapeDataString(parts[0]);
                }
            }

            var path = uri.AbsolutePath.Trim('/');
            if (path.Length > 0)
            {
                configuration.DefaultDatabase = int.Parse(path, NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }
        else
        {
            configuration = ConfigurationOptions.Parse(text);
        }

        if (configuration.EndPoints.Count == 0)
        {
            throw new FormatException("the Redis address names no host");
        }

        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds;
        configuration.ReconnectRetryPolicy = new LinearRetry((int)options.ReconnectInterval.TotalMilliseconds);
        configuration.ClientName ??= "aigw-ratelimit";
        return configuration;
    }

    /// <summary>The text with any password replaced, for logs and errors.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (at > 0 && scheme > 0 && at > scheme)
        {
            return string.Concat(text.AsSpan(0, scheme + 3), "***", text.AsSpan(at));
        }

        var password = text.IndexOf("password=", StringComparison.OrdinalIgnoreCase);
        if (password >= 0)
        {
            var end = text.IndexOf(',', password);
            return string.Concat(text.AsSpan(0, password + 9), "***", end < 0 ? string.Empty : text[end..]);
        }

        return text;
    }
}
