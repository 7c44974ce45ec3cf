using System.Buffers;
using AiGateway.Core.Translation;
using BenchmarkDotNet.Attributes;

namespace AiGateway.Benchmarks;

/// <summary>
/// Non-streamed responses of about 1 KB: an OpenAI chat completion (usage read, body passed through) and an
/// Anthropic message (parsed and rewritten as an OpenAI chat completion). Each op creates the translator,
/// as the gateway does per response. For the Messages ingress: the OpenAI completion rewritten as an
/// Anthropic message.
/// </summary>
[MemoryDiagnoser]
public class ResponseTranslationBenchmarks
{
    private const long Created = 1731679200;
    private readonly ArrayBufferWriter<byte> _output = new(8 * 1024);
    private byte[] _openAiCompletion = [];
    private byte[] _anthropicMessage = [];
    private AnthropicToOpenAiTranslator _messages = null!;
    private ParsedRequest _messagesRequest = null!;

    [GlobalSetup]
    public void Setup()
    {
        _openAiCompletion = BenchmarkFixtures.Bytes("openai-chat-completion-1kb.json");
        _anthropicMessage = BenchmarkFixtures.Bytes("anthropic-message-1kb.json");
        _messages = new AnthropicToOpenAiTranslator(new OpenAiToOpenAiTranslator(EndpointKind.ChatCompletions));
        _messagesRequest = Core.Schemas.Anthropic.AnthropicRequestReader.Read("""{"model":"gpt-4o","max_tokens":512,"messages":[{"role":"user","content":"Hi"}]}"""u8.ToArray(), out _)!;
        if (!OpenAiToMessages().Reported || !_output.WrittenSpan.StartsWith("{\"id\":"u8))
        {
            throw new InvalidOperationException("the OpenAI completion did not translate to an Anthropic message");
        }

        if (!OpenAiPassThrough().Reported || !AnthropicToOpenAi().Reported || _output.WrittenCount == 0)
        {
            throw new InvalidOperationException("a response fixture reported no usage or wrote nothing");
        }
    }

    [Benchmark(Description = "OpenAI JSON response, usage read (1 KB)")]
    public Core.Tokens.TokenUsage OpenAiPassThrough()
    {
        _output.ResetWrittenCount();
        using var translator = new OpenAiResponseTranslator(requestedStream: false, clientWantsUsage: false);
        translator.OnHeaders(200, "application/json", endOfStream: false);
        translator.OnBody(_openAiCompletion, endOfStream: true, _output);
        return translator.Usage;
    }

    [Benchmark(Description = "OpenAI JSON -> Anthropic message (1 KB)")]
    public Core.Tokens.TokenUsage OpenAiToMessages()
    {
        _output.ResetWrittenCount();
        using var translator = _messages.CreateResponseTranslator(_messagesRequest);
        translator.OnHeaders(200, "application/json", endOfStream: false);
        translator.OnBody(_openAiCompletion, endOfStream: true, _output);
        return translator.Usage;
    }

    [Benchmark(Description = "Anthropic JSON -> OpenAI (1 KB)")]
    public Core.Tokens.TokenUsage AnthropicToOpenAi()
    {
        _output.ResetWrittenCount();
        using var translator = new AnthropicResponseTranslator("claude-sonnet-4-5", requestedStream: false, clientWantsUsage: false, Created);
        translator.OnHeaders(200, "application/json", endOfStream: false);
        translator.OnBody(_anthropicMessage, endOfStream: true, _output);
        return translator.Usage;
    }
}
