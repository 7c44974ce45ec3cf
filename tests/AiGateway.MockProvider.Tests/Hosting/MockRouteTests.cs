using AiGateway.MockProvider.Hosting;

namespace AiGateway.MockProvider.Tests.Hosting;

public sealed class MockRouteTests
{
    [Theory]
    [InlineData("POST", "/v1/chat/completions", "ChatCompletions")]
    [InlineData("POST", "/compat/v1/chat/completions", "ChatCompletions")]
    [InlineData("POST", "/chat/completions", "ChatCompletions")]
    [InlineData("POST", "/a/b/c/embeddings", "Embeddings")]
    [InlineData("GET", "/v1/models", "ListModels")]
    [InlineData("GET", "/openai/v1/models", "ListModels")]
    [InlineData("GET", "/v1/chat/completions", "NotFound")]
    [InlineData("POST", "/v1/models", "NotFound")]
    [InlineData("POST", "/v1/completions", "NotFound")]
    [InlineData("GET", "/v1/models/", "NotFound")]
    [InlineData("POST", "/v1/messages", "Messages")]
    [InlineData("POST", "/anthropic/v1/messages", "Messages")]
    [InlineData("GET", "/v1/messages", "NotFound")]
    [InlineData("POST", "/v1/messages/count_tokens", "NotFound")]
    public void Resolves_the_OpenAI_operation_under_any_prefix(string method, string path, string expected)
    {
        Assert.Equal(expected, MockRoute.Resolve(method, path).Kind.ToString());
    }

    [Theory]
    [InlineData("/v1/messages", true)]
    [InlineData("/anthropic/v1/messages", true)]
    [InlineData("/v1/chat/completions", false)]
    [InlineData("/v1/messages/count_tokens", false)]
    public void Only_messages_paths_speak_the_Anthropic_dialect(string path, bool expected)
    {
        Assert.Equal(expected, MockRoute.IsAnthropicPath(path));
    }

    [Theory]
    [InlineData("/v1/models/gpt-4o", "gpt-4o")]
    [InlineData("/compat/v1/models/meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-8B")]
    public void Model_get_takes_everything_after_models_as_the_id(string path, string id)
    {
        // Act
        var route = MockRoute.Resolve("GET", path);

        // Assert
        Assert.Equal(MockRouteKind.GetModel, route.Kind);
        Assert.Equal(id, route.ModelId);
    }
}
