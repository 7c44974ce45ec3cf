using System.Buffers;
using AiGateway.Core.Translation;
using BenchmarkDotNet.Attributes;

namespace AiGateway.Benchmarks;

/// <summary>
/// Non-streamed responses of about 1 KB: an OpenAI chat completion (usage read, body passed through), an
/// Anthropic message, a Gemini response and a watsonx.ai chat answer (each parsed and rewritten as an OpenAI chat completion). Each op creates the translator,
/// as the gateway does per response.
/// </summary>
[MemoryDiagnoser]
public class ResponseTranslationBenchmarks
{
    private const long Created = 1731679200;
    private readonly ArrayBufferWriter<byte> _output = new(8 * 1024);
    private byte[] _openAiCompletion = [];
    private byte[] _anthropicMessage = [];
    private byte[] _geminiResponse = [];
    private byte[] _watsonxChat = [];
    private byte[] _bedrockConverse = [];

    [GlobalSetup]
    public void Setup()
    {
        _openAiCompletion = BenchmarkFixtures.Bytes("openai-chat-completion-1kb.json");
        _anthropicMessage = BenchmarkFixtures.Bytes("anthropic-message-1kb.json");
        _geminiResponse = BenchmarkFixtures.Bytes("gemini-response-1kb.json");
        _watsonxChat = BenchmarkFixtures.Bytes("watsonx-chat-1kb.json");
        _bedrockConverse = BenchmarkFixtures.Bytes("bedrock-converse-1kb.json");
        if (!OpenAiPassThrough().Reported || !AnthropicToOpenAi().Reported || !GeminiToOpenAi().Reported || !WatsonxToOpenAi().Reported || !BedrockToOpenAi().Reported || _output.WrittenCount == 0)
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

    [Benchmark(Description = "Anthropic JSON -> OpenAI (1 KB)")]
    public Core.Tokens.TokenUsage AnthropicToOpenAi()
    {
        _output.ResetWrittenCount();
        using var translator = new AnthropicResponseTranslator("claude-sonnet-4-5", requestedStream: false, clientWantsUsage: false, Created);
        translator.OnHeaders(200, "application/json", endOfStream: false);
        translator.OnBody(_anthropicMessage, endOfStream: true, _output);
        return translator.Usage;
    }

    [Benchmark(Description = "Gemini JSON -> OpenAI (1 KB)")]
    public Core.Tokens.TokenUsage GeminiToOpenAi()
    {
        _output.ResetWrittenCount();
        using var translator = new GeminiResponseTranslator("gemini-2.5-flash", requestedStream: false, clientWantsUsage: false, Created, "benchmark");
        translator.OnHeaders(200, "application/json", endOfStream: false);
        translator.OnBody(_geminiResponse, endOfStream: true, _output);
        return translator.Usage;
    }

    [Benchmark(Description = "watsonx JSON -> OpenAI (1 KB)")]
    public Core.Tokens.TokenUsage WatsonxToOpenAi()
    {
        _output.ResetWrittenCount();
        using var translator = new WatsonxResponseTranslator("ibm/granite-3-8b-instruct", requestedStream: false, clientWantsUsage: false, Created);
        translator.OnHeaders(200, "application/json", endOfStream: false);
        translator.OnBody(_watsonxChat, endOfStream: true, _output);
        return translator.Usage;
    }

    [Benchmark(Description = "Bedrock Converse JSON -> OpenAI (1 KB)")]
    public Core.Tokens.TokenUsage BedrockToOpenAi()
    {
        _output.ResetWrittenCount();
        using var translator = new BedrockResponseTranslator("anthropic.claude-3-5-haiku-20241022-v1:0", requestedStream: false, clientWantsUsage: false, Created);
        translator.OnHeaders(200, "application/json", endOfStream: false);
        translator.OnBody(_bedrockConverse, endOfStream: true, _output);
        return translator.Usage;
    }
}
