using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.Http;

namespace AiGateway.EnvoyHarness.Routing;

/// <summary>Envoy route matching: virtual host by <c>:authority</c>, then the first route whose match holds.</summary>
internal sealed class RouteTable(RouteTableConfig config)
{
    public RouteTableConfig Config { get; } = config;

    public RouteConfig? Match(HeaderMap headers)
    {
        var host = VirtualHostFor(headers.Get(":authority") ?? string.Empty);
        if (host is null)
        {
            return null;
        }

        var path = headers.Get(":path") ?? "/";
        foreach (var route in host.Routes)
        {
            if (Matches(route.Match, path, headers))
            {
                return route;
            }
        }

        return null;
    }

    private VirtualHostConfig? VirtualHostFor(string authority)
    {
        var host = authority.ToLowerInvariant();
        VirtualHostConfig? wildcard = null;
        foreach (var virtualHost in Config.VirtualHosts)
        {
            foreach (var domain in virtualHost.Domains)
            {
                if (domain == "*")
                {
                    wildcard ??= virtualHost;
                }
                else if (domain == host || domain == StripPort(host)
                    || (domain.StartsWith('*') && StripPort(host).EndsWith(domain[1..], StringComparison.Ordinal)))
                {
                    return virtualHost;
                }
            }
        }

        return wildcard;
    }

    private static string StripPort(string host)
    {
        var colon = host.LastIndexOf(':');
        return colon > 0 && !host.EndsWith(']') ? host[..colon] : host;
    }

    private static bool Matches(RouteMatchConfig match, string path, HeaderMap headers)
    {
        var pathWithoutQuery = path.Split('?', 2)[0];
        var pathMatches = match switch
        {
            { Prefix: { } prefix } => path.StartsWith(prefix, StringComparison.Ordinal),
            { Path: { } exact } => pathWithoutQuery == exact,
            { SafeRegex: { } regex } => regex.IsMatch(pathWithoutQuery),
            _ => false,
        };
        return pathMatches && match.Headers.All(h => HeaderMatches(h, headers));
    }

    internal static bool HeaderMatches(HeaderMatcherConfig matcher, HeaderMap headers)
    {
        var values = headers.GetAll(matcher.Name);
        bool result;
        if (matcher.StringMatch is { } stringMatch)
        {
            // Envoy matches a repeated header against its values joined with ','.
            result = values.Count > 0 && stringMatch.Matches(string.Join(',', values));
        }
        else if (matcher.PresentMatch is { } present)
        {
            result = (values.Count > 0) == present;
        }
        else
        {
            result = values.Count > 0;
        }

        return result != matcher.InvertMatch;
    }
}
