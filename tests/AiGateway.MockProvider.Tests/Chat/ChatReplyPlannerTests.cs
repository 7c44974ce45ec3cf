using AiGateway.MockProvider.Chat;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests.Chat;

public sealed class ChatReplyPlannerTests
{
    private static readonly MockProviderOptions Options = new();

    [Fact]
    public void Replies_with_the_default_template_and_the_last_user_message()
    {
        // Arrange
        var request = RequestJson.Chat("""
            {"model":"gpt-4o","messages":[{"role":"system","content":"Be brief"},{"role":"user","content":"first"},
             {"role":"assistant","content":"ok"},{"role":"user","content":"second"}]}
            """);

        // Act
        var reply = ChatReplyPlanner.Plan(request, Options.ResponseTemplate, 1);

        // Assert
        Assert.Equal("Mock reply to: second", reply.Text);
        Assert.Equal("stop", reply.FinishReason);
        Assert.Null(reply.ToolCall);
    }

    [Fact]
    public void Counts_prompt_and_completion_tokens_by_the_documented_rule()
    {
        // Arrange: contents "Be brief" (8) + "second" (6) = 14 chars in 2 messages.
        var request = RequestJson.Chat("""
            {"model":"m","messages":[{"role":"system","content":"Be brief"},{"role":"user","content":"second"}]}
            """);

        // Act
        var reply = ChatReplyPlanner.Plan(request, Options.ResponseTemplate, 1);

        // Assert: prompt ceil(14/4)+2*3 = 10; "Mock reply to: second" is 21 chars -> 6.
        Assert.Equal(10, reply.PromptTokens);
        Assert.Equal(6, reply.CompletionTokens);
        Assert.Equal(16, reply.TotalTokens);
    }

    [Fact]
    public void Truncates_the_echoed_user_message_to_200_characters()
    {
        // Arrange
        var longText = new string('x', 500);
        var request = RequestJson.Chat($$"""{"model":"m","messages":[{"role":"user","content":"{{longText}}"}]}""");

        // Act
        var reply = ChatReplyPlanner.Plan(request, Options.ResponseTemplate, 1);

        // Assert
        Assert.Equal("Mock reply to: " + new string('x', 200), reply.Text);
    }

    [Fact]
    public void Fills_model_and_message_placeholders_of_a_custom_template()
    {
        // Arrange
        var request = RequestJson.Chat("""{"model":"llama","messages":[{"role":"user","content":"hi"}]}""");

        // Act
        var reply = ChatReplyPlanner.Plan(request, "[{model}] echo {last_user_message}", 1);

        // Assert
        Assert.Equal("[llama] echo hi", reply.Text);
    }

    [Theory]
    [InlineData("max_tokens")]
    [InlineData("max_completion_tokens")]
    public void Max_tokens_truncates_the_reply_to_four_characters_per_token_and_finishes_with_length(string field)
    {
        // Arrange
        var request = RequestJson.Chat($$"""{"model":"m","{{field}}":2,"messages":[{"role":"user","content":"hello world"}]}""");

        // Act
        var reply = ChatReplyPlanner.Plan(request, Options.ResponseTemplate, 1);

        // Assert
        Assert.Equal("Mock rep", reply.Text);
        Assert.Equal("length", reply.FinishReason);
        Assert.Equal(2, reply.CompletionTokens);
    }

    [Fact]
    public void Max_completion_tokens_wins_over_max_tokens()
    {
        // Arrange
        var request = RequestJson.Chat("""{"model":"m","max_tokens":100,"max_completion_tokens":1,"messages":[{"role":"user","content":"hi"}]}""");

        // Act
        var reply = ChatReplyPlanner.Plan(request, Options.ResponseTemplate, 1);

        // Assert
        Assert.Equal("Mock", reply.Text);
        Assert.Equal("length", reply.FinishReason);
    }

    [Fact]
    public void A_large_enough_max_tokens_leaves_the_reply_whole()
    {
        // Arrange
        var request = RequestJson.Chat("""{"model":"m","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}""");

        // Act
        var reply = ChatReplyPlanner.Plan(request, Options.ResponseTemplate, 1);

        // Assert
        Assert.Equal("Mock reply to: hi", reply.Text);
        Assert.Equal("stop", reply.FinishReason);
    }

    [Fact]
    public void Calls_the_weather_tool_when_tools_are_offered_and_the_user_asks_about_weather()
    {
        // Arrange
        var request = RequestJson.Chat("""
            {"model":"m","tools":[{"type":"function","function":{"name":"lookup_stock"}},{"type":"function","function":{"name":"get_weather"}}],
             "messages":[{"role":"user","content":"What is the Weather in New York today?"}]}
            """);

        // Act
        var reply = ChatReplyPlanner.Plan(request, Options.ResponseTemplate, 7);

        // Assert
        Assert.Null(reply.Text);
        Assert.Equal("tool_calls", reply.FinishReason);
        Assert.Equal(new ToolCallReply("call_mock_7", "get_weather", """{"location":"New York"}"""), reply.ToolCall);
        Assert.Equal(9, reply.CompletionTokens); // ceil((11 + 23) / 4)
    }

