using System.Text;
using AiGateway.Core.Pii;

namespace AiGateway.Core.Tests.Pii;

public sealed class StreamingTextMaskerTests
{
    private const string Output = "Sure. Write to john.doe@example.com, call ０９０－１２３４－５６７８ or pay with 4111 1111 1111 1111 today.";

    private static PiiMasker Masker() =>
        new(new PiiDetector(PiiDetector.AllBuiltIn), new Dictionary<string, PiiRule>(), "k"u8.ToArray());

    [Fact]
    public void Never_releases_an_entity_split_across_two_pieces_at_any_offset()
    {
        var masker = Masker();
        var expected = masker.Mask(Output, "t", new PiiPlaceholders()).Text;
        for (var split = 0; split <= Output.Length; split++)
        {
            var stream = new StreamingTextMasker(masker, "t", new PiiPlaceholders(), holdBack: 32);
            var released = new StringBuilder();

            released.Append(stream.Push(Output[..split]));
            var afterFirst = released.ToString();
            released.Append(stream.Push(Output[split..])).Append(stream.Flush());

            Assert.Equal(expected, released.ToString());
            Assert.DoesNotContain("john", afterFirst, StringComparison.Ordinal);
            Assert.DoesNotContain("4111", afterFirst, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Masks_text_streamed_one_character_at_a_time()
    {
        var masker = Masker();
        var stream = new StreamingTextMasker(masker, "t", new PiiPlaceholders());
        var released = new StringBuilder();

        foreach (var c in Output)
        {
            released.Append(stream.Push(c.ToString()));
        }

        released.Append(stream.Flush());

        Assert.Equal(masker.Mask(Output, "t", new PiiPlaceholders()).Text, released.ToString());
    }
}
