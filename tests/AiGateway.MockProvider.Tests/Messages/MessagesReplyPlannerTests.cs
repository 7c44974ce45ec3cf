using System.Text.Json;
using AiGateway.MockProvider.Json;
using AiGateway.MockProvider.Messages;

namespace AiGateway.MockProvider.Tests.Messages;

/// <summary>The Messages token rule and reply decisions, without HTTP.</summary>
public sealed class MessagesReplyPlannerTests
{
    private static MessagesRequest Parse(string json) => JsonSerializer.Deserialize(json, MockJsonContext.Default.MessagesRequest)!;

    [Theory]
    // ceil(2 / 4) + 3 × 1 message
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", 4)]
    // a string system is one block: ceil((4 + 2) / 4) + 3 × 2
    [InlineData("""{"system":"abcd","messages":[{"role":"user","content":"hi"}]}""", 8)]
    // two system blocks count as two: ceil((1 + 1 + 2) / 4) + 3 × 3
    [InlineData("""{"system":[{"type":"text","text":"a"},{"type":"text","text":"b"}],"messages":[{"role":"user","content":"hi"}]}""", 10)]
    // text blocks add up without separators; images and tool_use inputs are not counted: ceil(8 / 4) + 3 × 2
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"text","text":"abcd"},{"type":"image","source":{"type":"url","url":"http://x"}},{"type":"text","text":"efgh"}]},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"n","input":{"a":"bbbbbbbb"}}]}]}""", 8)]
    // tool_result text counts, as a string or as text blocks: ceil((3 + 4) / 4) + 3 × 1
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"abc"},{"type":"tool_result","tool_use_id":"u","content":[{"type":"text","text":"defg"}]}]}]}""", 5)]
    public void Input_tokens_follow_the_chat_rule_with_system_blocks_as_turns(string json, int expected)
    {
        Assert.Equal(expected, MessagesReplyPlanner.CountInputTokens(Parse(json)));
    }

    [Fact]
    public void A_translated_chat_request_gets_the_same_prompt_tokens_as_on_the_chat_side()
    {
        // Arrange: the chat test's system + user request (15 prompt tokens) in Messages form.
        var request = Parse("""{"model":"m","max_tokens":10,"system":[{"type":"text","text":"Be brief"}],"messages":[{"role":"user","content":[{"type":"text","text":"Hello there, how are you?"}]}]}""");

        // Act
        var reply = MessagesReplyPlanner.Plan(request, MockProviderOptions.DefaultResponseTemplate, 1);

        // Assert
        Assert.Equal(15, reply.InputTokens);
        Assert.Equal("end_turn", reply.StopReason);
    }

    [Fact]
    public void The_template_model_placeholder_and_echo_limit_apply()
    {
        // Arrange
        var request = Parse($$"""{"model":"claude-x","max_tokens":1000,"messages":[{"role":"user","content":"{{new string('q', 300)}}"}]}""");

        // Act
        var reply = MessagesReplyPlanner.Plan(request, "[{model}] {last_user_message}", 1);

        // Assert
        Assert.Equal("[claude-x] " + new string('q', 200), reply.Text);
        Assert.Null(reply.ToolUse);
    }

    [Fact]
    public void A_tool_use_prefers_a_weather_tool_and_takes_the_location_after_in()
    {
        // Arrange
        var request = Parse("""{"model":"m","max_tokens":5,"tools":[{"name":"a"},{"name":"get_weather"}],"messages":[{"role":"user","content":"weather in Rio de Janeiro please"}]}""");

        // Act
        var reply = MessagesReplyPlanner.Plan(request, MockProviderOptions.DefaultResponseTemplate, 7);

        // Assert: max_tokens does not cut a tool use.
        Assert.Equal(new ToolUseReply("toolu_mock_7", "get_weather", """{"location":"Rio"}"""), reply.ToolUse);
        Assert.Equal("tool_use", reply.StopReason);
    }
}
