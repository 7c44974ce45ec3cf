using System.Collections.Frozen;
using YamlDotNet.RepresentationModel;

namespace AiGateway.Core.Configuration;

/// <summary>Reads <c>rate_limiting</c> of gateway.yaml.</summary>
internal static class RateLimitingReader
{
    private static readonly FrozenDictionary<string, KeyKind> SectionKeys = Keys("service", "domain", "timeout", "failure_mode_deny", "response_headers", "limits");
    private static readonly FrozenDictionary<string, KeyKind> LimitKeys = Keys("name", "per", "per_model", "requests", "tokens", "unit");

    public static RateLimitingConfigFile Read(YamlNodes nodes, string path, YamlNode node)
    {
        var section = new RateLimitingConfigFile();
        nodes.Mapping(path, node, SectionKeys, (key, value) =>
        {
            var keyPath = YamlNodes.Child(path, key);
            switch (key)
            {
                case "service": section.Service = nodes.String(keyPath, value); break;
                case "domain": section.Domain = nodes.String(keyPath, value); break;
                case "timeout": section.Timeout = nodes.String(keyPath, value); break;
                case "failure_mode_deny": section.FailureModeDeny = nodes.Bool(keyPath, value); break;
                case "response_headers": section.ResponseHeaders = nodes.Bool(keyPath, value); break;
                case "limits": section.Limits = ReadLimits(nodes, keyPath, value); break;
            }
        });
        return section;
    }

    private static List<RateLimitEntryConfigFile>? ReadLimits(YamlNodes nodes, string path, YamlNode node)
    {
        if (node is not YamlSequenceNode sequence)
        {
            nodes.Error(path, node, "expected a list of limits");
            return null;
        }

        var limits = new List<RateLimitEntryConfigFile>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = YamlNodes.Item(path, i);
            var limit = new RateLimitEntryConfigFile();
            nodes.Mapping(itemPath, sequence.Children[i], LimitKeys, (key, value) =>
            {
                var keyPath = YamlNodes.Child(itemPath, key);
                switch (key)
                {
                    case "name": limit.Name = nodes.String(keyPath, value); break;
                    case "per": limit.Per = nodes.String(keyPath, value); break;
                    case "per_model": limit.PerModel = nodes.Bool(keyPath, value); break;
                    case "requests": limit.Requests = nodes.Int(keyPath, value); break;
                    case "tokens": limit.Tokens = nodes.Int(keyPath, value); break;
                    case "unit": limit.Unit = nodes.String(keyPath, value); break;
                }
            });
            limits.Add(limit);
        }

        return limits;
    }

    private static FrozenDictionary<string, KeyKind> Keys(params string[] supported) =>
        supported.ToFrozenDictionary(k => k, _ => KeyKind.Supported, StringComparer.Ordinal);
}
