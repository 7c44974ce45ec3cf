using System.Buffers;
using System.Collections.Frozen;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.Anthropic;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Translation;
using BenchmarkDotNet.Attributes;

namespace AiGateway.Benchmarks;

/// <summary>
/// The ~6 KB OpenAI chat request (system, user, assistant tool calls, two tool results, assistant, user;
/// two tools; <c>stream: true</c>): parse alone, then each translation from the pre-parsed request into
/// a reused buffer. The same conversation as an Anthropic Messages request (~6 KB) for the Messages
/// ingress: parse, translation to OpenAI (each op on a fresh request, so the chat form is not cached),
/// and the pass-through to Anthropic.
/// </summary>
[MemoryDiagnoser]
public class RequestTranslationBenchmarks
{
    private readonly ArrayBufferWriter<byte> _body = new(16 * 1024);
    private byte[] _request = [];
    private ParsedRequest _parsed = null!;
    private ProviderDefinition _openAi = null!;
    private ProviderDefinition _azure = null!;
    private ProviderDefinition _anthropic = null!;
    private OpenAiToOpenAiTranslator _toOpenAi = null!;
    private OpenAiToAzureOpenAiTranslator _toAzure = null!;
    private OpenAiToAnthropicTranslator _toAnthropic = null!;
    private byte[] _messagesRequest = [];
    private ParsedRequest _messages = null!;
    private AnthropicToOpenAiTranslator _messagesToOpenAi = null!;
    private AnthropicPassThroughTranslator _messagesToAnthropic = null!;

    [GlobalSetup]
    public void Setup()
    {
        _request = BenchmarkFixtures.Bytes("openai-chat-request-6kb.json");
        _parsed = OpenAiRequestReader.Read(EndpointKind.ChatCompletions, _request, out var error)
            ?? throw new InvalidOperationException($"fixture rejected: {error?.Message}");
        _openAi = Provider("openai", ApiSchema.OpenAi, "https://api.openai.com/v1", "/v1");
        _azure = Provider("azure", ApiSchema.AzureOpenAi, "https://contoso.openai.azure.com", string.Empty);
        _anthropic = Provider("anthropic", ApiSchema.Anthropic, "https://api.anthropic.com", string.Empty);
        _toOpenAi = new OpenAiToOpenAiTranslator(EndpointKind.ChatCompletions);
        _toAzure = new OpenAiToAzureOpenAiTranslator(EndpointKind.ChatCompletions);
        _toAnthropic = new OpenAiToAnthropicTranslator(TimeProvider.System);

        _messagesRequest = BenchmarkFixtures.Bytes("anthropic-messages-request-6kb.json");
        _messages = AnthropicRequestReader.Read(_messagesRequest, out error)
            ?? throw new InvalidOperationException($"fixture rejected: {error?.Message}");
        _messagesToOpenAi = new AnthropicToOpenAiTranslator(_toOpenAi);
        _messagesToAnthropic = new AnthropicPassThroughTranslator();

        // Every translation must succeed on the fixture, or the numbers measure an error path.
        foreach (var (translator, request, provider) in new (ITranslator, ParsedRequest, ProviderDefinition)[]
        {
            (_toOpenAi, _parsed, _openAi), (_toAzure, _parsed, _azure), (_toAnthropic, _parsed, _anthropic),
            (_messagesToOpenAi, _messages, _openAi), (_messagesToAnthropic, _messages, _anthropic),
        })
        {
            _body.ResetWrittenCount();
            var upstream = translator.TranslateRequest(request, provider, _body);
            if (upstream.Error is { } rejected || _body.WrittenCount == 0)
            {
                throw new InvalidOperationException($"{translator.GetType().Name} failed on the fixture: {upstream.Error?.Message}");
            }
        }
    }

    [Benchmark(Description = "OpenAiRequestReader.Read (6 KB)")]
    public ParsedRequest? Parse() => OpenAiRequestReader.Read(EndpointKind.ChatCompletions, _request, out _);

    [Benchmark(Description = "OpenAI->OpenAI TranslateRequest (6 KB)")]
    public UpstreamRequest ToOpenAi()
    {
        _body.ResetWrittenCount();
        return _toOpenAi.TranslateRequest(_parsed, _openAi, _body);
    }

    [Benchmark(Description = "OpenAI->Azure TranslateRequest (6 KB)")]
    public UpstreamRequest ToAzure()
    {
        _body.ResetWrittenCount();
        return _toAzure.TranslateRequest(_parsed, _azure, _body);
    }

    [Benchmark(Description = "OpenAI->Anthropic TranslateRequest (6 KB)")]
    public UpstreamRequest ToAnthropic()
    {
        _body.ResetWrittenCount();
        return _toAnthropic.TranslateRequest(_parsed, _anthropic, _body);
    }

    [Benchmark(Description = "AnthropicRequestReader.Read (6 KB)")]
    public ParsedRequest? ParseMessages() => AnthropicRequestReader.Read(_messagesRequest, out _);

    [Benchmark(Description = "Anthropic->OpenAI TranslateRequest (6 KB)")]
    public UpstreamRequest MessagesToOpenAi()
    {
        _body.ResetWrittenCount();

        // A new request each time: the chat form is computed once per request and cached for its attempts.
        return _messagesToOpenAi.TranslateRequest(_messages with { }, _openAi, _body);
    }

    [Benchmark(Description = "Anthropic->Anthropic pass-through TranslateRequest (6 KB)")]
    public UpstreamRequest MessagesToAnthropic()
    {
        _body.ResetWrittenCount();
        return _messagesToAnthropic.TranslateRequest(_messages, _anthropic, _body);
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
            ApiVersion = schema == ApiSchema.AzureOpenAi ? GatewayConfigValidator.DefaultAzureApiVersion : null,
        };
    }
}
