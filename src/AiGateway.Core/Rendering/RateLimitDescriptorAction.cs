using AiGateway.Core.Configuration;

namespace AiGateway.Core.Rendering;

/// <summary>
/// One entry of the descriptor a <c>rate_limiting</c> limit makes Envoy send: the Envoy rate-limit action that
/// produces it and the key the rate-limit service's tree matches. Both renderers build from the same list, so the
/// Envoy side and the service side cannot drift apart.
/// </summary>
/// <param name="Kind">The Envoy action: a generic_key for the limit's name, a request header for a header subject and the model.</param>
/// <param name="Key">The descriptor entry's key.</param>
/// <param name="Value">The fixed value (the limit's name), the header name, or the metadata namespace.</param>
/// <param name="Path">Metadata keys under the namespace.</param>
internal sealed record RateLimitDescriptorAction(RateLimitDescriptorActionKind Kind, string Key, string Value, IReadOnlyList<string> Path)
{
    /// <summary>The descriptor entries of <paramref name="limit"/>, in order: its name, its subject, then the model.</summary>
    public static IReadOnlyList<RateLimitDescriptorAction> For(GatewayRateLimit limit)
    {
        var actions = new List<RateLimitDescriptorAction> { new(RateLimitDescriptorActionKind.GenericKey, RateLimitingSettings.LimitKey, limit.Name, []) };
        switch (limit.Per.Kind)
        {
            case RateLimitSubjectKind.Header:
                actions.Add(new(RateLimitDescriptorActionKind.RequestHeader, limit.Per.DescriptorKey, limit.Per.Name, []));
                break;
            case RateLimitSubjectKind.RemoteAddress:
                actions.Add(new(RateLimitDescriptorActionKind.RemoteAddress, limit.Per.DescriptorKey, string.Empty, []));
                break;
            case RateLimitSubjectKind.Metadata:
                actions.Add(new(RateLimitDescriptorActionKind.Metadata, limit.Per.DescriptorKey, limit.Per.Name, limit.Per.Path));
                break;
        }

        if (limit.PerModel)
        {
            actions.Add(new(RateLimitDescriptorActionKind.RequestHeader, RateLimitingSettings.ModelKey, RateLimitingSettings.ModelHeader, []));
        }

        return actions;
    }
}

/// <summary>Which Envoy rate-limit action produces a descriptor entry.</summary>
internal enum RateLimitDescriptorActionKind
{
    GenericKey,
    RequestHeader,
    RemoteAddress,
    Metadata,
}
