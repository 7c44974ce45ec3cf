using System.Collections.Frozen;
using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AiGateway.RateLimit.Configuration;

/// <summary>
/// Reads one envoyproxy/ratelimit YAML file into <see cref="RateLimitConfigDocument"/>. Like the reference service it
/// first checks every map key anywhere in the file against one allow-list (so a typo fails the load), then decodes the
/// typed fields, reporting type mismatches with their line. Error texts follow the reference service's wording.
/// </summary>
internal static class RateLimitConfigReader
{
    /// <summary>Every key the reference service accepts, at any level (it checks one flat list, and so do we).</summary>
    internal static readonly FrozenSet<string> ValidKeys = FrozenSet.ToFrozenSet(
    [
        "domain", "key", "value", "descriptors", "rate_limit", "unit", "requests_per_unit", "unlimited", "shadow_mode", "name",
        "replaces", "detailed_metric", "value_to_metric", "share_threshold", "quota_mode", "metadata",
    ], StringComparer.Ordinal);

    public static RateLimitConfigDocument? Read(RateLimitConfigFile file, List<RateLimitConfigError> errors)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(file.Text);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            errors.Add(new RateLimitConfigError(file.Name, $"error loading config file: yaml: line {e.Start.Line.ToString(CultureInfo.InvariantCulture)}: {Trim(e.Message)}"));
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { } empty && YamlScalars.Resolve(empty) == YamlScalarKind.Null)
        {
            return new RateLimitConfigDocument();
        }

        var root = stream.Documents[0].RootNode;
        if (root is not YamlMappingNode rootMapping)
        {
            errors.Add(new RateLimitConfigError(file.Name, $"error loading config file: yaml: unmarshal errors:\n  line {Line(root)}: cannot unmarshal {YamlScalars.Tag(root)}{Shown(root)} into map[interface {{}}]interface {{}}"));
            return null;
        }

        var keyErrors = errors.Count;
        ValidateKeys(file.Name, rootMapping, errors);
        if (errors.Count > keyErrors)
        {
            return null;
        }

        var decode = new Decoder();
        var document = decode.Root(rootMapping);
        if (decode.Problems.Count > 0)
        {
            errors.Add(new RateLimitConfigError(file.Name, "error loading config file: yaml: unmarshal errors:\n  " + string.Join("\n  ", decode.Problems)));
            return null;
        }

        return document;
    }

    private static void ValidateKeys(string fileName, YamlMappingNode mapping, List<RateLimitConfigError> errors)
    {
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode keyScalar || YamlScalars.Resolve(keyScalar) != YamlScalarKind.String)
            {
                errors.Add(new RateLimitConfigError(fileName, $"config error, key is not of type string: {YamlScalars.Describe(keyNode)}"));
                continue;
            }

            var key = keyScalar.Value ?? string.Empty;
            if (!ValidKeys.Contains(key))
            {
                errors.Add(new RateLimitConfigError(fileName, $"config error, unknown key '{key}'"));
                continue;
            }

            if (key == "metadata")
            {
                // Free-form: returned in response metadata as written, not checked against the key list.
                continue;
            }

            switch (value)
            {
                case YamlSequenceNode sequence:
                    foreach (var item in sequence.Children)
                    {
                        if (item is not YamlMappingNode itemMapping)
                        {
                            errors.Add(new RateLimitConfigError(fileName, $"config error, yaml file contains list of type other than map: {YamlScalars.Describe(item)}"));
                            continue;
                        }

                        ValidateKeys(fileName, itemMapping, errors);
                    }

                    break;
                case YamlMappingNode child:
                    ValidateKeys(fileName, child, errors);
                    break;
                case YamlScalarNode scalar when YamlScalars.Resolve(scalar) == YamlScalarKind.Float:
                    errors.Add(new RateLimitConfigError(fileName, "error checking config"));
                    break;
            }
        }
    }

    private static string Line(YamlNode node) => node.Start.Line.ToString(CultureInfo.InvariantCulture);

    private static string Shown(YamlNode node) => node is YamlScalarNode scalar ? $" `{scalar.Value}`" : string.Empty;

    private static string Trim(string message)
    {
        // YamlDotNet prefixes "(Line: 2, Col: 1, Idx: 9) - (Line: 2, Col: 1, Idx: 9): "; the line is already in front.
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        return marker >= 0 && message.StartsWith('(') ? message[(marker + 3)..] : message;
    }

    /// <summary>Typed decoding with the reference service's lenient rules; mismatches are collected, not thrown.</summary>
    private sealed class Decoder
    {
        public List<string> Problems { get; } = [];

        public RateLimitConfigDocument Root(YamlMappingNode mapping)
        {
            var document = new RateLimitConfigDocument();
            foreach (var (keyNode, value) in mapping.Children)
            {
                switch (((YamlScalarNode)keyNode).Value)
                {
                    case "domain":
                        document.Domain = String(value);
                        break;
                    case "descriptors":
                        Descriptors(value, document.Descriptors);
                        break;
                }
            }

            return document;
        }

        private void Descriptors(YamlNode node, List<DescriptorConfig> into)
        {
            if (IsNull(node))
            {
                return;
            }

            if (node is not YamlSequenceNode sequence)
            {
                Mismatch(node, "[]config.YamlDescriptor");
                return;
            }

            foreach (var item in sequence.Children)
            {
                if (item is YamlMappingNode mapping)
                {
                    into.Add(Descriptor(mapping));
                }
            }
        }

        private DescriptorConfig Descriptor(YamlMappingNode mapping)
        {
            var descriptor = new DescriptorConfig();
            foreach (var (keyNode, value) in mapping.Children)
            {
                switch (((YamlScalarNode)keyNode).Value)
                {
                    case "key":
                        descriptor.Key = String(value);
                        break;
                    case "value":
                        descriptor.Value = String(value);
                        break;
                    case "rate_limit":
                        descriptor.RateLimit = RateLimit(value);
                        break;
                    case "descriptors":
                        Descriptors(value, descriptor.Descriptors);
                        break;
                    case "shadow_mode":
                        descriptor.ShadowMode = Bool(value);
                        break;
                    case "quota_mode":
                        descriptor.QuotaMode = Bool(value);
                        break;
                    case "detailed_metric":
                        descriptor.DetailedMetric = Bool(value);
                        break;
                    case "value_to_metric":
                        descriptor.ValueToMetric = Bool(value);
                        break;
                    case "share_threshold":
                        descriptor.ShareThreshold = Bool(value);
                        break;
                    case "metadata":
                        descriptor.Metadata = Metadata(value);
                        break;
                }
            }

            return descriptor;
        }

        private RateLimitValueConfig? RateLimit(YamlNode node)
        {
            if (IsNull(node))
            {
                return null;
            }

            if (node is not YamlMappingNode mapping)
            {
                Mismatch(node, "config.YamlRateLimit");
                return null;
            }

            var limit = new RateLimitValueConfig();
            foreach (var (keyNode, value) in mapping.Children)
            {
                switch (((YamlScalarNode)keyNode).Value)
                {
                    case "requests_per_unit":
                        limit.RequestsPerUnit = UInt32(value);
                        break;
                    case "unit":
                        limit.Unit = String(value);
                        break;
                    case "unlimited":
                        limit.Unlimited = Bool(value);
                        break;
                    case "name":
                        limit.Name = String(value);
                        break;
                    case "replaces":
                        Replaces(value, limit.Replaces);
                        break;
                }
            }

            return limit;
        }

        private void Replaces(YamlNode node, List<string> into)
        {
            if (IsNull(node))
            {
                return;
            }

            if (node is not YamlSequenceNode sequence)
            {
                Mismatch(node, "[]config.yamlReplaces");
                return;
            }

            foreach (var item in sequence.Children.OfType<YamlMappingNode>())
            {
                var name = string.Empty;
                foreach (var (keyNode, value) in item.Children)
                {
                    if (((YamlScalarNode)keyNode).Value == "name")
                    {
                        name = String(value);
                    }
                }

                into.Add(name);
            }
        }

        private string String(YamlNode node)
        {
            if (node is YamlScalarNode scalar)
            {
                return YamlScalars.Resolve(scalar) == YamlScalarKind.Null ? string.Empty : scalar.Value ?? string.Empty;
            }

            Mismatch(node, "string");
            return string.Empty;
        }

        private bool Bool(YamlNode node)
        {
            if (node is YamlScalarNode scalar)
            {
                switch (YamlScalars.Resolve(scalar))
                {
                    case YamlScalarKind.Null:
                        return false;
                    case YamlScalarKind.Bool:
                        return YamlScalars.BoolValue(scalar.Value!);
                }
            }

            Mismatch(node, "bool");
            return false;
        }

        private uint UInt32(YamlNode node)
        {
            if (node is YamlScalarNode scalar)
            {
                switch (YamlScalars.Resolve(scalar))
                {
                    case YamlScalarKind.Null:
                        return 0;
                    case YamlScalarKind.Int when YamlScalars.TryUInt32(scalar.Value!, out var value):
                        return value;
                }
            }

            Mismatch(node, "uint32");
            return 0;
        }

        private static object? MetadataValue(YamlNode node) => node switch
        {
            YamlMappingNode mapping => Metadata(mapping),
            YamlSequenceNode sequence => sequence.Children.Select(MetadataValue).ToArray(),
            YamlScalarNode scalar => YamlScalars.Resolve(scalar) switch
            {
                YamlScalarKind.Null => null,
                YamlScalarKind.Bool => YamlScalars.BoolValue(scalar.Value!),
                YamlScalarKind.Int or YamlScalarKind.Float when double.TryParse(scalar.Value!.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
                _ => scalar.Value,
            },
            _ => null,
        };

        private static Dictionary<string, object?>? Metadata(YamlNode node)
        {
            if (node is not YamlMappingNode mapping)
            {
                return null;
            }

            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in mapping.Children)
            {
                result[YamlScalars.Describe(keyNode)] = MetadataValue(value);
            }

            return result;
        }

        private static bool IsNull(YamlNode node) => node is YamlScalarNode scalar && YamlScalars.Resolve(scalar) == YamlScalarKind.Null;

        private void Mismatch(YamlNode node, string type) =>
            Problems.Add($"line {Line(node)}: cannot unmarshal {YamlScalars.Tag(node)}{Shown(node)} into {type}");
    }
}
