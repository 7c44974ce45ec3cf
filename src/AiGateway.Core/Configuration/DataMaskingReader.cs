using System.Collections.Frozen;
using YamlDotNet.RepresentationModel;

namespace AiGateway.Core.Configuration;

/// <summary>Reads <c>security</c> of gateway.yaml: <c>data_masking</c> (the seed's keys plus mask_output, detectors, mode, modes, hash_key and tenant_header).</summary>
internal static class DataMaskingReader
{
    private static readonly FrozenDictionary<string, KeyKind> SecurityKeys = Keys(["data_masking"], ["access_control", "api_keys", "encryption"]);
    private static readonly FrozenDictionary<string, KeyKind> MaskingKeys = Keys(["enabled", "mask_output", "pii_detection", "exclude_from_logs"], ["audit_log"]);
    private static readonly FrozenDictionary<string, KeyKind> DetectionKeys = Keys(["enabled", "detectors", "mode", "modes", "hash_key", "tenant_header", "patterns"], []);
    private static readonly FrozenDictionary<string, KeyKind> PatternKeys = Keys(["type", "regex", "replacement"], []);

    public static DataMaskingConfigFile? Read(YamlNodes nodes, string path, YamlNode node)
    {
        DataMaskingConfigFile? masking = null;
        nodes.Mapping(path, node, SecurityKeys, (_, value) =>
        {
            var maskingPath = YamlNodes.Child(path, "data_masking");
            masking = new DataMaskingConfigFile();
            nodes.Mapping(maskingPath, value, MaskingKeys, (key, child) =>
            {
                var keyPath = YamlNodes.Child(maskingPath, key);
                switch (key)
                {
                    case "enabled": masking.Enabled = nodes.Bool(keyPath, child); break;
                    case "mask_output": masking.MaskOutput = nodes.Bool(keyPath, child); break;
                    case "exclude_from_logs": nodes.StringList(keyPath, child); break; // bodies are never logged
                    case "pii_detection": ReadDetection(nodes, keyPath, child, masking); break;
                }
            });
        });
        return masking;
    }

    private static void ReadDetection(YamlNodes nodes, string path, YamlNode node, DataMaskingConfigFile masking)
    {
        nodes.Mapping(path, node, DetectionKeys, (key, value) =>
        {
            var keyPath = YamlNodes.Child(path, key);
            switch (key)
            {
                case "enabled": masking.DetectionEnabled = nodes.Bool(keyPath, value); break;
                case "detectors": masking.Detectors = nodes.StringList(keyPath, value); break;
                case "mode": masking.Mode = nodes.String(keyPath, value); break;
                case "modes": masking.Modes = nodes.StringMap(keyPath, value); break;
                case "hash_key": masking.HashKey = nodes.String(keyPath, value); break;
                case "tenant_header": masking.TenantHeader = nodes.String(keyPath, value); break;
                case "patterns": masking.Patterns = ReadPatterns(nodes, keyPath, value); break;
            }
        });
    }

    private static List<PiiPatternConfigFile>? ReadPatterns(YamlNodes nodes, string path, YamlNode node)
    {
        if (node is not YamlSequenceNode sequence)
        {
            nodes.Error(path, node, "expected a list of patterns");
            return null;
        }

        var patterns = new List<PiiPatternConfigFile>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = YamlNodes.Item(path, i);
            var pattern = new PiiPatternConfigFile();
            nodes.Mapping(itemPath, sequence.Children[i], PatternKeys, (key, value) =>
            {
                var keyPath = YamlNodes.Child(itemPath, key);
                switch (key)
                {
                    case "type": pattern.Type = nodes.String(keyPath, value); break;
                    case "regex": pattern.Regex = nodes.String(keyPath, value); break;
                    case "replacement": pattern.Replacement = nodes.String(keyPath, value); break;
                }
            });
            patterns.Add(pattern);
        }

        return patterns;
    }

    private static FrozenDictionary<string, KeyKind> Keys(string[] supported, string[] notYet) =>
        supported.Select(k => (k, KeyKind.Supported)).Concat(notYet.Select(k => (k, KeyKind.NotSupportedYet)))
            .ToFrozenDictionary(x => x.k, x => x.Item2, StringComparer.Ordinal);
}
