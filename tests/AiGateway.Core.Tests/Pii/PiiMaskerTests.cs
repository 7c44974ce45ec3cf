using AiGateway.Core.Pii;

namespace AiGateway.Core.Tests.Pii;

public sealed class PiiMaskerTests
{
    private const string Text = "Mail john@example.com or call 090-1234-5678; card 4111 1111 1111 1111.";
    private static readonly byte[] Key = "test-key"u8.ToArray();

    private static PiiMasker Masker(PiiMode mode) =>
        new(new PiiDetector(PiiDetector.AllBuiltIn), PiiDetector.AllBuiltIn.ToDictionary(PiiDetector.LabelOf, _ => new PiiRule(mode, string.Empty)), Key);

    [Fact]
    public void Masks_each_entity_with_its_replacement_text()
    {
        var masker = new PiiMasker(new PiiDetector(PiiDetector.AllBuiltIn), new Dictionary<string, PiiRule> { ["email"] = new(PiiMode.Mask, "<e-mail>") }, Key);

        var result = masker.Mask(Text, "tenant", new PiiPlaceholders());

        Assert.Equal("Mail <e-mail> or call [PHONE]; card [CREDIT_CARD].", result.Text);
        Assert.Equal(1, result.Found["credit_card"]);
        Assert.Null(result.BlockedBy);
    }

    [Fact]
    public void Redacts_without_revealing_the_type()
    {
        Assert.Equal("Mail [REDACTED] or call [REDACTED]; card [REDACTED].", Masker(PiiMode.Redact).Mask(Text, "t", new()).Text);
    }

    [Fact]
    public void Hashes_equal_values_equally_within_a_tenant_and_differently_across_tenants()
    {
        var masker = Masker(PiiMode.Hash);

        var a = masker.Mask("john@example.com", "tenant-a", new()).Text;
        var again = masker.Mask("john@example.com", "tenant-a", new()).Text;
        var b = masker.Mask("john@example.com", "tenant-b", new()).Text;

        Assert.Matches(@"^\[EMAIL:[0-9a-f]{12}\]$", a);
        Assert.Equal(a, again);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Names_the_type_that_blocks_the_request()
    {
        Assert.Equal("email", Masker(PiiMode.Block).Mask(Text, "t", new()).BlockedBy);
    }

    [Fact]
    public void Restores_reversible_placeholders_in_the_response_of_the_same_request()
    {
        var placeholders = new PiiPlaceholders();

        var masked = Masker(PiiMode.Reversible).Mask(Text + " Again: john@example.com", "t", placeholders).Text;
        var restored = placeholders.Restore("I wrote to [EMAIL_1] and called [PHONE_1] [unrelated].");

        Assert.Equal("Mail [EMAIL_1] or call [PHONE_1]; card [CREDIT_CARD_1]. Again: [EMAIL_1]", masked);
        Assert.Equal("I wrote to john@example.com and called 090-1234-5678 [unrelated].", restored);
    }
}
