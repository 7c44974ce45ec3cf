using System.Text.RegularExpressions;

namespace AiGateway.Core.Configuration;

/// <summary>Type-specific provider keys: region, project, space and auth.</summary>
public static partial class GatewayConfigValidator
{
    /// <summary>The watsonx.ai <c>version</c> date used when <c>api_version</c> is not set.</summary>
    public const string DefaultWatsonxVersion = "2024-05-31";

    private static readonly Dictionary<ProviderAuthKind, ApiSchema[]> AuthSchemas = new()
    {
        [ProviderAuthKind.AwsSigV4] = [ApiSchema.AwsBedrock],
        [ProviderAuthKind.AzureEntra] = [ApiSchema.AzureOpenAi],
        [ProviderAuthKind.GcpServiceAccount] = [ApiSchema.VertexAi],
        [ProviderAuthKind.IbmIam] = [ApiSchema.Watsonx],
    };

    private sealed record ProviderSettings(string? Region, string? ProjectId, string? SpaceId, ProviderAuth Auth, OpenAiDialect Dialect);

    private static ProviderSettings? ValidateProviderSettings(Context context, string path, ProviderConfigFile p, ApiSchema schema)
    {
        var ok = true;
        var usesRegion = schema is ApiSchema.AwsBedrock or ApiSchema.VertexAi;
        var usesProject = schema is ApiSchema.VertexAi or ApiSchema.Watsonx;
        if (p.Region is not null && !usesRegion)
        {
            ok = context.Error($"{path}.region", "only applies to providers of type aws-bedrock or vertex-ai");
        }
        else if (p.Region is not null && !RegionPattern().IsMatch(p.Region))
        {
            ok = context.Error($"{path}.region", $"'{p.Region}' is not a region such as us-east-1, us-central1 or global");
        }

        if (p.ProjectId is not null && !usesProject)
        {
            ok = context.Error($"{path}.project_id", "only applies to providers of type vertex-ai or watsonx");
        }
        else if (p.ProjectId is not null && !NamePattern().IsMatch(p.ProjectId))
        {
            ok = context.Error($"{path}.project_id", $"'{p.ProjectId}' may only contain letters, digits, '.', '_' and '-'");
        }

        if (p.SpaceId is not null && schema != ApiSchema.Watsonx)
        {
            ok = context.Error($"{path}.space_id", "only applies to providers of type watsonx");
        }
        else if (p.SpaceId is not null && !NamePattern().IsMatch(p.SpaceId))
        {
            ok = context.Error($"{path}.space_id", $"'{p.SpaceId}' may only contain letters, digits, '.', '_' and '-'");
        }

        switch (schema)
        {
            case ApiSchema.VertexAi:
                if (string.IsNullOrWhiteSpace(p.ProjectId))
                {
                    ok &= context.Require($"{path}.project_id", "is required for vertex-ai: the Google Cloud project id");
                }

                if (string.IsNullOrWhiteSpace(p.Region))
                {
                    ok &= context.Require($"{path}.region", "is required for vertex-ai: the location, e.g. us-central1 or global");
                }
                else if (Uri.TryCreate(p.Endpoint, UriKind.Absolute, out var vertexEndpoint)
                    && vertexEndpoint.Host.EndsWith("aiplatform.googleapis.com", StringComparison.OrdinalIgnoreCase)
                    && RegionPattern().IsMatch(p.Region)
                    && !string.Equals(vertexEndpoint.Host, Translation.GeminiPaths.VertexHost(p.Region), StringComparison.OrdinalIgnoreCase))
                {
                    // Regional locations have their own host; "global" has none and uses the bare one.
                    ok = context.Error($"{path}.endpoint", $"region '{p.Region}' is served at https://{Translation.GeminiPaths.VertexHost(p.Region)}, not {vertexEndpoint.Host}");
                }

                break;
            case ApiSchema.Watsonx:
                if (string.IsNullOrWhiteSpace(p.ProjectId) == string.IsNullOrWhiteSpace(p.SpaceId))
                {
                    ok = context.Error($"{path}.project_id", "watsonx needs exactly one of project_id or space_id");
                }

                break;
        }

        var dialect = OpenAiDialect.Generic;
        if (p.Compatibility is not null && schema != ApiSchema.OpenAiCompatible)
        {
            ok = context.Error($"{path}.compatibility", "only applies to providers of type openai-compatible");
        }
        else if (p.Compatibility is not null && !OpenAiDialects.TryParse(p.Compatibility, out dialect))
        {
            ok = context.Error($"{path}.compatibility", $"unknown server kind '{p.Compatibility}'; expected one of: {OpenAiDialects.Known}");
        }
        else if (p.Compatibility is null && schema == ApiSchema.OpenAiCompatible && Uri.TryCreate(p.Endpoint, UriKind.Absolute, out var endpoint))
        {
            dialect = OpenAiDialects.FromHost(endpoint.Host);
        }

        var auth = ValidateAuth(context, path, p, schema);
        ok &= auth is not null;
        return ok ? new ProviderSettings(p.Region, p.ProjectId, p.SpaceId, auth!, dialect) : null;
    }

