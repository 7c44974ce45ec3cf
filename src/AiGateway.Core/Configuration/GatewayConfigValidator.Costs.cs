using System.Collections.Frozen;
using System.Collections.Immutable;
using AiGateway.Core.Pricing;

namespace AiGateway.Core.Configuration;

/// <summary>Rules for <c>cost_management</c>.</summary>
public static partial class GatewayConfigValidator
{
    // A per-token price above this is almost certainly a per-1K or per-1M figure ($10,000 per 1M tokens).
    private const decimal ImplausiblePerToken = 0.01m;

    private static CostSettings ValidateCosts(Context context, ImmutableArray<ProviderDefinition> providers)
    {
        var section = context.File.CostManagement;
        if (section?.Currency is { } currency && !string.Equals(currency, "USD", StringComparison.OrdinalIgnoreCase))
        {
            context.Error("cost_management.currency", $"'{currency}' is not supported; prices and costs are in USD");
        }

        if (section?.Enabled == false)
        {
            return CostSettings.Disabled;
        }

        var configured = new Dictionary<string, PriceList>(StringComparer.Ordinal);
        if (section?.ProviderCosts is { } costs)
        {
            const string basePath = "cost_management.provider_costs";
            var names = providers.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (key, list) in CompilePriceLists(costs, basePath, context.Error, context.Warning))
            {
                if (names.Contains(key))
                {
                    configured[key] = list;
                }
                else if (ApiSchemaNames.TryParse(key, out var schema))
                {
                    configured[ApiSchemaNames.ToName(schema)] = list;
                }
                else
                {
                    context.Warning($"{basePath}.{key}", $"'{key}' is neither a provider name nor a provider type ({ApiSchemaNames.Known}); these prices are not used");
                }
            }
        }

        var defaults = DefaultPrices.Lists;
        var prices = new Dictionary<string, FrozenDictionary<string, ModelPrice>>(StringComparer.Ordinal);
        foreach (var provider in providers)
        {
            var type = ApiSchemaNames.ToName(provider.Schema);
            var byModel = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
            foreach (var model in provider.Models)
            {
                var price = Find(configured, provider.Name, model) ?? Find(configured, type, model) ?? Find(defaults, type, model)
                    ?? Find(defaults, DefaultPrices.FallbackType(provider.Schema), model);
                if (price is not null)
                {
                    byModel[model] = price;
                }
                else if (section is not null && provider.IsSupported)
                {
                    var index = context.File.Providers?[provider.Index].Models?.IndexOf(model) ?? -1;
                    var path = index < 0 ? $"providers[{provider.Index}].models" : $"providers[{provider.Index}].models[{index}]";
                    context.Warning(path, $"no price for model '{model}' of provider '{provider.Name}'; add it under cost_management.provider_costs to report its cost");
                }
            }

            prices[provider.Name] = byModel.ToFrozenDictionary(StringComparer.Ordinal);
        }

        return new CostSettings(true, section?.ResponseHeader ?? false, prices.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static ModelPrice? Find(IReadOnlyDictionary<string, PriceList> lists, string? key, string model) =>
        key is not null && lists.TryGetValue(key, out var list) && list.TryFind(model, out var price) ? price : null;

    /// <summary>Checks and compiles <c>provider_costs</c> entries (gateway.yaml's or the shipped list).</summary>
    internal static Dictionary<string, PriceList> CompilePriceLists(
        Dictionary<string, Dictionary<string, ModelPriceConfigFile>> costs, string basePath, Func<string, string, bool> error, Action<string, string> warning)
    {
        var result = new Dictionary<string, PriceList>(StringComparer.Ordinal);
        foreach (var (provider, models) in costs)
        {
            var byModel = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
            foreach (var (model, entry) in models)
            {
                var path = $"{basePath}.{provider}.{model}";
                if (model.Length == 0)
                {
                    error(path, "a model name is required");
                    continue;
                }

                if (entry.Input is null)
                {
                    error($"{path}.input_token_cost", "is required: the price of one input token in USD, e.g. 0.0000025 for $2.50 per 1M tokens");
                    continue;
                }

                var ok = Check(entry.Input, "input_token_cost") & Check(entry.Output, "output_token_cost")
                    & Check(entry.CachedInput, "cached_input_token_cost") & Check(entry.CacheWrite, "cache_write_token_cost")
                    & Check(entry.Reasoning, "reasoning_token_cost");
                if (ok)
                {
                    byModel[model] = ModelPrice.FromUsdPerToken(entry.Input.Value, entry.Output ?? 0m, entry.CachedInput, entry.CacheWrite, entry.Reasoning);
                }

                bool Check(decimal? value, string key)
                {
                    switch (value)
                    {
                        case < 0m:
                            return error($"{path}.{key}", "must be 0 or more (USD per token)");
                        case > ImplausiblePerToken:
                            warning($"{path}.{key}", $"{value} USD per token is ${value * 1_000_000m} per 1M tokens; prices are per token, not per 1K or 1M");
                            return true;
                        default:
                            return true;
                    }
                }
            }

            result[provider] = new PriceList(byModel.ToFrozenDictionary(StringComparer.Ordinal));
        }

        return result;
    }
}
