using AiGateway.Core.Configuration;
using AiGateway.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace AiGateway.Core.Tests.Configuration;

public sealed class GatewayConfigLoaderTests
{
    private static readonly Dictionary<string, string> Environment = new(StringComparer.Ordinal)
    {
        ["OPENAI_API_KEY"] = "sk-openai-test",
        ["AZURE_OPENAI_API_KEY"] = "azure-test",
        ["WATSONX_API_KEY"] = "watsonx-test",
    };

    private static GatewayConfigLoader Loader(Func<ApiSchema, bool>? supported = null) =>
        new(supported ?? new Core.Translation.TranslatorRegistry().Supports, name => Environment.GetValueOrDefault(name), new FakeTimeProvider());

    [Fact]
    public void Loads_the_seed_fallback_configuration()
    {
        // Arrange
        var yaml = FixtureFiles.Text("Configuration", "seed-fallback.yaml");

        // Act
        var result = Loader().Load(yaml, "seed-fallback.yaml");

        // Assert
        Assert.True(result.Succeeded, string.Join('\n', result.Findings));
        var snapshot = result.Snapshot;
        Assert.Equal(["primary", "secondary", "fallback"], snapshot.Providers.Select(p => p.Name));
        Assert.Equal("sk-openai-test", snapshot.Providers[0].ApiKey.Reveal());
        Assert.Equal("/v1", snapshot.Providers[0].BasePath);
        Assert.Equal("api.openai.com", snapshot.Providers[0].Authority);
        Assert.Equal(["primary", "secondary"], snapshot.ProvidersFor("gpt-4").Select(p => p.Name));
        Assert.Equal("2024-10-21", snapshot.Providers[1].ApiVersion);
        Assert.Null(snapshot.Providers[0].ApiVersion);
        Assert.Equal(3, snapshot.Routing.RetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), snapshot.Routing.RetryDelay);
        Assert.Equal(FallbackError.RateLimitExceeded | FallbackError.ServiceUnavailable | FallbackError.Timeout, snapshot.Routing.FallbackOn);
    }

    [Fact]
    public void Reports_keys_and_provider_types_not_supported_yet_as_warnings()
    {
        var result = Loader().Load(FixtureFiles.Text("Configuration", "seed-fallback.yaml"), "seed-fallback.yaml");

        var warnings = result.Warnings.Select(w => w.ToString()).ToList();
        Assert.Contains("seed-fallback.yaml:12: warning: providers[0].max_requests_per_minute: 'max_requests_per_minute' is not supported yet and has no effect", warnings);
        Assert.DoesNotContain(warnings, w => w.Contains("providers[1].type", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Contains("providers[2].type", StringComparison.Ordinal));
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Knows_mistral_groq_and_together_by_their_hosts_unless_told_otherwise()
    {
        var yaml = """
            providers:
              - { name: mistral, type: openai-compatible, endpoint: "https://api.mistral.ai/v1", models: [m] }
              - { name: groq, type: openai-compatible, endpoint: "https://api.groq.com/openai/v1", models: [m] }
              - { name: together, type: openai-compatible, endpoint: "https://api.together.xyz/v1", models: [m] }
              - { name: proxy, type: openai-compatible, endpoint: "http://mistral-proxy:8080/v1", compatibility: mistral, models: [m] }
              - { name: vllm, type: openai-compatible, endpoint: "http://vllm:8000/v1", models: [m] }
            """;

        var result = Loader().Load(yaml, "g.yaml");

        Assert.True(result.Succeeded, string.Join('\n', result.Findings));
        Assert.Equal(
            [OpenAiDialect.Mistral, OpenAiDialect.Groq, OpenAiDialect.Together, OpenAiDialect.Mistral, OpenAiDialect.Generic],
            result.Snapshot.Providers.Select(p => p.Dialect));
    }

    [Fact]
    public void Compiles_auth_settings_with_their_defaults_and_keeps_credentials_secret()
    {
        var yaml = """
            providers:
              - name: bedrock
                type: aws-bedrock
                endpoint: https://bedrock-runtime.eu-west-1.amazonaws.com
                region: eu-west-1
                models: [m]
                auth: { type: aws-sigv4, access_key_id: AKIDEXAMPLE, secret_access_key: wJalrXUtnFEMI }
              - name: azure
                type: azure-openai
                endpoint: https://res.openai.azure.com
                models: [m]
                auth: { type: azure-entra, tenant_id: t1, client_id: c1, client_secret: s1 }
              - name: watsonx
                type: watsonx
                endpoint: https://us-south.ml.cloud.ibm.com
                project_id: p-1
                api_key: ibm-key
                models: [m]
            """;

        var result = Loader().Load(yaml, "g.yaml");

        Assert.True(result.Succeeded, string.Join('\n', result.Findings));
        var (bedrock, azure, watsonx) = (result.Snapshot.Providers[0], result.Snapshot.Providers[1], result.Snapshot.Providers[2]);
        Assert.Equal(ProviderAuthKind.AwsSigV4, bedrock.Auth.Kind);
        Assert.Equal("eu-west-1", bedrock.Region);
        Assert.Equal("wJalrXUtnFEMI", bedrock.Auth.SecretAccessKey.Reveal());
        Assert.DoesNotContain("wJalrXUtnFEMI", bedrock.Auth.ToString(), StringComparison.Ordinal);
        Assert.Equal(ProviderAuth.DefaultAzureScope, azure.Auth.Scope);
        Assert.Equal(ProviderAuth.DefaultAzureAuthorityHost, azure.Auth.AuthorityHost);
        Assert.Equal(ProviderAuthKind.IbmIam, watsonx.Auth.Kind);
        Assert.Equal(ProviderAuth.DefaultIbmIamTokenUrl, watsonx.Auth.TokenUrl);
        Assert.Equal(GatewayConfigValidator.DefaultWatsonxVersion, watsonx.ApiVersion);
        Assert.Equal("p-1", watsonx.ProjectId);
    }

    [Fact]
    public void Orders_providers_of_a_model_by_priority_then_file_order()
    {
        var yaml = """
            providers:
              - { name: c, type: openai, endpoint: "http://c/v1", models: [m], priority: 2 }
              - { name: a, type: openai-compatible, endpoint: "http://a/v1", models: [m] }
              - { name: b, type: openai, endpoint: "http://b:8080/v1/", models: [m], priority: 2 }
              - { name: d, type: openai, endpoint: "http://d", models: [m], priority: 0 }
            """;

        var snapshot = Loader().Load(yaml, "order.yaml").Snapshot!;

        Assert.Equal(["d", "c", "b", "a"], snapshot.ProvidersFor("m").Select(p => p.Name));
        Assert.Equal("b:8080", snapshot.ProvidersFor("m")[2].Authority);
        Assert.Equal("/v1", snapshot.ProvidersFor("m")[2].BasePath);
        Assert.Equal(string.Empty, snapshot.ProvidersFor("m")[0].BasePath);
        Assert.Empty(snapshot.ProvidersFor("unknown"));
    }

    [Fact]
    public void Reads_azure_deployments_and_api_version()
    {
        var yaml = """
            providers:
              - name: azure
                type: azure-openai
                endpoint: https://res.openai.azure.com
                models: [gpt-4o, gpt-4o-mini]
                api_version: 2025-04-01-preview
                deployments:
                  gpt-4o: prod-4o
            """;

        var provider = Loader().Load(yaml, "azure.yaml").Snapshot!.Providers[0];

        Assert.Equal("2025-04-01-preview", provider.ApiVersion);
        Assert.Equal("prod-4o", provider.DeploymentFor("gpt-4o"));
        Assert.Equal("gpt-4o-mini", provider.DeploymentFor("gpt-4o-mini"));
    }

    [Fact]
    public void Api_keys_are_never_printed()
    {
        var snapshot = Loader().Load(FixtureFiles.Text("Configuration", "seed-fallback.yaml"), "seed.yaml").Snapshot!;

        Assert.Equal("***", snapshot.Providers[0].ApiKey.ToString());
        Assert.DoesNotContain("sk-openai-test", snapshot.Providers[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_an_unreadable_file_as_an_error()
    {
        var result = await Loader().LoadFileAsync("/nonexistent/gateway.yaml", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.StartsWith("/nonexistent/gateway.yaml: error: cannot read the file", result.Errors.Single().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Loads_the_shipped_sample_gateway_yaml()
    {
        var yaml = File.ReadAllText(FixtureFiles.InRepository("envoy/gateway.yaml"));

        var result = Loader().Load(yaml, "gateway.yaml");

        Assert.True(result.Succeeded, string.Join('\n', result.Findings));
        Assert.Empty(result.Findings);
    }
}
