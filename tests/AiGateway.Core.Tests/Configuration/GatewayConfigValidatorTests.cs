using AiGateway.Core.Configuration;
using AiGateway.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace AiGateway.Core.Tests.Configuration;

/// <summary>One fixture per failure: <c>Invalid/&lt;case&gt;.yaml</c> and the exact findings in <c>&lt;case&gt;.expected.txt</c>.</summary>
public sealed class GatewayConfigValidatorTests
{
    public static TheoryData<string> InvalidCases() => [.. FixtureFiles.Cases(Path.Combine("Configuration", "Invalid"), ".expected.txt")];

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Rejects_invalid_configuration_and_reports_every_error_with_its_yaml_path(string name)
    {
        // Arrange
        var yaml = FixtureFiles.Text("Configuration", "Invalid", name + ".yaml");
        var expected = FixtureFiles.Text("Configuration", "Invalid", name + ".expected.txt").ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        var loader = new GatewayConfigLoader(s => s is ApiSchema.OpenAi or ApiSchema.OpenAiCompatible, _ => null, new FakeTimeProvider());

        // Act
        var result = loader.Load(yaml, name + ".yaml");

        // Assert
        Assert.False(result.Succeeded);
        Assert.Equal(expected, result.Findings.Select(f => f.ToString()));
    }

    [Fact]
    public void Rejects_text_that_is_not_yaml_with_the_line_of_the_problem()
    {
        var loader = new GatewayConfigLoader(_ => true, _ => null, new FakeTimeProvider());

        var result = loader.Load(FixtureFiles.Text("Configuration", "Invalid", "not-yaml.yaml"), "not-yaml.yaml");

        var error = Assert.Single(result.Findings);
        Assert.StartsWith("not-yaml.yaml:2: error: not valid YAML", error.ToString(), StringComparison.Ordinal);
    }
}