    private static ProviderAuth? ValidateAuth(Context context, string path, ProviderConfigFile p, ApiSchema schema)
    {
        var authPath = $"{path}.auth";
        var a = p.Auth;
        if (a is null)
        {
            return schema switch
            {
                // A watsonx.ai api_key is an IBM Cloud API key: it is exchanged for IAM tokens.
                ApiSchema.Watsonx => new ProviderAuth { Kind = ProviderAuthKind.IbmIam, TokenUrl = ProviderAuth.DefaultIbmIamTokenUrl },
                ApiSchema.VertexAi => Missing(context, authPath, "is required for vertex-ai: auth.type gcp-service-account with credentials_file"),
                _ => ProviderAuth.ApiKey,
            };
        }

        var typePath = $"{authPath}.type";
        if (string.IsNullOrWhiteSpace(a.Type))
        {
            return Missing(context, typePath, "is required: api-key, aws-sigv4, azure-entra, gcp-service-account or ibm-iam");
        }

        if (!ProviderAuth.TryParse(a.Type, out var kind))
        {
            context.Error(typePath, $"unknown auth type '{a.Type}'; expected api-key, aws-sigv4, azure-entra, gcp-service-account or ibm-iam");
            return null;
        }

        var ok = true;
        if (AuthSchemas.TryGetValue(kind, out var schemas) && !schemas.Contains(schema))
        {
            ok = context.Error(typePath, $"'{a.Type}' only applies to providers of type {string.Join(" or ", schemas.Select(ApiSchemaNames.ToName))}");
        }

        if (kind == ProviderAuthKind.ApiKey && schema == ApiSchema.VertexAi)
        {
            ok = context.Error(typePath, "vertex-ai needs OAuth: use gcp-service-account");
        }

        // Each kind's own keys; any other key is a mistake worth naming.
        string[] allowed = kind switch
        {
            ProviderAuthKind.AwsSigV4 => ["access_key_id", "secret_access_key", "session_token"],
            ProviderAuthKind.AzureEntra => ["tenant_id", "client_id", "client_secret", "authority_host", "scope"],
            ProviderAuthKind.GcpServiceAccount => ["credentials_file", "scope"],
            ProviderAuthKind.IbmIam => ["token_url"],
            _ => [],
        };
        foreach (var (key, value) in new (string Key, string? Value)[]
        {
            ("access_key_id", a.AccessKeyId), ("secret_access_key", a.SecretAccessKey), ("session_token", a.SessionToken),
            ("tenant_id", a.TenantId), ("client_id", a.ClientId), ("client_secret", a.ClientSecret),
            ("authority_host", a.AuthorityHost), ("scope", a.Scope), ("credentials_file", a.CredentialsFile), ("token_url", a.TokenUrl),
        })
        {
            if (value is not null && !allowed.Contains(key))
            {
                ok = context.Error($"{authPath}.{key}", $"does not apply to auth type {a.Type}");
            }
        }

        switch (kind)
        {
            case ProviderAuthKind.AwsSigV4:
                ok &= Present(context, $"{authPath}.access_key_id", a.AccessKeyId, "is required for aws-sigv4");
                ok &= Present(context, $"{authPath}.secret_access_key", a.SecretAccessKey, "is required for aws-sigv4");
                if (string.IsNullOrWhiteSpace(p.Region))
                {
                    ok &= context.Require($"{path}.region", "is required for aws-sigv4: the signing region, e.g. us-east-1");
                }

                break;
            case ProviderAuthKind.AzureEntra:
                ok &= Present(context, $"{authPath}.tenant_id", a.TenantId, "is required for azure-entra");
                ok &= Present(context, $"{authPath}.client_id", a.ClientId, "is required for azure-entra");
                ok &= Present(context, $"{authPath}.client_secret", a.ClientSecret, "is required for azure-entra");
                ok &= HttpUrl(context, $"{authPath}.authority_host", a.AuthorityHost, out var authorityHost);
                if (authorityHost is not null && authorityHost.Scheme != Uri.UriSchemeHttps)
                {
                    // Azure.Identity refuses to send a client secret over plain HTTP.
                    ok = context.Error($"{authPath}.authority_host", $"'{a.AuthorityHost}' must be an https URL: Entra ID tokens are only requested over TLS");
                }

                if (p.ApiKey is not null)
                {
                    ok = context.Error($"{path}.api_key", "does not apply with auth type azure-entra: Azure OpenAI gets either an api-key or an Entra ID token, never both");
                }

                return ok ? new ProviderAuth
                {
                    Kind = kind,
                    TenantId = a.TenantId,
                    ClientId = a.ClientId,
                    ClientSecret = new Secret(a.ClientSecret!),
                    AuthorityHost = authorityHost ?? ProviderAuth.DefaultAzureAuthorityHost,
                    Scope = a.Scope ?? ProviderAuth.DefaultAzureScope,
                } : null;
            case ProviderAuthKind.GcpServiceAccount:
                if (!Present(context, $"{authPath}.credentials_file", a.CredentialsFile, "is required for gcp-service-account: the service-account key JSON file"))
                {
                    return null;
                }

                var file = Path.IsPathRooted(a.CredentialsFile!)
                    ? a.CredentialsFile!
                    : Path.GetFullPath(a.CredentialsFile!, Path.GetDirectoryName(Path.GetFullPath(context.File.FileName)) ?? ".");
                if (!File.Exists(file))
                {
                    ok = context.Error($"{authPath}.credentials_file", $"'{a.CredentialsFile}' does not exist");
                }

                return ok ? new ProviderAuth { Kind = kind, CredentialsFile = file, Scope = a.Scope ?? ProviderAuth.DefaultGcpScope } : null;
            case ProviderAuthKind.IbmIam:
                ok &= HttpUrl(context, $"{authPath}.token_url", a.TokenUrl, out var tokenUrl);
                return ok ? new ProviderAuth { Kind = kind, TokenUrl = tokenUrl ?? ProviderAuth.DefaultIbmIamTokenUrl } : null;
        }

        if (!ok)
        {
            return null;
        }

        return kind == ProviderAuthKind.AwsSigV4
            ? new ProviderAuth
            {
                Kind = kind,
                AccessKeyId = new Secret(a.AccessKeyId!),
                SecretAccessKey = new Secret(a.SecretAccessKey!),
                SessionToken = new Secret(a.SessionToken ?? string.Empty),
            }
            : ProviderAuth.ApiKey;
    }

    private static ProviderAuth? Missing(Context context, string path, string message)
    {
        context.Require(path, message);
        return null;
    }

    private static bool Present(Context context, string path, string? value, string message) =>
        !string.IsNullOrWhiteSpace(value) || context.Require(path, message);

    private static bool HttpUrl(Context context, string path, string? value, out Uri? url)
    {
        url = null;
        if (value is null)
        {
            return true;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            url = null;
            return context.Error(path, $"'{value}' is not an http(s) URL");
        }

        return true;
    }

    [GeneratedRegex("^[a-z0-9-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
