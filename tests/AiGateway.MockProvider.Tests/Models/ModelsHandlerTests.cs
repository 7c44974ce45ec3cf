using System.Net;
using System.Text.Json;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests.Models;

public sealed class ModelsHandlerTests
{
    [Theory]
    [InlineData("/v1/models")]
    [InlineData("/compat/v1/models")]
    public async Task Lists_the_default_models_in_OpenAI_shape(string path)
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.Client.GetAsync(path, mock.Ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("list", json.RootElement.GetProperty("object").GetString());
        var models = json.RootElement.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["gpt-4o-mini", "gpt-4o", "text-embedding-3-small", "llama-3.1-8b-instruct"], models.Select(m => m.GetProperty("id").GetString()));
        Assert.All(models, m =>
        {
            Assert.Equal("model", m.GetProperty("object").GetString());
            Assert.Equal("mock", m.GetProperty("owned_by").GetString());
            Assert.True(m.GetProperty("created").GetInt64() > 0);
        });
    }

    [Fact]
    public async Task Lists_the_configured_models()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync(new MockProviderOptions { Models = ["only-one"] });

        // Act
        using var response = await mock.Client.GetAsync("/v1/models", mock.Ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        Assert.Equal("only-one", Assert.Single(json.RootElement.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Gets_one_known_model()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.Client.GetAsync("/v1/models/gpt-4o", mock.Ct);
        var body = await response.Content.ReadAsStringAsync(mock.Ct);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"id":"gpt-4o","object":"model","created":1700000000,"owned_by":"mock"}""", body);
    }

    [Fact]
    public async Task An_unknown_model_gets_404_model_not_found()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await mock.Client.GetAsync("/v1/models/gpt-9", mock.Ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("model_not_found", json.RootElement.GetProperty("error").GetProperty("code").GetString());
    }
}
