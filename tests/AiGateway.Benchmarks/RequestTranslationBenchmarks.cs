using System.Buffers;
using System.Collections.Frozen;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Translation;
using BenchmarkDotNet.Attributes;

namespace AiGateway.Benchmarks;

/// <summary>
/// The ~6 KB OpenAI chat request (system, user, assistant tool calls, two tool results, assistant, user;
/// two tools; <c>stream: true</c>): parse alone, then each translation from the pre-parsed request into
/// a reused buffer.
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
    private ProviderDefinition _bedrock = null!;
    private OpenAiToOpenAiTranslator _toOpenAi = null!;
    private OpenAiToAzureOpenAiTranslator _toAzure = null!;
    private OpenAiToAnthropicTranslator _toAnthropic = null!;
    private OpenAiToBedrockTranslator _toBedrock = null!;

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
        _bedrock = Provider("bedrock", ApiSchema.AwsBedrock, "https://bedrock-runtime.us-east-1.amazonaws.com", string.Empty);
        _toBedrock = new OpenAiToBedrockTranslator(TimeProvider.System);

        // Every translation must succeed on the fixture, or the numbers measure an error path.
        foreach (var (translator, provider) in new (ITranslator, ProviderDefinition)[] { (_toOpenAi, _openAi), (_toAzure, _azure), (_toAnthropic, _anthropic), (_toBedrock, _bedrock) })
        {
            _body.ResetWrittenCount();
            var upstream = translator.TranslateRequest(_parsed, provider, _body);
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

    [Benchmark(Description = "OpenAI->Bedrock Converse TranslateRequest (6 KB)")]
    public UpstreamRequest ToBedrock()
    {
        _body.ResetWrittenCount();
        return _toBedrock.TranslateRequest(_parsed, _bedrock, _body);
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
