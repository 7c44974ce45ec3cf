using AiGateway.MockProvider;
using AiGateway.TestKit;
using Anthropic.Models.Messages;
using OpenAI.Chat;

namespace AiGateway.EndToEnd.Tests.Gateway;

/// <summary>
/// <c>security.data_masking</c> through Envoy with the official SDKs: the client's e-mail address reaches the
/// provider as a placeholder and comes back restored; the personal data the provider adds is masked, in JSON
/// answers and in streams.
/// </summary>
public sealed class PiiMaskingTests : IAsyncLifetime
{
    private const string OpenAiKey = "sk-e2e-pii-openai";
    private const string AnthropicKey = "sk-ant-e2e-pii";
    private const string Question = "Please write to john.doe@example.com today";
    private const string Expected = "Please write to john.doe@example.com today. Support: [EMAIL], card [CREDIT_CARD], phone [PHONE].";
    private GatewayStack _stack = null!;

    public async Task InitializeAsync() => _stack = await GatewayStack.StartAsync(
        FixtureFiles.InRepository("tests/AiGateway.EndToEnd.Tests/Fixtures/pii-masking.gateway.yaml"),
        new MockProviderOptions
        {
            ResponseTemplate = MockProviderOptions.LastUserMessagePlaceholder + ". Support: help@mock-support.example, card 4111 1111 1111 1111, phone 090-1234-5678.",
            RequiredApiKeys = new Dictionary<string, IReadOnlyList<string>> { ["/v1/"] = [OpenAiKey], ["/anthropic/"] = [AnthropicKey] },
        },
        _ => new Dictionary<string, string> { ["OPENAI_API_KEY"] = OpenAiKey, ["ANTHROPIC_API_KEY"] = AnthropicKey });

    public async Task DisposeAsync()
    {
        Assert.Empty(_stack.ExtProc.Logs.Errors);
        foreach (var secret in new[] { "john.doe", "help@mock-support", "4111", "090-1234" })
        {
            Assert.DoesNotContain(secret, _stack.ExtProc.Logs.AllText, StringComparison.Ordinal);
        }

        await _stack.DisposeAsync();
    }

    [Fact]
    public async Task A_json_answer_comes_back_masked_with_the_clients_own_address_restored()
    {
        var chat = _stack.OpenAiClient().GetChatClient("gpt-4o-mini");

        var result = await chat.CompleteChatAsync([new UserChatMessage(Question)]);

        Assert.Equal(Expected, result.Value.Content[0].Text);
        AssertProviderSawOnlyThePlaceholder();
    }

    [Fact]
    public async Task A_streamed_answer_comes_back_masked_with_the_clients_own_address_restored()
    {
        var chat = _stack.OpenAiClient().GetChatClient("gpt-4o-mini");
        var text = new System.Text.StringBuilder();

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage(Question)]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal(Expected, text.ToString());
        AssertProviderSawOnlyThePlaceholder();
    }

    [Fact]
    public async Task A_streamed_messages_answer_comes_back_masked_to_an_anthropic_client()
    {
        using var client = _stack.AnthropicClient("/anthropic");
        var text = new System.Text.StringBuilder();

        await foreach (var e in client.Messages.CreateStreaming(new MessageCreateParams
        {
            Model = "claude-haiku-4-5",
            MaxTokens = 256,
            Messages = [new UserMessageParam(Question)],
        }))
        {
            if (e.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var textDelta))
            {
                text.Append(textDelta.Text);
            }
        }

        Assert.Equal(Expected, text.ToString());
        AssertProviderSawOnlyThePlaceholder();
    }

    private void AssertProviderSawOnlyThePlaceholder()
    {
        var received = Assert.Single(_stack.Provider.Requests);
        Assert.Contains("[EMAIL_1]", received.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("john.doe", received.BodyText, StringComparison.Ordinal);
    }
}