    [Fact]
    public void Uses_the_default_location_when_the_message_names_none()
    {
        Assert.Equal("San Francisco", ChatReplyPlanner.ExtractLocation("how is the weather?"));
        Assert.Equal("San Francisco", ChatReplyPlanner.ExtractLocation("weather in my town"));
        Assert.Equal("Paris", ChatReplyPlanner.ExtractLocation("weather in Paris, please"));
    }

    [Fact]
    public void Answers_with_text_when_the_last_message_is_a_tool_result()
    {
        // Arrange: the agent loop sent the tool result back; no second call.
        var request = RequestJson.Chat("""
            {"model":"m","tools":[{"type":"function","function":{"name":"get_weather"}}],
             "messages":[{"role":"user","content":"weather in Paris?"},
                         {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},
                         {"role":"tool","tool_call_id":"call_1","content":"sunny"}]}
            """);

        // Act
        var reply = ChatReplyPlanner.Plan(request, Options.ResponseTemplate, 1);

        // Assert
        Assert.Null(reply.ToolCall);
        Assert.Equal("Mock reply to: weather in Paris?", reply.Text);
    }

    [Fact]
    public void Tool_choice_none_suppresses_the_tool_call()
    {
        // Arrange
        var request = RequestJson.Chat("""
            {"model":"m","tool_choice":"none","tools":[{"type":"function","function":{"name":"get_weather"}}],
             "messages":[{"role":"user","content":"weather?"}]}
            """);

        // Act
        var reply = ChatReplyPlanner.Plan(request, Options.ResponseTemplate, 1);

        // Assert
        Assert.Null(reply.ToolCall);
        Assert.Equal("stop", reply.FinishReason);
    }

    [Fact]
    public void A_named_tool_choice_forces_that_tool_even_without_the_trigger_word()
    {
        // Arrange
        var request = RequestJson.Chat("""
            {"model":"m","tool_choice":{"type":"function","function":{"name":"lookup_stock"}},
             "tools":[{"type":"function","function":{"name":"get_weather"}},{"type":"function","function":{"name":"lookup_stock"}}],
             "messages":[{"role":"user","content":"hello"}]}
            """);

        // Act
        var reply = ChatReplyPlanner.Plan(request, Options.ResponseTemplate, 1);

        // Assert
        Assert.Equal("lookup_stock", reply.ToolCall?.Name);
    }

    [Fact]
    public void The_trigger_word_without_tools_gives_a_text_reply()
    {
        // Arrange
        var request = RequestJson.Chat("""{"model":"m","messages":[{"role":"user","content":"weather?"}]}""");

        // Act
        var reply = ChatReplyPlanner.Plan(request, Options.ResponseTemplate, 1);

        // Assert
        Assert.Null(reply.ToolCall);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "you must provide a model parameter", null)]
    [InlineData("""{"model":"","messages":[{"role":"user","content":"hi"}]}""", "you must provide a model parameter", null)]
    [InlineData("""{"model":"m"}""", "Missing required parameter: 'messages'.", "messages")]
    [InlineData("""{"model":"m","messages":[]}""", "Invalid 'messages': empty array.", "messages")]
    [InlineData("""{"model":"m","messages":[{"content":"hi"}]}""", "Missing required parameter: 'messages[0].role'.", "messages[0].role")]
    [InlineData("""{"model":"m","messages":[{"role":"robot","content":"hi"}]}""", "Invalid 'messages[0].role'", "messages[0].role")]
    [InlineData("""{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}""", "Invalid 'max_tokens'", "max_tokens")]
    [InlineData("""{"model":"m","tools":{},"messages":[{"role":"user","content":"hi"}]}""", "Invalid 'tools'", "tools")]
    public void Rejects_invalid_requests_with_an_OpenAI_400(string json, string messageStart, string? param)
    {
        // Act
        var error = ChatReplyPlanner.Validate(RequestJson.Chat(json), Options);

        // Assert
        Assert.NotNull(error);
        Assert.Equal(400, error.Status);
        Assert.StartsWith(messageStart, error.Message);
        Assert.Equal(param, error.Param);
        Assert.Equal("invalid_request_error", error.Type);
    }

    [Fact]
    public void Rejects_unknown_models_with_404_only_when_configured()
    {
        // Arrange
        var request = RequestJson.Chat("""{"model":"gpt-9","messages":[{"role":"user","content":"hi"}]}""");
        var strict = new MockProviderOptions { RejectUnknownModels = true };

        // Act
        var lenient = ChatReplyPlanner.Validate(request, Options);
        var rejected = ChatReplyPlanner.Validate(request, strict);

        // Assert
        Assert.Null(lenient);
        Assert.Equal(404, rejected?.Status);
        Assert.Equal("model_not_found", rejected?.Code);
    }
}
