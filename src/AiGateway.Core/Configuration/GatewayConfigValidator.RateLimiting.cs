using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AiGateway.Core.Configuration;

/// <summary>Rules for <c>rate_limiting</c>.</summary>
public static partial class GatewayConfigValidator
{
    private static readonly string[] RateLimitUnits = ["second", "minute", "hour", "day", "week", "month", "year"];

    private static RateLimitingSettings? ValidateRateLimiting(Context context)
    {
        var section = context.File.RateLimiting;
        if (section is null)
        {
            return null;
        }

        const string path = "rate_limiting";
        var ok = true;
        string host = "ratelimit";
        var port = 8081;
        if (section.Service is { } service)
        {
            var match = ServicePattern().Match(service);
            if (!match.Success || !int.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                ok = context.Error($"{path}.service", $"'{service}' is not host:port, e.g. ratelimit:8081");
            }
            else
            {
                host = match.Groups[1].Value;
            }
        }

        var domain = section.Domain ?? "ai-gateway";
        if (section.Domain is not null && !NamePattern().IsMatch(domain))
        {
            ok = context.Error($"{path}.domain", $"'{domain}' may only contain letters, digits, '.', '_' and '-'");
        }

        var timeout = TimeSpan.FromMilliseconds(20);
        if (section.Timeout is { } timeoutText && !ConfigDuration.TryParse(timeoutText, out timeout))
        {
            ok = context.Error($"{path}.timeout", $"'{timeoutText}' is not a duration such as 20ms or 1s");
        }

        var limits = ImmutableArray.CreateBuilder<GatewayRateLimit>();
        if (section.Limits is not { Count: > 0 } list)
        {
            ok &= context.Require($"{path}.limits", "must list at least one limit");
            return null;
        }

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var limit = ValidateLimit(context, $"{path}.limits[{i}]", list[i], names, i);
            if (limit is null)
            {
                ok = false;
            }
            else
            {
                limits.Add(limit);
            }
        }

        return ok ? new RateLimitingSettings(host, port, domain, timeout, section.FailureModeDeny ?? false, section.ResponseHeaders ?? true, limits.ToImmutable()) : null;
    }

    private static GatewayRateLimit? ValidateLimit(Context context, string path, RateLimitEntryConfigFile entry, Dictionary<string, int> names, int index)
    {
        var ok = true;
        if (string.IsNullOrWhiteSpace(entry.Name))
        {
            ok &= context.Require($"{path}.name", "is required: a short unique name such as 'tokens-per-user'");
        }
        else if (!NamePattern().IsMatch(entry.Name))
        {
            ok = context.Error($"{path}.name", $"'{entry.Name}' may only contain letters, digits, '.', '_' and '-'");
        }
        else if (names.TryGetValue(entry.Name, out var first))
        {
            ok = context.Error($"{path}.name", $"'{entry.Name}' is already the name of rate_limiting.limits[{first}]; names must be unique");
        }
        else
        {
            names[entry.Name] = index;
        }

        RateLimitSubject? per = null;
        if (string.IsNullOrWhiteSpace(entry.Per))
        {
            ok &= context.Require($"{path}.per", "is required: header:<name>, remote_address, metadata:<namespace>:<key> or global");
        }
        else
        {
            per = ParseSubject(entry.Per);
            if (per is null)
            {
                ok = context.Error($"{path}.per", $"'{entry.Per}' is not header:<name>, remote_address, metadata:<namespace>:<key> or global");
            }
        }

        var kind = RateLimitKind.Requests;
        var amount = 0;
        switch (entry.Requests, entry.Tokens)
        {
            case (null, null):
                // A value that could not be read was reported where it stands.
                ok = context.HasErrorAt($"{path}.tokens")
                    ? false
                    : context.Require($"{path}.requests", "one of 'requests' or 'tokens' is required: how many are allowed per unit");
                break;
            case ({ }, { }):
                ok = context.Error($"{path}.tokens", "a limit counts either requests or tokens; split it into two limits");
                break;
            case ({ } requests, null):
                amount = requests;
                ok &= amount >= 1 || context.Error($"{path}.requests", "must be 1 or more");
                break;
            case (null, { } tokens):
                kind = RateLimitKind.Tokens;
                amount = tokens;
                ok &= amount >= 1 || context.Error($"{path}.tokens", "must be 1 or more");
                break;
        }

        var unit = entry.Unit?.ToLowerInvariant();
        if (unit is null)
        {
            ok &= context.Require($"{path}.unit", $"is required; one of: {string.Join(", ", RateLimitUnits)}");
        }
        else if (Array.IndexOf(RateLimitUnits, unit) < 0)
        {
            ok = context.Error($"{path}.unit", $"unknown unit '{entry.Unit}'; expected one of: {string.Join(", ", RateLimitUnits)}");
        }

        return ok ? new GatewayRateLimit(entry.Name!, per!, entry.PerModel ?? false, kind, amount, unit!) : null;
    }

    private static RateLimitSubject? ParseSubject(string per)
    {
        if (per == "global")
        {
            return RateLimitSubject.Global;
        }

        if (per == "remote_address")
        {
            return new RateLimitSubject(RateLimitSubjectKind.RemoteAddress, "remote_address", string.Empty, []);
        }

        if (per.StartsWith("header:", StringComparison.Ordinal))
        {
            var header = per["header:".Length..].ToLowerInvariant();
            return HeaderNamePattern().IsMatch(header) ? new RateLimitSubject(RateLimitSubjectKind.Header, header, header, []) : null;
        }

        if (per.StartsWith("metadata:", StringComparison.Ordinal))
        {
            var parts = per["metadata:".Length..].Split(':');
            return parts.Length >= 2 && parts.All(p => NamePattern().IsMatch(p))
                ? new RateLimitSubject(RateLimitSubjectKind.Metadata, parts[^1], parts[0], [.. parts[1..]])
                : null;
        }

        return null;
    }

    [GeneratedRegex("^([A-Za-z0-9.-]+):([0-9]{1,5})$", RegexOptions.CultureInvariant)]
    private static partial Regex ServicePattern();

    [GeneratedRegex("^:?[a-z0-9!#$%&'*+.^_`|~-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderNamePattern();
}
