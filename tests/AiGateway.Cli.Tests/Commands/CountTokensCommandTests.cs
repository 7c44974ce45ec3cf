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
