using System.Collections.Frozen;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AiGateway.Core.Configuration;

/// <summary>Reads gateway.yaml text into <see cref="GatewayConfigFile"/> DTOs: structure, types, unknown keys.</summary>
public static class GatewayConfigFileReader
{
    private static readonly FrozenDictionary<string, KeyKind> RootKeys = Keys(
        supported: ["providers", "routing", "cost_management", "security", "rate_limiting"],
        notYet: ["rbac", "roles", "users", "caching", "metrics", "tracing", "health_checks", "instana", "alerts", "circuit_breaker"]);

    private static readonly FrozenDictionary<string, KeyKind> ProviderKeys = Keys(
        supported: ["name", "type", "endpoint", "api_key", "models", "priority", "api_version", "deployments", "region", "project_id", "space_id", "auth", "compatibility"],
        notYet: ["max_requests_per_minute", "circuit_breaker", "retry", "timeout"]);

    private static readonly FrozenDictionary<string, KeyKind> AuthKeys = Keys(
        supported: ["type", "access_key_id", "secret_access_key", "session_token", "tenant_id", "client_id", "client_secret", "authority_host", "scope", "credentials_file", "token_url"],
        notYet: []);

    private static readonly FrozenDictionary<string, KeyKind> RoutingKeys = Keys(
        supported: ["strategy", "fallback_enabled", "fallback_on_errors", "retry_attempts", "retry_delay"],
        notYet: ["rules", "canary"]);

    /// <summary>Parses YAML text. Problems go to <paramref name="errors"/>; the DTO holds what could be read.</summary>
    public static GatewayConfigFile Read(string yaml, string fileName, Func<string, string?> environment, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var file = new GatewayConfigFile { FileName = fileName };
        var nodes = new YamlNodes(fileName, errors, environment, file.Lines);
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(yaml);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            errors.Add(new ConfigError(fileName, string.Empty, $"not valid YAML: {e.Message}", ConfigSeverity.Error, (int)e.Start.Line));
            return file;
        }

        if (stream.Documents.Count == 0)
        {
            errors.Add(new ConfigError(fileName, string.Empty, "the file is empty; expected a mapping with 'providers'"));
            return file;
        }

        nodes.Mapping(string.Empty, stream.Documents[0].RootNode, RootKeys, (key, value) =>
        {
            switch (key)
            {
                case "providers":
                    file.Providers = ReadProviders(nodes, value);
                    break;
                case "routing":
                    file.Routing = ReadRouting(nodes, value);
                    break;
                case "cost_management":
                    file.CostManagement = CostManagementReader.Read(nodes, "cost_management", value);
                    break;
                case "security":
                    file.DataMasking = DataMaskingReader.Read(nodes, "security", value);
                    break;
                case "rate_limiting":
                    file.RateLimiting = RateLimitingReader.Read(nodes, "rate_limiting", value);
                    break;
            }
        });
        return file;
    }

    private static List<ProviderConfigFile>? ReadProviders(YamlNodes nodes, YamlNode node)
    {
        if (node is not YamlSequenceNode sequence)
        {
            nodes.Error("providers", node, "expected a list of providers");
            return null;
        }

        var providers = new List<ProviderConfigFile>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var path = YamlNodes.Item("providers", i);
            var provider = new ProviderConfigFile();
            nodes.Mapping(path, sequence.Children[i], ProviderKeys, (key, value) =>
            {
                var keyPath = YamlNodes.Child(path, key);
                switch (key)
                {
                    case "name": provider.Name = nodes.String(keyPath, value); break;
                    case "type": provider.Type = nodes.String(keyPath, value); break;
                    case "endpoint": provider.Endpoint = nodes.String(keyPath, value); break;
                    case "api_key": provider.ApiKey = nodes.String(keyPath, value); break;
                    case "models": provider.Models = nodes.StringList(keyPath, value); break;
                    case "priority": provider.Priority = nodes.Int(keyPath, value); break;
                    case "api_version": provider.ApiVersion = nodes.String(keyPath, value); break;
                    case "deployments": provider.Deployments = nodes.StringMap(keyPath, value); break;
                    case "region": provider.Region = nodes.String(keyPath, value); break;
                    case "project_id": provider.ProjectId = nodes.String(keyPath, value); break;
                    case "space_id": provider.SpaceId = nodes.String(keyPath, value); break;
                    case "compatibility": provider.Compatibility = nodes.String(keyPath, value); break;
                    case "auth": provider.Auth = ReadAuth(nodes, keyPath, value); break;
                }
            });
            providers.Add(provider);
        }

        return providers;
    }

    private static AuthConfigFile ReadAuth(YamlNodes nodes, string path, YamlNode node)
    {
        var auth = new AuthConfigFile();
        nodes.Mapping(path, node, AuthKeys, (key, value) =>
        {
            var keyPath = YamlNodes.Child(path, key);
            switch (key)
            {
                case "type": auth.Type = nodes.String(keyPath, value); break;
                case "access_key_id": auth.AccessKeyId = nodes.String(keyPath, value); break;
                case "secret_access_key": auth.SecretAccessKey = nodes.String(keyPath, value); break;
                case "session_token": auth.SessionToken = nodes.String(keyPath, value); break;
                case "tenant_id": auth.TenantId = nodes.String(keyPath, value); break;
                case "client_id": auth.ClientId = nodes.String(keyPath, value); break;
                case "client_secret": auth.ClientSecret = nodes.String(keyPath, value); break;
                case "authority_host": auth.AuthorityHost = nodes.String(keyPath, value); break;
                case "scope": auth.Scope = nodes.String(keyPath, value); break;
                case "credentials_file": auth.CredentialsFile = nodes.String(keyPath, value); break;
                case "token_url": auth.TokenUrl = nodes.String(keyPath, value); break;
            }
        });
        return auth;
    }

    private static RoutingConfigFile ReadRouting(YamlNodes nodes, YamlNode node)
    {
        var routing = new RoutingConfigFile();
        nodes.Mapping("routing", node, RoutingKeys, (key, value) =>
        {
            var path = YamlNodes.Child("routing", key);
            switch (key)
            {
                case "strategy": routing.Strategy = nodes.String(path, value); break;
                case "fallback_enabled": routing.FallbackEnabled = nodes.Bool(path, value); break;
                case "fallback_on_errors": routing.FallbackOnErrors = nodes.StringList(path, value); break;
                case "retry_attempts": routing.RetryAttempts = nodes.Int(path, value); break;
                case "retry_delay": routing.RetryDelay = nodes.String(path, value); break;
            }
        });
        return routing;
    }

    private static FrozenDictionary<string, KeyKind> Keys(string[] supported, string[] notYet)
    {
        var keys = new Dictionary<string, KeyKind>(StringComparer.Ordinal);
        foreach (var key in supported)
        {
            keys[key] = KeyKind.Supported;
        }

        foreach (var key in notYet)
        {
            keys[key] = KeyKind.NotSupportedYet;
        }

        return keys.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
