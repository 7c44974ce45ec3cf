using System.Text;
using System.Text.Json;
using AiGateway.Core.Tokens;
using AiGateway.Core.Translation;
using AiGateway.TestKit;

namespace AiGateway.Core.Tests.Tokens;

/// <summary>Counts checked against published figures: tiktoken's tests and the OpenAI cookbook's API-confirmed counts.</summary>
public sealed class TokenCounterTests
{
    public static TheoryData<int> TiktokenSamples() =>
        [.. Enumerable.Range(0, JsonDocument.Parse(FixtureFiles.Text("Tokens", "tiktoken-samples.json")).RootElement.GetProperty("samples").GetArrayLength())];

    public static TheoryData<string, string> ChatCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in FixtureFiles.Cases("Tokens", ".chat.json"))
        {
            using var fixture = JsonDocument.Parse(FixtureFiles.Text("Tokens", name + ".chat.json"));
            foreach (var model in fixture.RootElement.GetProperty("expected").EnumerateObject())
            {
                data.Add(name, model.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TiktokenSamples))]
    public void Encodes_text_to_the_token_ids_tiktoken_publishes(int index)
    {
        using var fixture = JsonDocument.Parse(FixtureFiles.Text("Tokens", "tiktoken-samples.json"));
        var sample = fixture.RootElement.GetProperty("samples")[index];
        var encoding = sample.GetProperty("encoding").GetString() == "o200k_base" ? TokenEncoding.O200kBase : TokenEncoding.Cl100kBase;
        var text = sample.GetProperty("text").GetString()!;
        var expected = sample.GetProperty("ids").EnumerateArray().Select(id => id.GetInt32()).ToArray();

        var ids = TokenEncodings.Get(encoding).EncodeToIds(text);
        var count = TokenCounter.CountText(encoding == TokenEncoding.O200kBase ? "gpt-4o" : "gpt-4", text);

        Assert.Equal(expected, ids);
        Assert.Equal(expected.Length, count.Tokens);
        Assert.True(count.Exact);
    }

    [Theory]
    [MemberData(nameof(ChatCases))]
    public void Counts_chat_prompts_as_the_openai_api_bills_them(string name, string model)
    {
        using var fixture = JsonDocument.Parse(FixtureFiles.Text("Tokens", name + ".chat.json"));
        var body = JsonSerializer.SerializeToNode(fixture.RootElement.GetProperty("body"))!.AsObject();
        body["model"] = model;
        var request = ClientRequestReader.Read(EndpointKind.ChatCompletions, Encoding.UTF8.GetBytes(body.ToJsonString()), out _)!;

        var count = TokenCounter.CountRequest(request);

        Assert.NotNull(count);
        Assert.Equal(fixture.RootElement.GetProperty("expected").GetProperty(model).GetInt64(), count.Value.Tokens);
        Assert.True(count.Value.Exact);
    }

    [Theory]
    [InlineData("gpt-4o", "openai", TokenEncoding.O200kBase, true)]
    [InlineData("gpt-4.1-mini", "openai", TokenEncoding.O200kBase, true)]
    [InlineData("gpt-5", "openai", TokenEncoding.O200kBase, true)]
    [InlineData("o3-mini", "openai", TokenEncoding.O200kBase, true)]
    [InlineData("gpt-4-turbo", "openai", TokenEncoding.Cl100kBase, true)]
    [InlineData("gpt-35-turbo", "openai", TokenEncoding.Cl100kBase, true)]
    [InlineData("text-embedding-3-small", "openai", TokenEncoding.Cl100kBase, true)]
    [InlineData("claude-sonnet-4-5", "claude", TokenEncoding.Cl100kBase, false)]
    [InlineData("anthropic.claude-3-5-haiku-20241022-v1:0", "claude", TokenEncoding.Cl100kBase, false)]
    [InlineData("gemini-2.5-flash", "gemini", TokenEncoding.O200kBase, false)]
    [InlineData("meta-llama/llama-3-3-70b-instruct", "llama", TokenEncoding.Cl100kBase, false)]
    [InlineData("ibm/granite-3-8b-instruct", "granite", TokenEncoding.Cl100kBase, false)]
    public void Picks_the_vocabulary_of_each_model_family(string model, string family, TokenEncoding encoding, bool exact)
    {
        var profile = ModelTokenProfile.For(model);

        Assert.Equal((family, encoding, exact), (profile.Family, profile.Encoding, profile.Exact));
    }

    [Fact]
    public void Marks_counts_for_other_families_and_images_as_estimates()
    {
        var claude = ClientRequestReader.Read(EndpointKind.ChatCompletions, """{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Hello there"}]}"""u8.ToArray(), out _)!;
        var image = ClientRequestReader.Read(EndpointKind.ChatCompletions, """{"model":"gpt-4o","messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}"""u8.ToArray(), out _)!;

        Assert.False(TokenCounter.CountRequest(claude)!.Value.Exact);
        Assert.False(TokenCounter.CountRequest(image)!.Value.Exact);
    }

    [Fact]
    public void Counts_embeddings_input_strings_and_token_arrays()
    {
        var request = ClientRequestReader.Read(EndpointKind.Embeddings, """{"model":"text-embedding-3-small","input":["hello world","Hello World",[1,2,3]]}"""u8.ToArray(), out _)!;

        Assert.Equal(2 + 2 + 3, TokenCounter.CountRequest(request)!.Value.Tokens);
    }
}
