namespace AiGateway.Core.Configuration;

/// <summary>Loads gateway.yaml in three stages: YAML DTOs, validation with YAML paths, compiled snapshot.</summary>
/// <param name="isSupported">Which provider schemas this build can translate to.</param>
/// <param name="environment">Reads environment variables for <c>${NAME}</c> substitution.</param>
/// <param name="timeProvider">Stamps snapshots.</param>
public sealed class GatewayConfigLoader(Func<ApiSchema, bool> isSupported, Func<string, string?> environment, TimeProvider timeProvider)
{
    /// <summary>Loads a file from disk.</summary>
    public async Task<ConfigLoadResult> LoadFileAsync(string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ConfigLoadResult(null, [new ConfigError(path, string.Empty, $"cannot read the file: {e.Message}")]);
        }

        return Load(text, path);
    }

    /// <summary>Loads YAML text; <paramref name="fileName"/> is used in messages.</summary>
    public ConfigLoadResult Load(string yaml, string fileName)
    {
        var findings = new List<ConfigError>();
        var file = GatewayConfigFileReader.Read(yaml, fileName, environment, findings);
        var snapshot = GatewayConfigValidator.Validate(file, isSupported, timeProvider.GetUtcNow(), findings);
        return new ConfigLoadResult(snapshot, [.. findings]);
    }
}
