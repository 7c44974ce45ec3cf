using System.Globalization;
using System.Text.Json;
using AiGateway.MockProvider.Json;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace AiGateway.MockProvider.Configuration;

/// <summary>
/// Builds <see cref="MockProviderOptions"/> for the standalone process from an optional YAML/JSON file
/// (<c>--config</c> or <c>MOCK_CONFIG</c>) and then <c>MOCK_*</c> environment variables, which win.
/// Every problem is collected and reported, each naming the file or variable and the key.
/// </summary>
internal static class MockConfigLoader
{
    public const string ConfigVariable = "MOCK_CONFIG";
    public const string ModelsVariable = "MOCK_MODELS";
    public const string ResponseTemplateVariable = "MOCK_RESPONSE_TEMPLATE";
    public const string ChunkDelayVariable = "MOCK_CHUNK_DELAY_MS";
    public const string EmbeddingDimensionsVariable = "MOCK_EMBEDDING_DIMENSIONS";
    public const string ApiKeysVariable = "MOCK_API_KEYS";
    public const string RejectUnknownModelsVariable = "MOCK_REJECT_UNKNOWN_MODELS";
    public const string MaxRecordedRequestsVariable = "MOCK_MAX_RECORDED_REQUESTS";
    public const string IbmApiKeysVariable = "MOCK_IBM_API_KEYS";

    /// <summary>Loads the options; on failure returns null and every error found.</summary>
    public static MockProviderOptions? Load(string? configPath, Func<string, string?> environment, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var problems = new List<string>();
        var file = new MockConfigFile();
        var path = string.IsNullOrWhiteSpace(configPath) ? environment(ConfigVariable) : configPath;
        var source = "defaults";
        if (!string.IsNullOrWhiteSpace(path))
        {
            source = path;
            file = ReadFile(path, problems) ?? file;
        }

        ApplyEnvironment(file, environment, problems);
        var bedrock = Bedrock.BedrockMockOptions.FromEnvironment(environment, problems);
        if (problems.Count > 0)
        {
            errors = problems;
            return null;
        }

        var options = ToOptions(file, bedrock);
        errors = [.. options.Validate().Select(e => $"{source}: {e}")];
        return errors.Count == 0 ? options : null;
    }

    /// <summary>Parses a config document; <paramref name="yaml"/> selects YAML (a superset of JSON) over strict JSON.</summary>
    internal static MockConfigFile? Parse(string text, bool yaml, string source, List<string> problems)
    {
        try
        {
            if (!yaml)
            {
                return JsonSerializer.Deserialize(text, MockJsonContext.Default.MockConfigFile) ?? new MockConfigFile();
            }

            var deserializer = new DeserializerBuilder()
                .WithNamingConvention(UnderscoredNamingConvention.Instance)
                .Build();
            return deserializer.Deserialize<MockConfigFile?>(text) ?? new MockConfigFile();
        }
        catch (JsonException ex)
        {
            problems.Add($"{source}: {ex.Message}");
        }
        catch (YamlException ex)
        {
            problems.Add($"{source}: line {ex.Start.Line}: {(ex.InnerException ?? ex).Message}");
        }

        return null;
    }

