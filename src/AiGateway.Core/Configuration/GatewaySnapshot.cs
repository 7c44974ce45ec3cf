using System.Collections.Frozen;
using System.Collections.Immutable;

namespace AiGateway.Core.Configuration;

/// <summary>An immutable, compiled gateway configuration. Streams read one snapshot and keep it.</summary>
public sealed class GatewaySnapshot
{
    private readonly FrozenDictionary<string, ProviderDefinition> _byName;
    private readonly FrozenDictionary<string, ImmutableArray<ProviderDefinition>> _byModel;

    internal GatewaySnapshot(string source, ImmutableArray<ProviderDefinition> providers, RoutingSettings routing, ImmutableArray<ConfigError> warnings, DateTimeOffset loadedAt)
    {
        Source = source;
        Providers = providers;
        Routing = routing;
        Warnings = warnings;
        LoadedAt = loadedAt;
        _byName = providers.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
        _byModel = providers
            .Where(p => p.IsSupported)
            .SelectMany(p => p.Models.Select(m => (Model: m, Provider: p)))
            .GroupBy(x => x.Model, StringComparer.Ordinal)
            .ToFrozenDictionary(
                g => g.Key,
                g => g.Select(x => x.Provider).OrderBy(p => p.Priority).ThenBy(p => p.Index).ToImmutableArray(),
                StringComparer.Ordinal);
        Models = [.. _byModel.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>Where the configuration came from (file path).</summary>
    public string Source { get; }

    /// <summary>Every provider in file order, supported or not.</summary>
    public ImmutableArray<ProviderDefinition> Providers { get; }

    /// <summary>Routing and fallback settings.</summary>
    public RoutingSettings Routing { get; }

    /// <summary>Pricing: the price of each (provider, model) pair; <see cref="CostSettings.Disabled"/> when off.</summary>
    public Pricing.CostSettings Costs { get; init; } = Pricing.CostSettings.Disabled;

    /// <summary>PII masking of requests and, optionally, answers (<c>security.data_masking</c>); null when off.</summary>
    public DataMaskingSettings? DataMasking { get; init; }

    /// <summary>Envoy's rate-limit filter and the limits of the rate-limit service (<c>rate_limiting</c>); null when off.</summary>
    public RateLimitingSettings? RateLimiting { get; init; }

    /// <summary>Warnings found while loading (e.g. keys not supported yet).</summary>
    public ImmutableArray<ConfigError> Warnings { get; }

    /// <summary>When this snapshot was built.</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <summary>Every model some supported provider serves, sorted.</summary>
    public ImmutableArray<string> Models { get; }

    /// <summary>The supported providers serving <paramref name="model"/>, best first; empty when none.</summary>
    public ImmutableArray<ProviderDefinition> ProvidersFor(string model) =>
        _byModel.TryGetValue(model, out var providers) ? providers : [];

    /// <summary>Finds a provider by name.</summary>
    public bool TryGetProvider(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ProviderDefinition? provider) =>
        _byName.TryGetValue(name, out provider);
}
