using System.Buffers;
using AiGateway.Core.Pii;
using AiGateway.Core.Translation;
using BenchmarkDotNet.Attributes;

namespace AiGateway.Benchmarks;

/// <summary>
/// The router's stream path for a chat client, per chunk: the 100-event OpenAI stream (one event per chunk)
/// through <see cref="OpenAiResponseTranslator"/> alone, then also through a <see cref="ResponseMasker"/>
/// with <c>mask_output</c> (every built-in detector, mask mode), and with placeholders to restore only.
/// <c>OperationsPerInvoke = 100</c>: the mean and allocation are per chunk.
/// </summary>
[MemoryDiagnoser]
public class StreamMaskingBenchmarks
{
    private const int Events = 100;
    private readonly ArrayBufferWriter<byte> _translated = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private byte[][] _chunks = [];
    private PiiMasker _masker = null!;
    private PiiPlaceholders _placeholders = null!;

    [GlobalSetup]
    public void Setup()
    {
        _chunks = BenchmarkFixtures.EventChunks("openai-stream-100.sse");
        _masker = new PiiMasker(new PiiDetector(PiiDetector.AllBuiltIn), new Dictionary<string, PiiRule>(), "key"u8.ToArray());
        _placeholders = new PiiPlaceholders();
        _placeholders.Add("EMAIL", "john.doe@example.com");
        _placeholders.Add("PHONE", "090-1234-5678");
        if (_chunks.Length != Events)
        {
            throw new InvalidOperationException($"expected {Events} events, got {_chunks.Length}");
        }

        TranslateOnly();
        var plain = _output.WrittenSpan.ToArray();
        TranslateAndMaskOutput();
        if (!_output.WrittenSpan.EndsWith("data: [DONE]\n\n"u8) || _output.WrittenCount < plain.Length * 9 / 10)
        {
            throw new InvalidOperationException("the masked stream is not a complete OpenAI stream");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "OpenAI stream, no output masking (per chunk)")]
    public int TranslateOnly() => Run(null, null);

    [Benchmark(OperationsPerInvoke = Events, Description = "OpenAI stream + mask_output (per chunk)")]
    public int TranslateAndMaskOutput() => Run(_masker, null);

    [Benchmark(OperationsPerInvoke = Events, Description = "OpenAI stream + placeholders restored (per chunk)")]
    public int TranslateAndRestore() => Run(null, _placeholders);

    private int Run(PiiMasker? masker, PiiPlaceholders? placeholders)
    {
        _output.ResetWrittenCount();
        using var translator = new OpenAiResponseTranslator(requestedStream: true, clientWantsUsage: true);
        using var response = masker is null && placeholders is null ? null : new ResponseMasker(EndpointKind.ChatCompletions, masker, "tenant", placeholders);
        translator.OnHeaders(200, "text/event-stream", endOfStream: false);
        var chunks = _chunks;
        for (var i = 0; i < chunks.Length; i++)
        {
            var last = i == chunks.Length - 1;
            _translated.ResetWrittenCount();
            var translated = translator.OnBody(chunks[i], last, _translated);
            var client = translated ? _translated.WrittenSpan : chunks[i];
            if (response is null)
            {
                _output.Write(client);
            }
            else
            {
                response.MaskStream(client, last, _output);
            }
        }

        return _output.WrittenCount;
    }
}
