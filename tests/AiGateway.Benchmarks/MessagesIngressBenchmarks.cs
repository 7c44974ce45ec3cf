using System.Buffers;
using System.Collections.Frozen;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.Anthropic;
using AiGateway.Core.Translation;
using BenchmarkDotNet.Attributes;

namespace AiGateway.Benchmarks;

/// <summary>
/// The Anthropic Messages ingress: the ~6 KB conversation as a Messages request (parse, translation to
/// OpenAI on a fresh request each op so the chat form is not cached, pass-through to Anthropic), the
/// 1 KB OpenAI completion rewritten as an Anthropic message, and the 100-event OpenAI stream rewritten
/// as Anthropic events.
/// </summary>
[MemoryDiagnoser]
public class MessagesIngressBenchmarks
{
    private const int Events = 100;
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private byte[] _messagesRequest = [];
    private ParsedRequest _messages = null!;
    private ParsedRequest _jsonClient = null!;
    private ParsedRequest _streamClient = null!;
    private ProviderDefinition _openAi = null!;
    private ProviderDefinition _anthropic = null!;
    private AnthropicToOpenAiTranslator _toOpenAi = null!;
    private AnthropicPassThroughTranslator _toAnthropic = null!;
    private byte[] _openAiCompletion = [];
    private byte[][] _openAiChunks = [];

    [GlobalSetup]
    public void Setup()
    {
        _messagesRequest = BenchmarkFixtures.Bytes("anthropic-messages-request-6kb.json");
        _messages = AnthropicRequestReader.Read(_messagesRequest, out var error)
            ?? throw new InvalidOperationException($"fixture rejected: {error?.Message}");
        _jsonClient = AnthropicRequestReader.Read("""{"model":"gpt-4o","max_tokens":512,"messages":[{"role":"user","content":"Hi"}]}"""u8.ToArray(), out _)!;
        _streamClient = AnthropicRequestReader.Read("""{"model":"gpt-4o","max_tokens":512,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"""u8.ToArray(), out _)!;
        _openAi = Provider("openai", ApiSchema.OpenAi, "https://api.openai.com/v1", "/v1");
        _anthropic = Provider("anthropic", ApiSchema.Anthropic, "https://api.anthropic.com", string.Empty);
        _toOpenAi = new AnthropicToOpenAiTranslator(new OpenAiToOpenAiTranslator(EndpointKind.ChatCompletions));
        _toAnthropic = new AnthropicPassThroughTranslator();
        _openAiCompletion = BenchmarkFixtures.Bytes("openai-chat-completion-1kb.json");
        _openAiChunks = BenchmarkFixtures.EventChunks("openai-stream-100.sse");

        // Every translation must succeed on the fixtures, or the numbers measure an error path.
        foreach (var (translator, provider) in new (ITranslator, ProviderDefinition)[] { (_toOpenAi, _openAi), (_toAnthropic, _anthropic) })
        {
            _output.ResetWrittenCount();
            var upstream = translator.TranslateRequest(_messages, provider, _output);
            if (upstream.Error is not null || _output.WrittenCount == 0)
            {
                throw new InvalidOperationException($"{translator.GetType().Name} failed on the fixture: {upstream.Error?.Message}");
            }
        }

        if (!OpenAiToMessages().Reported || !_output.WrittenSpan.StartsWith("{\"id\":"u8))
        {
            throw new InvalidOperationException("the OpenAI completion did not translate to an Anthropic message");
        }

        if (_openAiChunks.Length != Events || !OpenAiToMessagesStream().Reported
            || !_output.WrittenSpan.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"u8))
        {
            throw new InvalidOperationException("the OpenAI stream did not translate to a complete Anthropic event stream");
        }
    }

    [Benchmark(Description = "AnthropicRequestReader.Read (6 KB)")]
    public ParsedRequest? ParseMessages() => AnthropicRequestReader.Read(_messagesRequest, out _);

    [Benchmark(Description = "Anthropic->OpenAI TranslateRequest (6 KB)")]
    public UpstreamRequest MessagesToOpenAi()
    {
        _output.ResetWrittenCount();

        // A new request each time: the chat form is computed once per request and cached for its attempts.
        return _toOpenAi.TranslateRequest(_messages with { }, _openAi, _output);
    }

    [Benchmark(Description = "Anthropic->Anthropic pass-through TranslateRequest (6 KB)")]
    public UpstreamRequest MessagesToAnthropic()
    {
        _output.ResetWrittenCount();
        return _toAnthropic.TranslateRequest(_messages, _anthropic, _output);
    }

    [Benchmark(Description = "OpenAI JSON -> Anthropic message (1 KB)")]
    public Core.Tokens.TokenUsage OpenAiToMessages()
    {
        _output.ResetWrittenCount();
        using var translator = _toOpenAi.CreateResponseTranslator(_jsonClient);
        translator.OnHeaders(200, "application/json", endOfStream: false);
        translator.OnBody(_openAiCompletion, endOfStream: true, _output);
        return translator.Usage;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "OpenAI stream -> Anthropic events (per chunk)")]
    public Core.Tokens.TokenUsage OpenAiToMessagesStream()
    {
        _output.ResetWrittenCount();
        using var translator = _toOpenAi.CreateResponseTranslator(_streamClient);
        translator.OnHeaders(200, "text/event-stream", endOfStream: false);
        var chunks = _openAiChunks;
        for (var i = 0; i < chunks.Length; i++)
        {
            translator.OnBody(chunks[i], endOfStream: i == chunks.Length - 1, _output);
        }

        return translator.Usage;
    }

    private static ProviderDefinition Provider(string name, ApiSchema schema, string endpoint, string basePath)
    {
        var uri = new Uri(endpoint);
        return new ProviderDefinition
        {
            Name = name,
            Schema = schema,
            Endpoint = uri,
            Authority = uri.Authority,
            BasePath = basePath,
            ApiKey = new Secret("sk-benchmark-0123456789abcdef"),
            Models = new[] { "gpt-4o" }.ToFrozenSet(),
            Priority = 0,
            Index = 0,
            IsSupported = true,
        };
    }
}
