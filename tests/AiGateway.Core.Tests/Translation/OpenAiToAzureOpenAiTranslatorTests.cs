using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Tests.Translation;

public sealed class OpenAiToAzureOpenAiTranslatorTests
{
    private static ProviderDefinition Azure(string endpoint, string? apiVersion = null, string key = "azure-key", ProviderAuth? auth = null) => new()
    {
        Name = "azure",
        Schema = ApiSchema.AzureOpenAi,
        Endpoint = new Uri(endpoint),
        Authority = new Uri(endpoint).Host,
        BasePath = new Uri(endpoint).AbsolutePath.TrimEnd('/'),
        ApiKey = new Secret(key),
        Models = new[] { "gpt-4o", "text-embedding-3-small" }.ToFrozenSet(),
        Priority = 1,
        Index = 0,
        IsSupported = true,
        ApiVersion = apiVersion ?? GatewayConfigValidator.DefaultAzureApiVersion,
        Deployments = new Dictionary<string, string> { ["gpt-4o"] = "prod-4o" }.ToFrozenDictionary(),
        Auth = auth ?? ProviderAuth.ApiKey,
    };

    private static (UpstreamRequest Request, string Body) Translate(EndpointKind kind, string json, ProviderDefinition provider)
    {
        var request = OpenAiRequestReader.Read(kind, Encoding.UTF8.GetBytes(json), out _)!;
        var body = new ArrayBufferWriter<byte>();
        var upstream = new OpenAiToAzureOpenAiTranslator(kind).TranslateRequest(request, provider, body);
        return (upstream, Encoding.UTF8.GetString(body.WrittenSpan));
    }

    public static TheoryData<string> RequestCases() => [.. AiGateway.TestKit.FixtureFiles.Cases("Translation/OpenAiToAzureOpenAi", ".request.json")];

    [Theory]
    [MemberData(nameof(RequestCases))]
    public void Translates_request_fixtures_to_the_deployment_url_and_body(string name)
    {
        const string folder = "Translation/OpenAiToAzureOpenAi";
        var (request, body) = Translate(EndpointKind.ChatCompletions, AiGateway.TestKit.FixtureFiles.Text(folder, name + ".request.json"), Azure("https://res.openai.azure.com"));

        Assert.Null(request.Error);
        Assert.Equal(AiGateway.TestKit.FixtureFiles.Text(folder, name + ".path.txt").Trim(), request.Path);
        Assert.Equal(AiGateway.TestKit.FixtureFiles.Text(folder, name + ".expected.json").Trim(), body);
    }

    [Fact]
    public void Uses_the_deployment_url_with_api_version_for_a_resource_endpoint()
    {
        var (request, body) = Translate(EndpointKind.ChatCompletions, """{"model":"gpt-4o","prefer_provider":"azure","messages":[]}""", Azure("https://res.openai.azure.com"));

        Assert.Equal("/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21", request.Path);
        Assert.Equal("""{"model":"gpt-4o","messages":[]}""", body);
    }

    [Fact]
    public void Does_not_repeat_openai_when_the_endpoint_already_ends_with_it()
    {
        var (request, _) = Translate(EndpointKind.Embeddings, """{"model":"text-embedding-3-small","input":"x"}""", Azure("https://res.openai.azure.com/openai", "2025-04-01-preview"));

        Assert.Equal("/openai/deployments/text-embedding-3-small/embeddings?api-version=2025-04-01-preview", request.Path);
    }

    [Fact]
    public void Puts_the_deployment_in_the_body_for_the_v1_api()
    {
        var (request, body) = Translate(EndpointKind.ChatCompletions, """{"model":"gpt-4o","stream":true,"messages":[]}""", Azure("https://res.openai.azure.com/openai/v1"));

        Assert.Equal("/openai/v1/chat/completions", request.Path);
        Assert.Equal("""{"model":"prod-4o","stream":true,"messages":[],"stream_options":{"include_usage":true}}""", body);
    }

    [Fact]
    public void Sends_the_key_in_api_key_and_never_as_bearer()
    {
        var (request, _) = Translate(EndpointKind.ChatCompletions, """{"model":"gpt-4o","messages":[]}""", Azure("https://res.openai.azure.com"));

        Assert.Contains(new KeyValuePair<string, string>("api-key", "azure-key"), request.Headers);
        Assert.DoesNotContain(request.Headers, h => h.Key == "authorization");
    }

    [Fact]
    public void Sends_no_api_key_when_the_provider_authenticates_with_entra_id()
    {
        var entra = Azure("https://res.openai.azure.com", auth: new ProviderAuth { Kind = ProviderAuthKind.AzureEntra, TenantId = "t", ClientId = "c", ClientSecret = new Secret("s") });

        var (request, _) = Translate(EndpointKind.ChatCompletions, """{"model":"gpt-4o","messages":[]}""", entra);

        // The credentials step adds the Entra ID bearer token after translation; Azure must never get both.
        Assert.DoesNotContain(request.Headers, h => h.Key is "api-key" or "authorization");
    }

    [Fact]
    public void Keeps_the_prompt_filter_event_that_opens_an_azure_stream()
    {
        var request = OpenAiRequestReader.Read(EndpointKind.ChatCompletions, """{"model":"gpt-4o","stream":true,"messages":[]}"""u8.ToArray(), out _)!;
        using var translator = new OpenAiToAzureOpenAiTranslator(EndpointKind.ChatCompletions).CreateResponseTranslator(request);
        translator.OnHeaders(200, "text/event-stream", false);
        var chunk = "data: {\"id\":\"\",\"object\":\"\",\"created\":0,\"model\":\"\",\"choices\":[],\"prompt_filter_results\":[{\"prompt_index\":0}]}\n\n"u8.ToArray();

        var changed = translator.OnBody(chunk, false, new ArrayBufferWriter<byte>());

        Assert.False(changed);
    }
}
