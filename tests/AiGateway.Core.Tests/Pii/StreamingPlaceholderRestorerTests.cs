using System.Text;
using AiGateway.Core.Pii;

namespace AiGateway.Core.Tests.Pii;

public sealed class StreamingPlaceholderRestorerTests
{
    [Fact]
    public void Restores_a_placeholder_split_into_two_pieces_at_every_offset()
    {
        var placeholders = new PiiPlaceholders();
        var answer = $"Mail {placeholders.Add("EMAIL", "john@example.com")} [not one] [EMAIL_2] [EM";
        for (var split = 0; split <= answer.Length; split++)
        {
            var restorer = new StreamingPlaceholderRestorer(placeholders, jsonText: false);
            var released = new StringBuilder();

            released.Append(restorer.Push(answer[..split]));
            Assert.DoesNotContain("[EMAIL_1", released.ToString(), StringComparison.Ordinal);
            released.Append(restorer.Push(answer[split..])).Append(restorer.Flush());

            Assert.Equal("Mail john@example.com [not one] [EMAIL_2] [EM", released.ToString());
        }
    }

    [Fact]
    public void Holds_only_a_tail_that_can_still_become_a_placeholder()
    {
        var placeholders = new PiiPlaceholders();
        placeholders.Add("EMAIL", "john@example.com");
        var restorer = new StreamingPlaceholderRestorer(placeholders, jsonText: false);

        Assert.Equal("a [PHONE", restorer.Push("a [PHONE"));
        Assert.Equal("b ", restorer.Push("b [EMA"));
        Assert.Equal("john@example.com!", restorer.Push("IL_1]!"));
    }

    [Fact]
    public void Escapes_restored_values_in_json_text()
    {
        var placeholders = new PiiPlaceholders();
        var name = placeholders.Add("NAME", "Jo \"JD\" Doe");
        var restorer = new StreamingPlaceholderRestorer(placeholders, jsonText: true);

        Assert.Equal("{\"to\":\"Jo \\\"JD\\\" Doe\"}", restorer.Push("{\"to\":\"" + name + "\"}"));
    }
}
