using AiGateway.Core.Configuration;

namespace AiGateway.Core.Tests.Configuration;

public sealed class EnvironmentSubstitutionTests
{
    private static string? Lookup(string name) => name switch
    {
        "KEY" => "secret",
        "EMPTY" => string.Empty,
        _ => null,
    };

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("${KEY}", "secret")]
    [InlineData("Bearer ${KEY}!", "Bearer secret!")]
    [InlineData("${MISSING:-fallback}", "fallback")]
    [InlineData("${EMPTY:-fallback}", "fallback")]
    [InlineData("${MISSING:-}", "")]
    [InlineData("${KEY}-${KEY}", "secret-secret")]
    public void Expands_references(string input, string expected)
    {
        Assert.Equal(expected, EnvironmentSubstitution.Expand(input, Lookup, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("${MISSING}", "environment variable MISSING is not set (write ${MISSING:-default} to give a default)")]
    [InlineData("${KEY", "unterminated '${' (write ${NAME} or ${NAME:-default})")]
    [InlineData("${1BAD}", "'1BAD' is not a valid environment variable name")]
    public void Explains_why_a_reference_cannot_be_expanded(string input, string expected)
    {
        Assert.Null(EnvironmentSubstitution.Expand(input, Lookup, out var error));
        Assert.Equal(expected, error);
    }
}
