using System.Collections.Immutable;

namespace AiGateway.Core.Configuration;

/// <summary>The outcome of loading gateway.yaml: a snapshot, or the errors that prevent one.</summary>
/// <param name="Snapshot">The compiled configuration; null when there were errors.</param>
/// <param name="Findings">Every error and warning, in file order of discovery.</param>
public sealed record ConfigLoadResult(GatewaySnapshot? Snapshot, ImmutableArray<ConfigError> Findings)
{
    /// <summary>True when a snapshot was built.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Snapshot))]
    public bool Succeeded => Snapshot is not null;

    /// <summary>Only the errors.</summary>
    public IEnumerable<ConfigError> Errors => Findings.Where(f => f.Severity == ConfigSeverity.Error);

    /// <summary>Only the warnings.</summary>
    public IEnumerable<ConfigError> Warnings => Findings.Where(f => f.Severity == ConfigSeverity.Warning);
}