    private static MockConfigFile? ReadFile(string path, List<string> problems)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            problems.Add($"{path}: cannot read config file: {ex.Message}");
            return null;
        }
        catch (UnauthorizedAccessException ex)
        {
            problems.Add($"{path}: cannot read config file: {ex.Message}");
            return null;
        }

        var json = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        return Parse(text, yaml: !json, path, problems);
    }

    private static void ApplyEnvironment(MockConfigFile file, Func<string, string?> environment, List<string> problems)
    {
        if (environment(ModelsVariable) is { Length: > 0 } models)
        {
            file.Models = [.. models.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        if (environment(ResponseTemplateVariable) is { Length: > 0 } template)
        {
            file.ResponseTemplate = template;
        }

        file.ChunkDelayMs = ReadInt(environment, ChunkDelayVariable, problems) ?? file.ChunkDelayMs;
        file.EmbeddingDimensions = ReadInt(environment, EmbeddingDimensionsVariable, problems) ?? file.EmbeddingDimensions;
        file.MaxRecordedRequests = ReadInt(environment, MaxRecordedRequestsVariable, problems) ?? file.MaxRecordedRequests;
        if (environment(RejectUnknownModelsVariable) is { Length: > 0 } reject)
        {
            if (bool.TryParse(reject, out var value))
            {
                file.RejectUnknownModels = value;
            }
            else
            {
                problems.Add($"{RejectUnknownModelsVariable}: expected true or false, got '{reject}'");
            }
        }

        if (environment(IbmApiKeysVariable) is { Length: > 0 } ibmKeys)
        {
            file.IbmApiKeys = [.. ibmKeys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        if (environment(ApiKeysVariable) is { Length: > 0 } keys)
        {
            file.ApiKeys = ParseApiKeys(keys, problems);
        }
    }

    /// <summary>Parses <c>/v1=sk-a,sk-b;/compat/v1=sk-c</c>.</summary>
    internal static Dictionary<string, List<string>> ParseApiKeys(string value, List<string> problems)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var entry in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problems.Add($"{ApiKeysVariable}: expected '<path-prefix>=<key>[,<key>...]' entries separated by ';', got '{entry}'");
                continue;
            }

            result[entry[..equals].Trim()] =
                [.. entry[(equals + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        return result;
    }

    private static int? ReadInt(Func<string, string?> environment, string name, List<string> problems)
    {
        if (environment(name) is not { Length: > 0 } raw)
        {
            return null;
        }

        if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        problems.Add($"{name}: expected an integer, got '{raw}'");
        return null;
    }

    private static MockProviderOptions ToOptions(MockConfigFile file, Bedrock.BedrockMockOptions bedrock)
    {
        var defaults = new MockProviderOptions();
        return new MockProviderOptions
        {
            Models = file.Models is null ? defaults.Models : [.. file.Models],
            ResponseTemplate = file.ResponseTemplate ?? defaults.ResponseTemplate,
            ChunkDelay = file.ChunkDelayMs is { } delay ? TimeSpan.FromMilliseconds(delay) : defaults.ChunkDelay,
            EmbeddingDimensions = file.EmbeddingDimensions ?? defaults.EmbeddingDimensions,
            RejectUnknownModels = file.RejectUnknownModels ?? defaults.RejectUnknownModels,
            MaxRecordedRequests = file.MaxRecordedRequests ?? defaults.MaxRecordedRequests,
            RequiredApiKeys = file.ApiKeys is null
                ? defaults.RequiredApiKeys
                : file.ApiKeys.ToDictionary(
                    static pair => pair.Key,
                    static pair => (IReadOnlyList<string>)[.. pair.Value ?? []],
                    StringComparer.Ordinal),
            IbmApiKeys = file.IbmApiKeys is null ? defaults.IbmApiKeys : [.. file.IbmApiKeys],
            IamTokenLifetime = file.IamTokenLifetimeSeconds is { } lifetime ? TimeSpan.FromSeconds(lifetime) : defaults.IamTokenLifetime,
            Faults = file.Faults is null ? [] : [.. file.Faults.Select(static f => f?.ToRule()!)],
            Bedrock = bedrock,
            EntraClients = file.EntraClients is null ? [] : [.. file.EntraClients.Select(static c => c?.ToClient()!)],
            GoogleServiceAccounts = file.GoogleServiceAccounts is null ? [] : [.. file.GoogleServiceAccounts.Select(static a => a?.ToAccount()!)],
            BearerTokenPrefixes = file.BearerTokenPrefixes is null ? [] : [.. file.BearerTokenPrefixes],
            IssuedTokenLifetime = file.TokenLifetimeSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : defaults.IssuedTokenLifetime,
        };
    }
}
