using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace AiGateway.Core.Configuration;

/// <summary>
/// Checks gateway.yaml DTOs as a whole, reports every problem with its YAML path, and compiles the
/// immutable <see cref="GatewaySnapshot"/> when there is no error.
/// </summary>
public static partial class GatewayConfigValidator
{
    private static readonly FrozenDictionary<string, FallbackError> FallbackNames = new Dictionary<string, FallbackError>(StringComparer.Ordinal)
    {
        ["rate_limit_exceeded"] = FallbackError.RateLimitExceeded,
        ["service_unavailable"] = FallbackError.ServiceUnavailable,
        ["timeout"] = FallbackError.Timeout,
        ["server_error"] = FallbackError.ServerError,
        ["connection_error"] = FallbackError.ConnectionError,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Validates and compiles. Returns null when any error was added to <paramref name="errors"/>.</summary>
    /// <param name="file">The DTOs.</param>
    /// <param name="isSupported">Whether this build can translate to a schema.</param>
    /// <param name="loadedAt">Time stamp for the snapshot.</param>
    /// <param name="errors">Receives errors and warnings; may already hold the reader's.</param>
    public static GatewaySnapshot? Validate(GatewayConfigFile file, Func<ApiSchema, bool> isSupported, DateTimeOffset loadedAt, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(isSupported);
        ArgumentNullException.ThrowIfNull(errors);
        var context = new Context(file, errors);
        var providers = ValidateProviders(context, isSupported);
        var routing = ValidateRouting(context);
        var costs = ValidateCosts(context, providers);
        var masking = ValidateDataMasking(context);
        var rateLimiting = ValidateRateLimiting(context);

        if (errors.Exists(e => e.Severity == ConfigSeverity.Error))
        {
            return null;
        }

        var warnings = errors.Where(e => e.Severity == ConfigSeverity.Warning).ToImmutableArray();
        return new GatewaySnapshot(file.FileName, providers, routing, warnings, loadedAt) { Costs = costs, DataMasking = masking, RateLimiting = rateLimiting };
    }

    private static ImmutableArray<ProviderDefinition> ValidateProviders(Context context, Func<ApiSchema, bool> isSupported)
    {
        var list = context.File.Providers;
        if (list is null)
        {
            if (!context.HasErrorAt("providers") && !context.HasErrorAt(string.Empty))
            {
                context.Error("providers", "is required: list the LLM providers the gateway may call");
            }

            return [];
        }

        if (list.Count == 0)
        {
            context.Error("providers", "must list at least one provider");
            return [];
        }

        var result = ImmutableArray.CreateBuilder<ProviderDefinition>(list.Count);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var p = list[i];
            var path = $"providers[{i}]";
            var ok = true;

            if (string.IsNullOrWhiteSpace(p.Name))
            {
                ok &= context.Require($"{path}.name", "is required: a short unique name such as 'openai-primary'");
            }
            else if (!NamePattern().IsMatch(p.Name))
            {
                ok = context.Error($"{path}.name", $"'{p.Name}' may only contain letters, digits, '.', '_' and '-'");
            }
            else if (names.TryGetValue(p.Name, out var first))
            {
                ok = context.Error($"{path}.name", $"'{p.Name}' is already the name of providers[{first}]; names must be unique");
            }
            else
            {
                names[p.Name] = i;
            }

            var schema = ApiSchema.OpenAi;
            if (string.IsNullOrWhiteSpace(p.Type))
            {
                ok &= context.Require($"{path}.type", $"is required; one of: {ApiSchemaNames.Known}");
            }
            else if (!ApiSchemaNames.TryParse(p.Type, out schema))
            {
                ok = context.Error($"{path}.type", $"unknown provider type '{p.Type}'; expected one of: {ApiSchemaNames.Known}");
            }

            Uri? endpoint = null;
            if (string.IsNullOrWhiteSpace(p.Endpoint))
            {
                ok &= context.Require($"{path}.endpoint", "is required: the provider's base URL, e.g. https://api.openai.com/v1");
            }
            else if (!Uri.TryCreate(p.Endpoint, UriKind.Absolute, out endpoint)
                || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)
                || !string.IsNullOrEmpty(endpoint.Query) || !string.IsNullOrEmpty(endpoint.Fragment) || !string.IsNullOrEmpty(endpoint.UserInfo))
            {
                ok = context.Error($"{path}.endpoint", $"'{p.Endpoint}' is not an http(s) base URL without query, fragment or user info");
                endpoint = null;
            }

            var models = ValidateModels(context, path, p.Models);
            ok &= models is not null;

            if (p.Priority is < 0)
            {
                ok = context.Error($"{path}.priority", "must be 0 or more (lower numbers are tried first)");
            }

            var deployments = ValidateAzureSettings(context, path, p, schema, models);
            ok &= deployments is not null;

            var settings = ValidateProviderSettings(context, path, p, schema);
            ok &= settings is not null;

            if (!ok || endpoint is null || models is null)
            {
                continue;
            }

            var supported = isSupported(schema);
            if (!supported)
            {
                context.Warning($"{path}.type", $"provider type '{p.Type}' is not supported yet; provider '{p.Name}' is not used for routing");
            }

            result.Add(new ProviderDefinition
            {
                Name = p.Name!,
                Schema = schema,
                Endpoint = endpoint,
                Authority = endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}",
                BasePath = endpoint.AbsolutePath.TrimEnd('/'),
                ApiKey = new Secret(p.ApiKey ?? string.Empty),
                Models = models,
                Priority = p.Priority ?? int.MaxValue,
                ApiVersion = schema switch
                {
                    ApiSchema.AzureOpenAi => p.ApiVersion ?? DefaultAzureApiVersion,
                    ApiSchema.Watsonx => p.ApiVersion ?? DefaultWatsonxVersion,
                    _ => null,
                },
                Deployments = deployments!,
                Region = settings!.Region,
                ProjectId = settings.ProjectId,
                SpaceId = settings.SpaceId,
                Auth = settings.Auth,
                Dialect = settings.Dialect,
                Index = i,
                IsSupported = supported,
            });
        }

        if (result.Count == list.Count && !result.Any(p => p.IsSupported))
        {
            context.Error("providers", "no provider has a supported type; the gateway could not serve any model");
        }

        return result.ToImmutable();
    }

    /// <summary>The GA Azure OpenAI data-plane version used for deployment URLs when none is configured.</summary>
    public const string DefaultAzureApiVersion = "2024-10-21";

    private static FrozenDictionary<string, string>? ValidateAzureSettings(Context context, string path, ProviderConfigFile p, ApiSchema schema, FrozenSet<string>? models)
    {
        var ok = true;
        if (schema != ApiSchema.AzureOpenAi)
        {
            if (p.ApiVersion is not null && schema != ApiSchema.Watsonx)
            {
                ok = context.Error($"{path}.api_version", "only applies to providers of type azure-openai or watsonx");
            }
            else if (p.ApiVersion is not null && !WatsonxVersionPattern().IsMatch(p.ApiVersion))
            {
                ok = context.Error($"{path}.api_version", $"'{p.ApiVersion}' is not a watsonx.ai version date such as 2024-05-31");
            }

            if (p.Deployments is not null)
            {
                ok = context.Error($"{path}.deployments", "only applies to providers of type azure-openai");
            }

            return ok ? FrozenDictionary<string, string>.Empty : null;
        }

        if (p.ApiVersion is { } version && !ApiVersionPattern().IsMatch(version))
        {
            ok = context.Error($"{path}.api_version", $"'{version}' is not an Azure OpenAI api-version such as 2024-10-21 or 2025-04-01-preview");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (model, deployment) in p.Deployments ?? [])
        {
            var entryPath = $"{path}.deployments.{model}";
            if (models is not null && !models.Contains(model))
            {
                ok = context.Error(entryPath, $"'{model}' is not in this provider's models");
            }
            else if (string.IsNullOrWhiteSpace(deployment))
            {
                ok = context.Require(entryPath, "must be a deployment name");
            }
            else if (!NamePattern().IsMatch(deployment))
            {
                ok = context.Error(entryPath, $"'{deployment}' may only contain letters, digits, '.', '_' and '-'");
            }
            else
            {
                result[model] = deployment;
            }
        }

        return ok ? result.ToFrozenDictionary(StringComparer.Ordinal) : null;
    }

    private static FrozenSet<string>? ValidateModels(Context context, string path, List<string?>? models)
    {
        var modelsPath = $"{path}.models";
        if (models is null)
        {
            context.Require(modelsPath, "is required: the model names this provider serves");
            return null;
        }

        if (models.Count == 0)
        {
            context.Error(modelsPath, "must list at least one model");
            return null;
        }

        var ok = true;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var m = 0; m < models.Count; m++)
        {
            var model = models[m];
            if (string.IsNullOrWhiteSpace(model))
            {
                ok &= context.Require($"{modelsPath}[{m}]", "must be a model name");
            }
            else if (!seen.Add(model))
            {
                ok = context.Error($"{modelsPath}[{m}]", $"'{model}' is listed twice");
            }
        }

        return ok ? seen.ToFrozenSet(StringComparer.Ordinal) : null;
    }

    private static RoutingSettings ValidateRouting(Context context)
    {
        var defaults = RoutingSettings.Default;
        var routing = context.File.Routing;
        if (routing is null)
        {
            return defaults;
        }

        switch (routing.Strategy)
        {
            case null or "priority":
                break;
            case "round-robin" or "least-latency":
                context.Warning("routing.strategy", $"strategy '{routing.Strategy}' is not supported yet; 'priority' is used");
                break;
            default:
                context.Error("routing.strategy", $"unknown strategy '{routing.Strategy}'; expected priority, round-robin or least-latency");
                break;
        }

        var fallbackOn = defaults.FallbackOn;
        if (routing.FallbackOnErrors is { } names)
        {
            fallbackOn = FallbackError.None;
            for (var i = 0; i < names.Count; i++)
            {
                if (names[i] is { } name && FallbackNames.TryGetValue(name, out var flag))
                {
                    fallbackOn |= flag;
                }
                else if (names[i] is not null)
                {
                    context.Error($"routing.fallback_on_errors[{i}]", $"unknown error kind '{names[i]}'; expected one of: {string.Join(", ", FallbackNames.Keys.Order(StringComparer.Ordinal))}");
                }
            }
        }

        var attempts = defaults.RetryAttempts;
        if (routing.RetryAttempts is { } retryAttempts)
        {
            if (retryAttempts is < 0 or > 10)
            {
                context.Error("routing.retry_attempts", "must be between 0 and 10");
            }
            else
            {
                attempts = retryAttempts;
            }
        }

        var delay = defaults.RetryDelay;
        if (routing.RetryDelay is { } retryDelay && !ConfigDuration.TryParse(retryDelay, out delay))
        {
            context.Error("routing.retry_delay", $"'{retryDelay}' is not a duration such as 500ms, 1s or 2m");
        }

        return new RoutingSettings(routing.FallbackEnabled ?? defaults.FallbackEnabled, fallbackOn, attempts, delay);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}(-preview)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ApiVersionPattern();

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex WatsonxVersionPattern();

    private sealed class Context(GatewayConfigFile file, List<ConfigError> errors)
    {
        public GatewayConfigFile File => file;

        public bool HasErrorAt(string path) => errors.Exists(e => e.Path == path && e.Severity == ConfigSeverity.Error);

        /// <summary>Reports a missing value unless the reader already reported a problem there.</summary>
        public bool Require(string path, string message)
        {
            if (!HasErrorAt(path))
            {
                Error(path, message);
            }

            return false;
        }

        public bool Error(string path, string message)
        {
            errors.Add(new ConfigError(file.FileName, path, message, ConfigSeverity.Error, file.LineOf(path)));
            return false;
        }

        public void Warning(string path, string message) =>
            errors.Add(new ConfigError(file.FileName, path, message, ConfigSeverity.Warning, file.LineOf(path)));
    }
}
