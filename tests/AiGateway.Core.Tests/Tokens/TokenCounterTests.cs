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
    [InlineData("mistral-large-latest", "other", TokenEncoding.O200kBase, false)]
    public void Picks_the_vocabulary_of_each_model_family(string model, string family, TokenEncoding encoding, bool exact)
    {
        var profile = ModelTokenProfile.For(model);

        Assert.Equal((family, encoding, exact), (profile.Family, profile.Encoding, profile.Exact));
    }

    [Theory]
    [InlineData("claude-3-5-sonnet-20241022", "claude")]
    [InlineData("us.anthropic.claude-sonnet-4-20250514-v1:0", "claude")]
    [InlineData("claude-opus-4-1@20250805", "claude")]
    [InlineData("gemini-2.0-flash-001", "gemini")]
    [InlineData("models/gemini-1.5-pro", "gemini")]
    [InlineData("google/gemma-3-27b-it", "gemini")]
    [InlineData("llama3.1:8b", "llama")]
    [InlineData("meta.llama3-1-70b-instruct-v1:0", "llama")]
    [InlineData("meta-llama/Llama-3.3-70B-Instruct", "llama")]
    [InlineData("@cf/meta/llama-3.1-8b-instruct", "llama")]
    [InlineData("granite-3.3-8b-instruct", "granite")]
    [InlineData("ibm/granite-13b-chat-v2", "granite")]
    [InlineData("ibm-granite/granite-3.1-8b-instruct", "granite")]
    public void Gives_each_family_its_calibrated_estimator(string model, string family)
    {
        var profile = ModelTokenProfile.For(model);

        Assert.Equal(family, profile.Family);
        Assert.False(profile.Exact);
        Assert.NotNull(profile.Estimator);
        Assert.Equal(family, profile.Estimator.Family);
        Assert.Equal(profile.Estimator.BaseEncoding, profile.Encoding);
    }

    [Theory]
    [InlineData("gpt-4o")]
    [InlineData("gpt-4")]
    [InlineData("mistral-small")]
    public void Has_no_estimator_for_openai_models_or_unknown_families(string model) =>
        Assert.Null(ModelTokenProfile.For(model).Estimator);

    [Fact]
    public void Shares_one_profile_per_family()
    {
        Assert.Same(ModelTokenProfile.For("claude-haiku-4-5"), ModelTokenProfile.For("anthropic.claude-3-haiku-20240307-v1:0"));
        Assert.Same(ModelTokenProfile.For("claude-haiku-4-5").Estimator, ModelTokenProfile.For("claude-opus-4-1").Estimator);
    }

    [Fact]
    public void Estimates_a_chat_request_from_its_texts_and_the_openai_message_overheads()
    {
        var body = """{"model":"claude-sonnet-4-5","messages":[{"role":"system","content":"Answer in Japanese."},{"role":"user","content":"東京の天気は？"}]}"""u8.ToArray();
        var request = ClientRequestReader.Read(EndpointKind.ChatCompletions, body, out _)!;
        var estimator = ModelTokenProfile.For("claude-sonnet-4-5").Estimator!;
        var cl100k = TokenEncodings.Get(TokenEncoding.Cl100kBase);
        double Text(string text) => estimator.Estimate(cl100k.CountTokens(text), text);
        var expected = TokenEstimator.Round(3 + Text("system") + Text("Answer in Japanese.") + 3 + Text("user") + Text("東京の天気は？") + 3);

        var count = TokenCounter.CountRequest(request)!.Value;

        Assert.Equal(expected, count.Tokens);
        Assert.Equal(("claude", false), (count.Family, count.Exact));
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
