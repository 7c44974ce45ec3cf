namespace AiGateway.Core.Configuration;

/// <summary>A credential from the configuration. Never printed: <see cref="ToString"/> is redacted.</summary>
public sealed class Secret(string value)
{
    /// <summary>The credential itself, for the one place that sends it.</summary>
    public string Reveal() => value;

    /// <summary>True when no credential was configured.</summary>
    public bool IsEmpty => value.Length == 0;

    /// <inheritdoc />
    public override string ToString() => "***";
}
