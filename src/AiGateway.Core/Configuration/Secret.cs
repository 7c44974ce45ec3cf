namespace AiGateway.Core.Configuration;

/// <summary>A credential from the configuration. Never printed: <see cref="ToString"/> is redacted.</summary>
public sealed class Secret(string value) : IEquatable<Secret>
{
    /// <summary>No credential.</summary>
    public static Secret Empty { get; } = new(string.Empty);

    /// <summary>The credential itself, for the one place that sends it.</summary>
    public string Reveal() => value;

    /// <summary>True when no credential was configured.</summary>
    public bool IsEmpty => value.Length == 0;

    /// <inheritdoc />
    public override string ToString() => "***";

    /// <inheritdoc />
    public bool Equals(Secret? other) => other is not null && string.Equals(value, other.Reveal(), StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Secret);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(value);
}
