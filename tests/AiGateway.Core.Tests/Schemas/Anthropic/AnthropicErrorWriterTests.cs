using System.Buffers;
using System.Text;
using AiGateway.Core.Schemas.Anthropic;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Tests.Schemas.Anthropic;

public sealed class AnthropicErrorWriterTests
{
    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "authentication_error")]
    [InlineData(402, "billing_error")]
    [InlineData(403, "permission_error")]
    [InlineData(404, "not_found_error")]
    [InlineData(405, "invalid_request_error")]
    [InlineData(413, "request_too_large")]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "api_error")]
    [InlineData(502, "api_error")]
    [InlineData(503, "overloaded_error")]
    [InlineData(504, "timeout_error")]
    [InlineData(529, "overloaded_error")]
    public void Picks_the_anthropic_error_type_by_status(int status, string type)
    {
        Assert.Equal(type, AnthropicErrorWriter.TypeFor(status));
    }

    [Fact]
    public void Writes_anthropics_error_envelope()
    {
        var output = new ArrayBufferWriter<byte>();

        AnthropicErrorWriter.Write(ClientError.UnknownModel("claude-9"), output);

        Assert.Equal("""{"type":"error","error":{"type":"not_found_error","message":"The model 'claude-9' does not exist or is not served by this gateway."}}""", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}""", true)]
    [InlineData("""{"error":{"type":"overloaded_error","message":"Overloaded"}}""", false)]
    [InlineData("""{"type":"message","error":{}}""", false)]
    [InlineData("Overloaded", false)]
    public void Recognises_anthropic_error_json(string body, bool expected)
    {
        Assert.Equal(expected, AnthropicErrorWriter.IsAnthropicError(Encoding.UTF8.GetBytes(body)));
    }
}
