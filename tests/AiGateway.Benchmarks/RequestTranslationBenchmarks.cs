using System.Buffers;
using System.Collections.Frozen;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Translation;
using BenchmarkDotNet.Attributes;

namespace AiGateway.Benchmarks;

/// <summary>
/// The ~6 KB OpenAI chat request (system, user, assistant tool calls, two tool results, assistant, user;
/// two tools; <c>stream: true</c>): parse alone, then each translation (Gemini in both flavours) from the pre-parsed request into
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
    private ProviderDefinition _watsonx = null!;
    private OpenAiToOpenAiTranslator _toOpenAi = null!;
    private OpenAiToAzureOpenAiTranslator _toAzure = null!;
    private OpenAiToAnthropicTranslator _toAnthropic = null!;
    private ProviderDefinition _gemini = null!;
    private ProviderDefinition _vertex = null!;
    private OpenAiToGeminiTranslator _toGemini = null!;
    private OpenAiToGeminiTranslator _toVertex = null!;
    private OpenAiToWatsonxTranslator _toWatsonx = null!;
    private ProviderDefinition _bedrock = null!;
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
        _gemini = Provider("gemini", ApiSchema.Gemini, "https://generativelanguage.googleapis.com/v1beta", "/v1beta");
        _vertex = Provider("vertex", ApiSchema.VertexAi, "https://aiplatform.googleapis.com", string.Empty);
        _toGemini = new OpenAiToGeminiTranslator(TimeProvider.System, GeminiFlavour.AiStudio);
        _toVertex = new OpenAiToGeminiTranslator(TimeProvider.System, GeminiFlavour.VertexAi);

        _watsonx = Provider("watsonx", ApiSchema.Watsonx, "https://us-south.ml.cloud.ibm.com", string.Empty);
        _toWatsonx = new OpenAiToWatsonxTranslator(EndpointKind.ChatCompletions, TimeProvider.System);

        _bedrock = Provider("bedrock", ApiSchema.AwsBedrock, "https://bedrock-runtime.us-east-1.amazonaws.com", string.Empty);
        _toBedrock = new OpenAiToBedrockTranslator(TimeProvider.System);

        // Every translation must succeed on the fixture, or the numbers measure an error path.
        foreach (var (translator, provider) in new (ITranslator, ProviderDefinition)[] { (_toOpenAi, _openAi), (_toAzure, _azure), (_toAnthropic, _anthropic), (_toGemini, _gemini), (_toVertex, _vertex), (_toWatsonx, _watsonx), (_toBedrock, _bedrock) })
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

    [Benchmark(Description = "OpenAI->Gemini TranslateRequest (6 KB)")]
    public UpstreamRequest ToGemini()
    {
        _body.ResetWrittenCount();
        return _toGemini.TranslateRequest(_parsed, _gemini, _body);
    }

    [Benchmark(Description = "OpenAI->Vertex AI TranslateRequest (6 KB)")]
    public UpstreamRequest ToVertex()
    {
        _body.ResetWrittenCount();
        return _toVertex.TranslateRequest(_parsed, _vertex, _body);
    }

    [Benchmark(Description = "OpenAI->watsonx TranslateRequest (6 KB)")]
    public UpstreamRequest ToWatsonx()
    {
        _body.ResetWrittenCount();
        return _toWatsonx.TranslateRequest(_parsed, _watsonx, _body);
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
            ApiVersion = schema switch
            {
                ApiSchema.AzureOpenAi => GatewayConfigValidator.DefaultAzureApiVersion,
                ApiSchema.Watsonx => GatewayConfigValidator.DefaultWatsonxVersion,
                _ => null,
            },
            Region = schema == ApiSchema.VertexAi ? "global" : null,
            ProjectId = schema switch
            {
                ApiSchema.VertexAi => "benchmark-project",
                ApiSchema.Watsonx => "5c1b2a4e-0000-0000-0000-000000000000",
                _ => null,
            },
        };
    }
}
