namespace AiGateway.Core.Configuration;

/// <summary>One problem in a configuration file, located by its YAML path.</summary>
/// <param name="File">The file the finding is about.</param>
/// <param name="Path">YAML path, e.g. <c>providers[1].models[0]</c>; empty for the document root.</param>
/// <param name="Message">What is wrong and what was expected.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="Line">1-based line in the file, when known.</param>
public sealed record ConfigError(string File, string Path, string Message, ConfigSeverity Severity = ConfigSeverity.Error, int? Line = null)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var where = Line is { } line ? $"{File}:{line}" : File;
        var kind = Severity == ConfigSeverity.Error ? "error" : "warning";
        return string.IsNullOrEmpty(Path) ? $"{where}: {kind}: {Message}" : $"{where}: {kind}: {Path}: {Message}";
    }
}
