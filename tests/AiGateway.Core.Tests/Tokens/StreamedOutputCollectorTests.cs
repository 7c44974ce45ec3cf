using System.Text;
using AiGateway.Core.Tokens;

namespace AiGateway.Core.Tests.Tokens;

public sealed class StreamedOutputCollectorTests
{
    private const string AnthropicEvents =
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n" +
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\"}}\n\n" +
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}\n\n";

    private const string OpenAiChunks =
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"}}]}\n\n" +
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\"}}]}}]}\n\n" +
        "data: [DONE]\n\n";

    [Theory]
    [InlineData(AnthropicEvents, "Hello{\"city\":")]
    [InlineData(OpenAiChunks, "Hello{\"city\":")]
    public void Collects_the_generated_text_of_a_stream_split_at_every_byte_offset(string stream, string expectedText)
    {
        var bytes = Encoding.UTF8.GetBytes(stream);
        for (var split = 0; split <= bytes.Length; split++)
        {
            using var collector = new StreamedOutputCollector();

            collector.Feed(bytes.AsSpan(0, split));
            collector.Feed(bytes.AsSpan(split));

            Assert.Equal(TokenCounter.CountText("gpt-4o", expectedText).Tokens, collector.Count("gpt-4o").Tokens);
            Assert.Equal(expectedText.Length, collector.Length);
        }
    }
}
