using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests.Embeddings;

public sealed class EmbeddingsHandlerTests
{
    private static async Task<JsonElement> PostAsync(MockServerFixture mock, string body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await mock.PostJsonAsync("/v1/embeddings", body);
        Assert.Equal(expected, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(mock.Ct));
        return json.RootElement.Clone();
    }

    private static float[] Floats(JsonElement item) =>
        [.. item.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle())];

    [Fact]
    public async Task Returns_a_list_of_float_embeddings_of_eight_dimensions_by_default_with_usage()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        var json = await PostAsync(mock, """{"model":"text-embedding-3-small","input":"hello world"}""");

        // Assert
        Assert.Equal("list", json.GetProperty("object").GetString());
        Assert.Equal("text-embedding-3-small", json.GetProperty("model").GetString());
        var item = Assert.Single(json.GetProperty("data").EnumerateArray());
        Assert.Equal("embedding", item.GetProperty("object").GetString());
        Assert.Equal(0, item.GetProperty("index").GetInt32());
        Assert.Equal(8, Floats(item).Length);
        Assert.Equal(3, json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(3, json.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task The_same_input_gets_the_same_vector_on_any_server()
    {
        // Arrange
        await using var first = await MockServerFixture.StartAsync();
        await using var second = await MockServerFixture.StartAsync();
        const string body = """{"model":"e","input":"stable"}""";

        // Act
        var a = await PostAsync(first, body);
        var b = await PostAsync(second, body);

        // Assert
        Assert.Equal(Floats(a.GetProperty("data")[0]), Floats(b.GetProperty("data")[0]));
    }

    [Fact]
    public async Task Base64_encoding_carries_the_same_values_as_little_endian_float32()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        var asFloats = await PostAsync(mock, """{"model":"e","input":"abc"}""");
        var asBase64 = await PostAsync(mock, """{"model":"e","input":"abc","encoding_format":"base64"}""");

        // Assert
        var bytes = Convert.FromBase64String(asBase64.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        var decoded = Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4))).ToArray();
        Assert.Equal(Floats(asFloats.GetProperty("data")[0]), decoded);
    }

    [Fact]
    public async Task Dimensions_sets_the_vector_length()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        var json = await PostAsync(mock, """{"model":"e","input":"abc","dimensions":256}""");

        // Assert
        Assert.Equal(256, Floats(json.GetProperty("data")[0]).Length);
    }

    [Fact]
    public async Task The_default_dimensions_come_from_the_options()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync(new MockProviderOptions { EmbeddingDimensions = 3 });

        // Act
        var json = await PostAsync(mock, """{"model":"e","input":"abc"}""");

        // Assert
        Assert.Equal(3, Floats(json.GetProperty("data")[0]).Length);
    }

    [Fact]
    public async Task An_array_of_strings_gets_one_indexed_embedding_each_and_summed_usage()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        var json = await PostAsync(mock, """{"model":"e","input":["first input","second","third"]}""");

        // Assert
        var data = json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], data.Select(d => d.GetProperty("index").GetInt32()));
        Assert.NotEqual(Floats(data[0]), Floats(data[1]));
        Assert.Equal(3 + 2 + 2, json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Token_array_inputs_count_one_token_per_value()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        var single = await PostAsync(mock, """{"model":"e","input":[101,2023,102]}""");
        var batch = await PostAsync(mock, """{"model":"e","input":[[101,2023,102],[7]]}""");

        // Assert
        Assert.Single(single.GetProperty("data").EnumerateArray());
        Assert.Equal(3, single.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(2, batch.GetProperty("data").GetArrayLength());
        Assert.Equal(4, batch.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(Floats(single.GetProperty("data")[0]), Floats(batch.GetProperty("data")[0]));
    }

    [Theory]
    [InlineData("""{"input":"x"}""", null)]
    [InlineData("""{"model":"e"}""", "input")]
    [InlineData("""{"model":"e","input":[]}""", "input")]
    [InlineData("""{"model":"e","input":"x","encoding_format":"int8"}""", "encoding_format")]
    [InlineData("""{"model":"e","input":"x","dimensions":0}""", "dimensions")]
    [InlineData("""{"model":"e","input":"x","dimensions":100000}""", "dimensions")]
    public async Task Invalid_requests_get_a_400_naming_the_parameter(string body, string? param)
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        var json = await PostAsync(mock, body, HttpStatusCode.BadRequest);

        // Assert
        var error = json.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Malformed_json_gets_a_400()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        var json = await PostAsync(mock, "{\"model\":", HttpStatusCode.BadRequest);

        // Assert
        Assert.StartsWith("We could not parse the JSON body", json.GetProperty("error").GetProperty("message").GetString());
    }
}
