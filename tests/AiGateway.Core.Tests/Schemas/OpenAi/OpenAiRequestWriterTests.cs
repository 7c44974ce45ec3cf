using System.Buffers;
using System.Text;
using AiGateway.Core.Schemas.OpenAi;

namespace AiGateway.Core.Tests.Schemas.OpenAi;

public sealed class OpenAiRequestWriterTests
{
    private static string Write(string json, string model, bool requestUsage)
    {
        var output = new ArrayBufferWriter<byte>();
        OpenAiRequestWriter.Write(Encoding.UTF8.GetBytes(json), model, requestUsage, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Removes_prefer_provider_and_copies_everything_else_byte_for_byte()
    {
        var json = """{"model":"gpt-4o","prefer_provider":"azure","messages":[{"role":"user","content":"h\u00e9llo \"q\""}],"temperature":0.70,"x_vendor":{"a":[1,2]}}""";

        var written = Write(json, "gpt-4o", requestUsage: false);

        Assert.Equal("""{"model":"gpt-4o","messages":[{"role":"user","content":"h\u00e9llo \"q\""}],"temperature":0.70,"x_vendor":{"a":[1,2]}}""", written);
    }

    [Fact]
    public void Replaces_the_model_name()
    {
        Assert.Equal("""{"model":"served-name","input":"x"}""", Write("""{"model":"alias","input":"x"}""", "served-name", false));
    }

    [Fact]
    public void Adds_include_usage_to_a_stream_without_stream_options()
    {
        Assert.Equal(
            """{"model":"m","stream":true,"stream_options":{"include_usage":true}}""",
            Write("""{"model":"m","stream":true}""", "m", requestUsage: true));
    }

    [Fact]
    public void Merges_include_usage_into_existing_stream_options()
    {
        Assert.Equal(
            """{"model":"m","stream":true,"stream_options":{"continuous_usage_stats":true,"include_usage":true},"n":1}""",
            Write("""{"model":"m","stream":true,"stream_options":{"include_usage":false,"continuous_usage_stats":true},"n":1}""", "m", requestUsage: true));
    }

    [Fact]
    public void Keeps_escaped_property_names()
    {
        Assert.Equal("""{"model":"m","a\"b":1}""", Write("""{"model":"m","a\"b":1}""", "m", false));
    }
}
