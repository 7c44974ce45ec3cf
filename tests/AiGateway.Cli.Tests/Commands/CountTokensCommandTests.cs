using System.Text.Json;
using AiGateway.Cli.Commands;
using AiGateway.TestKit;

namespace AiGateway.Cli.Tests.Commands;

public sealed class CountTokensCommandTests
{
    [Fact]
    public async Task Counts_a_chat_request_with_tools_as_openai_bills_it()
    {
        // The OpenAI cookbook's tools example: 101 prompt tokens reported by the API for gpt-4o.
        var (exit, output, error) = await RunAsync(FixtureFiles.Bytes("count-tokens", "cookbook-tools.request.json"), "count-tokens");

        Assert.True(exit == 0, error);
        using var result = JsonDocument.Parse(output);
        Assert.Equal(101, result.RootElement.GetProperty("tokens").GetInt64());
        Assert.True(result.RootElement.GetProperty("exact").GetBoolean());
        Assert.Equal("o200k_base", result.RootElement.GetProperty("encoding").GetString());
        Assert.Equal("exact", result.RootElement.GetProperty("accuracy").GetString());
    }

    [Fact]
    public async Task Counts_the_same_request_for_another_model_given_on_the_command_line()
    {
        var (exit, output, error) = await RunAsync(FixtureFiles.Bytes("count-tokens", "cookbook-tools.request.json"), "count-tokens", "--model", "gpt-4");

        Assert.True(exit == 0, error);
        using var result = JsonDocument.Parse(output);
        Assert.Equal(105, result.RootElement.GetProperty("tokens").GetInt64());
        Assert.Equal("gpt-4", result.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Counts_plain_text_and_marks_other_families_as_estimates()
    {
        var (exit, output, error) = await RunAsync("hello world"u8.ToArray(), "count-tokens", "--text", "--model", "claude-sonnet-4-5");

        Assert.True(exit == 0, error);
        using var result = JsonDocument.Parse(output);
        Assert.False(result.RootElement.GetProperty("exact").GetBoolean());
        Assert.Equal("claude", result.RootElement.GetProperty("family").GetString());
    }

    [Theory]
    [InlineData("claude-sonnet-4-5", "estimated (claude, ±8%)")]
    [InlineData("gemini-2.5-pro", "estimated (gemini, ±8%)")]
    [InlineData("meta-llama/Llama-3.3-70B-Instruct", "estimated (llama, ±6%)")]
    [InlineData("ibm/granite-3-8b-instruct", "estimated (granite, ±12%)")]
    [InlineData("mistral-large-latest", "estimated (other)")]
    [InlineData("gpt-4o", "exact")]
    public async Task Says_how_accurate_the_count_of_each_family_is(string model, string accuracy)
    {
        var (exit, output, error) = await RunAsync("東京の天気は晴れです。 The weather is fine."u8.ToArray(), "count-tokens", "--text", "--model", model);

        Assert.True(exit == 0, error);
        using var result = JsonDocument.Parse(output);
        Assert.Equal(accuracy, result.RootElement.GetProperty("accuracy").GetString());
    }

    [Fact]
    public async Task Marks_an_openai_request_with_an_image_as_an_estimate_without_a_measured_error()
    {
        var body = """{"model":"gpt-4o","messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}"""u8.ToArray();

        var (exit, output, error) = await RunAsync(body, "count-tokens");

        Assert.True(exit == 0, error);
        using var result = JsonDocument.Parse(output);
        Assert.Equal("estimated (openai)", result.RootElement.GetProperty("accuracy").GetString());
    }

    [Fact]
    public async Task Rejects_a_body_that_is_not_a_request_with_exit_code_2()
    {
        var (exit, _, error) = await RunAsync("not json"u8.ToArray(), "count-tokens");

        Assert.Equal(2, exit);
        Assert.StartsWith("aigw count-tokens: ", error, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(byte[] input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stdin = new MemoryStream(input);
        var exit = await AigwCommand.RunAsync(args, output, error, stdin);
        return (exit, output.ToString(), error.ToString());
    }
}
