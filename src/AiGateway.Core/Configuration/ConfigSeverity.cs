namespace AiGateway.Core.Configuration;

/// <summary>How serious a configuration finding is.</summary>
public enum ConfigSeverity
{
    /// <summary>The configuration cannot be used.</summary>
    Error,

    /// <summary>The configuration loads, but something in it has no effect yet.</summary>
    Warning,
}
