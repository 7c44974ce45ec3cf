using System.Collections.Frozen;

namespace AiGateway.Core.Pricing;

/// <summary>Compiled <c>cost_management</c>: the price of every (provider, model) pair the snapshot serves.</summary>
public sealed class CostSettings
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, ModelPrice>> _prices;

    internal CostSettings(bool enabled, bool responseHeader, FrozenDictionary<string, FrozenDictionary<string, ModelPrice>> prices)
    {
        Enabled = enabled;
        ResponseHeader = responseHeader;
        _prices = prices;
    }

    /// <summary>Pricing switched off.</summary>
    public static CostSettings Disabled { get; } = new(false, false, FrozenDictionary<string, FrozenDictionary<string, ModelPrice>>.Empty);

    /// <summary><c>cost_management.enabled</c>.</summary>
    public bool Enabled { get; }

    /// <summary><c>cost_management.response_header</c>: add <c>x-ai-gateway-cost</c> to buffered responses.</summary>
    public bool ResponseHeader { get; }

    /// <summary>The price of <paramref name="model"/> on provider <paramref name="provider"/> (by name); false when unpriced or disabled.</summary>
    public bool TryGetPrice(string provider, string model, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModelPrice? price)
    {
        price = null;
        return Enabled && _prices.TryGetValue(provider, out var models) && models.TryGetValue(model, out price);
    }
}
