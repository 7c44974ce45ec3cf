using AiGateway.MockProvider.Configuration;

namespace AiGateway.MockProvider.Tests.Configuration;

public sealed class MockConfigLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mockcfg").FullName;

    private static readonly Func<string, string?> NoEnvironment = _ => null;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Without_a_file_or_variables_the_defaults_apply()
    {
        // Act
        var options = MockConfigLoader.Load(null, NoEnvironment, out var errors);

        // Assert
        Assert.Empty(errors);
        Assert.NotNull(options);
        Assert.Equal(MockProviderOptions.DefaultModels, options.Models);
        Assert.Equal(MockProviderOptions.DefaultResponseTemplate, options.ResponseTemplate);
        Assert.Equal(TimeSpan.Zero, options.ChunkDelay);
    }

    [Fact]
    public void Reads_a_yaml_file_with_snake_case_keys()
    {
        // Arrange
        var path = Write("mock.yaml", """
            models: [a, b]
            response_template: "hi {model}"
            chunk_delay_ms: 15
            embedding_dimensions: 16
            api_keys:
              /v1: [sk-one, sk-two]
            faults:
              - path_prefix: /v1/chat/completions
                model: gpt-4o
                times: 2
                status: 429
                retry_after_seconds: 3
              - delay_ms: 100
                reset_after_events: 2
            """);

        // Act
        var options = MockConfigLoader.Load(path, NoEnvironment, out var errors);

        // Assert
        Assert.Empty(errors);
        Assert.NotNull(options);
        Assert.Equal(["a", "b"], options.Models);
        Assert.Equal("hi {model}", options.ResponseTemplate);
        Assert.Equal(TimeSpan.FromMilliseconds(15), options.ChunkDelay);
        Assert.Equal(16, options.EmbeddingDimensions);
        Assert.Equal(["sk-one", "sk-two"], options.RequiredApiKeys["/v1"]);
        Assert.Equal(
            new FaultRule { PathPrefix = "/v1/chat/completions", Model = "gpt-4o", Times = 2, StatusCode = 429, RetryAfterSeconds = 3 },
            options.Faults[0]);
        Assert.Equal(new FaultRule { Delay = TimeSpan.FromMilliseconds(100), ResetAfterEvents = 2 }, options.Faults[1]);
    }

    [Fact]
    public void Reads_the_same_settings_from_a_json_file()
    {
        // Arrange
        var path = Write("mock.json", """
            { "models": ["a"], "chunk_delay_ms": 5, "faults": [ { "status": 503, "times": 1 } ] }
            """);

        // Act
        var options = MockConfigLoader.Load(path, NoEnvironment, out var errors);

        // Assert
        Assert.Empty(errors);
        Assert.Equal(["a"], options!.Models);
        Assert.Equal(FaultRule.Status(503, times: 1), options.Faults[0]);
    }

    [Theory]
    [InlineData("mock.yaml", "modles: [a]\n", "modles")]
    [InlineData("mock.json", "{\"modles\":[\"a\"]}", "modles")]
    public void An_unknown_key_is_an_error_naming_the_file_and_key(string name, string text, string key)
    {
        // Arrange
        var path = Write(name, text);

        // Act
        var options = MockConfigLoader.Load(path, NoEnvironment, out var errors);

        // Assert
        Assert.Null(options);
        var error = Assert.Single(errors);
        Assert.Contains(path, error);
        Assert.Contains(key, error);
    }

    [Fact]
    public void Every_invalid_value_is_reported_with_its_yaml_path()
    {
        // Arrange
        var path = Write("mock.yaml", """
            embedding_dimensions: 0
            faults:
              - status: 200
              - path_prefix: v1
                times: 0
            """);

        // Act
        var options = MockConfigLoader.Load(path, NoEnvironment, out var errors);

        // Assert
        Assert.Null(options);
        Assert.Contains(errors, e => e.Contains("embedding_dimensions", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("faults[0].status: expected 400..599, got 200", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("faults[1].path_prefix", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("faults[1].times", StringComparison.Ordinal));
        Assert.All(errors, e => Assert.StartsWith(path, e));
    }

    [Fact]
    public void Environment_variables_override_the_file()
    {
        // Arrange
        var path = Write("mock.yaml", "models: [a]\nchunk_delay_ms: 5\n");
        var environment = new Dictionary<string, string>
        {
            [MockConfigLoader.ModelsVariable] = "x, y",
            [MockConfigLoader.ChunkDelayVariable] = "20",
            [MockConfigLoader.ResponseTemplateVariable] = "pong",
            [MockConfigLoader.EmbeddingDimensionsVariable] = "4",
            [MockConfigLoader.ApiKeysVariable] = "/v1=k1,k2;/compat/v1=k3",
            [MockConfigLoader.RejectUnknownModelsVariable] = "true",
        };

        // Act
        var options = MockConfigLoader.Load(path, environment.GetValueOrDefault, out var errors);

        // Assert
        Assert.Empty(errors);
        Assert.Equal(["x", "y"], options!.Models);
        Assert.Equal(TimeSpan.FromMilliseconds(20), options.ChunkDelay);
        Assert.Equal("pong", options.ResponseTemplate);
        Assert.Equal(4, options.EmbeddingDimensions);
        Assert.Equal(["k1", "k2"], options.RequiredApiKeys["/v1"]);
        Assert.Equal(["k3"], options.RequiredApiKeys["/compat/v1"]);
        Assert.True(options.RejectUnknownModels);
    }

    [Fact]
    public void Reads_the_ibm_api_keys_and_iam_token_lifetime_and_lets_MOCK_IBM_API_KEYS_override_the_keys()
    {
        var path = Write("ibm.yaml", """
            ibm_api_keys: [ibm-file-key]
            iam_token_lifetime_seconds: 120
            """);

        var fromFile = MockConfigLoader.Load(path, NoEnvironment, out var fileErrors);
        var fromEnvironment = MockConfigLoader.Load(path, name => name == "MOCK_IBM_API_KEYS" ? "k1, k2" : null, out var environmentErrors);

        Assert.Empty(fileErrors);
        Assert.Equal(["ibm-file-key"], fromFile!.IbmApiKeys);
        Assert.Equal(TimeSpan.FromMinutes(2), fromFile.IamTokenLifetime);
        Assert.Empty(environmentErrors);
        Assert.Equal(["k1", "k2"], fromEnvironment!.IbmApiKeys);
    }

    [Fact]
    public void The_config_path_can_come_from_MOCK_CONFIG()
    {
        // Arrange
        var path = Write("mock.yaml", "models: [only]\n");
        var environment = new Dictionary<string, string> { [MockConfigLoader.ConfigVariable] = path };

        // Act
        var options = MockConfigLoader.Load(null, environment.GetValueOrDefault, out _);

        // Assert
        Assert.Equal(["only"], options!.Models);
    }

    [Fact]
    public void Invalid_environment_values_are_reported_by_variable_name()
    {
        // Arrange
        var environment = new Dictionary<string, string>
        {
            [MockConfigLoader.ChunkDelayVariable] = "soon",
            [MockConfigLoader.ApiKeysVariable] = "no-equals-sign",
        };

        // Act
        var options = MockConfigLoader.Load(null, environment.GetValueOrDefault, out var errors);

        // Assert
        Assert.Null(options);
        Assert.Contains(errors, e => e.StartsWith(MockConfigLoader.ChunkDelayVariable, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith(MockConfigLoader.ApiKeysVariable, StringComparison.Ordinal));
    }

    [Fact]
    public void The_shipped_sample_config_is_valid()
    {
        // Arrange
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "mock.sample.yaml");

        // Act
        var options = MockConfigLoader.Load(path, NoEnvironment, out var errors);

        // Assert
        Assert.Empty(errors);
        Assert.Equal(["sk-mock-openai"], options!.RequiredApiKeys["/v1"]);
        Assert.Equal(["sk-mock-anthropic"], options.RequiredApiKeys["/anthropic"]);
        Assert.Equal(FaultRule.RateLimited(2, "/v1/chat/completions", times: 1) with { Model = "gpt-4o" }, Assert.Single(options.Faults));
    }

    [Fact]
    public void A_missing_file_is_an_error()
    {
        // Act
        var options = MockConfigLoader.Load(Path.Combine(_directory, "absent.yaml"), NoEnvironment, out var errors);

        // Assert
        Assert.Null(options);
        Assert.Contains("cannot read config file", Assert.Single(errors));
    }
}
