using System.Collections.Frozen;
using YamlDotNet.RepresentationModel;

namespace AiGateway.Core.Configuration;

/// <summary>Reads <c>cost_management</c> of gateway.yaml and the shipped default price list (same keys).</summary>
internal static class CostManagementReader
{
    private static readonly FrozenDictionary<string, KeyKind> SectionKeys = new Dictionary<string, KeyKind>(StringComparer.Ordinal)
    {
        ["enabled"] = KeyKind.Supported,
        ["currency"] = KeyKind.Supported,
        ["response_header"] = KeyKind.Supported,
        ["provider_costs"] = KeyKind.Supported,
        ["budgets"] = KeyKind.NotSupportedYet,
        ["alerts"] = KeyKind.NotSupportedYet,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, KeyKind> PriceKeys = new Dictionary<string, KeyKind>(StringComparer.Ordinal)
    {
        ["input_token_cost"] = KeyKind.Supported,
        ["output_token_cost"] = KeyKind.Supported,
        ["cached_input_token_cost"] = KeyKind.Supported,
        ["cache_write_token_cost"] = KeyKind.Supported,
        ["reasoning_token_cost"] = KeyKind.Supported,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, KeyKind> PriceListKeys = new Dictionary<string, KeyKind>(StringComparer.Ordinal)
    {
        ["provider_costs"] = KeyKind.Supported,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static CostManagementConfigFile Read(YamlNodes nodes, string path, YamlNode node)
    {
        var section = new CostManagementConfigFile();
        nodes.Mapping(path, node, SectionKeys, (key, value) =>
        {
            var keyPath = YamlNodes.Child(path, key);
            switch (key)
            {
                case "enabled": section.Enabled = nodes.Bool(keyPath, value); break;
                case "currency": section.Currency = nodes.String(keyPath, value); break;
                case "response_header": section.ResponseHeader = nodes.Bool(keyPath, value); break;
                case "provider_costs": section.ProviderCosts = ReadProviderCosts(nodes, keyPath, value); break;
            }
        });
        return section;
    }

    /// <summary>Reads a document whose only key is <c>provider_costs</c> (the shipped price list).</summary>
    public static Dictionary<string, Dictionary<string, ModelPriceConfigFile>>? ReadPriceList(YamlNodes nodes, YamlNode root)
    {
        Dictionary<string, Dictionary<string, ModelPriceConfigFile>>? result = null;
        nodes.Mapping(string.Empty, root, PriceListKeys, (_, value) => result = ReadProviderCosts(nodes, "provider_costs", value));
        return result;
    }

    private static Dictionary<string, Dictionary<string, ModelPriceConfigFile>>? ReadProviderCosts(YamlNodes nodes, string path, YamlNode node)
    {
        nodes.Mark(path, node);
        if (node is not YamlMappingNode providers)
        {
            nodes.Error(path, node, "expected a mapping of provider name or type to models");
            return null;
        }

        var result = new Dictionary<string, Dictionary<string, ModelPriceConfigFile>>(StringComparer.Ordinal);
        foreach (var (providerKey, modelsNode) in providers.Children)
        {
            var provider = (providerKey as YamlScalarNode)?.Value ?? string.Empty;
            var providerPath = YamlNodes.Child(path, provider);
            nodes.Mark(providerPath, modelsNode);
            if (modelsNode is not YamlMappingNode models)
            {
                nodes.Error(providerPath, modelsNode, "expected a mapping of model name to prices");
                continue;
            }

            var byModel = new Dictionary<string, ModelPriceConfigFile>(StringComparer.Ordinal);
            foreach (var (modelKey, pricesNode) in models.Children)
            {
                var model = (modelKey as YamlScalarNode)?.Value ?? string.Empty;
                var modelPath = YamlNodes.Child(providerPath, model);
                var price = new ModelPriceConfigFile();
                nodes.Mapping(modelPath, pricesNode, PriceKeys, (key, value) =>
                {
                    var keyPath = YamlNodes.Child(modelPath, key);
                    switch (key)
                    {
                        case "input_token_cost": price.Input = nodes.Decimal(keyPath, value); break;
                        case "output_token_cost": price.Output = nodes.Decimal(keyPath, value); break;
                        case "cached_input_token_cost": price.CachedInput = nodes.Decimal(keyPath, value); break;
                        case "cache_write_token_cost": price.CacheWrite = nodes.Decimal(keyPath, value); break;
                        case "reasoning_token_cost": price.Reasoning = nodes.Decimal(keyPath, value); break;
                    }
                });
                byModel[model] = price;
            }

            result[provider] = byModel;
        }

        return result;
    }
}
