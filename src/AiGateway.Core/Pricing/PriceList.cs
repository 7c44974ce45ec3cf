using System.Collections.Frozen;

namespace AiGateway.Core.Pricing;

/// <summary>
/// Prices by model for one provider key, with the lookup rules of <c>provider_costs</c>: the exact model
/// name; the name without a Bedrock cross-region prefix (<c>us.</c>, <c>eu.</c>, ...); the longest listed
/// name that the model extends after <c>-</c>, <c>:</c> or <c>@</c> (<c>gpt-4o-2024-08-06</c> → <c>gpt-4o</c>).
/// </summary>
public sealed class PriceList(FrozenDictionary<string, ModelPrice> models)
{
    private static readonly string[] RegionPrefixes = ["us.", "eu.", "apac.", "global.", "us-gov.", "jp.", "au.", "ca."];

    /// <summary>The listed models.</summary>
    public FrozenDictionary<string, ModelPrice> Models { get; } = models;

    /// <summary>Finds the price of <paramref name="model"/>.</summary>
    public bool TryFind(string model, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModelPrice? price)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (Models.TryGetValue(model, out price) || FindPrefix(model, out price))
        {
            return true;
        }

        foreach (var prefix in RegionPrefixes)
        {
            if (model.StartsWith(prefix, StringComparison.Ordinal))
            {
                var bare = model[prefix.Length..];
                return Models.TryGetValue(bare, out price) || FindPrefix(bare, out price);
            }
        }

        return false;
    }

    private bool FindPrefix(string model, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModelPrice? price)
    {
        price = null;
        var best = -1;
        foreach (var (name, candidate) in Models)
        {
            if (name.Length > best && name.Length < model.Length && model[name.Length] is '-' or ':' or '@'
                && model.StartsWith(name, StringComparison.Ordinal))
            {
                best = name.Length;
                price = candidate;
            }
        }

        return price is not null;
    }
}
