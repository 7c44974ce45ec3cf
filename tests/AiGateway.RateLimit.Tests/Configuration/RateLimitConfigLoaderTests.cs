using AiGateway.RateLimit.Configuration;
using AiGateway.TestKit;

namespace AiGateway.RateLimit.Tests.Configuration;

public sealed class RateLimitConfigLoaderTests
{
    public static TheoryData<string> InvalidCases()
    {
        var data = new TheoryData<string>();
        foreach (var name in FixtureFiles.Cases(Path.Combine("Config", "Invalid"), ".expected.txt"))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Rejects_each_invalid_config_with_the_reference_services_message(string name)
    {
        var folder = FixtureFiles.Path("Config", "Invalid");
        var path = Directory.Exists(Path.Combine(folder, name)) ? Path.Combine(folder, name) : Path.Combine(folder, name + ".yaml");
        var expected = File.ReadAllText(Path.Combine(folder, name + ".expected.txt")).TrimEnd('\n');

        var result = new RateLimitConfigLoader().LoadPath(path);

        Assert.False(result.Succeeded);
        Assert.Equal(expected, Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Loads_every_yaml_and_yml_file_of_a_directory()
    {
        var result = new RateLimitConfigLoader().LoadPath(FixtureFiles.Path("Config", "Valid", "every_key"));

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal(2, result.FileCount);
        Assert.Equal(["gateway", "other"], result.Config.Domains.Order(StringComparer.Ordinal));
        Assert.Equal(16, result.Config.RuleCount);
    }

    [Fact]
    public void Reports_errors_of_every_file_not_just_the_first()
    {
        var files = new[]
        {
            new RateLimitConfigFile("a.yaml", "domain: a\ndescriptors:\n  - key: k\n    rate_limit: { unit: fortnight }\n"),
            new RateLimitConfigFile("b.yaml", "domain: b\ndescriptors:\n  - key: ''\n"),
        };

        var result = new RateLimitConfigLoader().Load(files);

        Assert.Equal(["a.yaml: invalid rate limit unit 'fortnight'", "b.yaml: descriptor has empty key"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Merges_files_of_one_domain_when_asked()
    {
        var path = FixtureFiles.Path("Config", "Invalid", "duplicate_domain");

        var result = new RateLimitConfigLoader(mergeDomainConfigs: true).LoadPath(path);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal(2, result.Config.RuleCount);
    }

    [Fact]
    public void Rejects_a_duplicate_key_across_merged_files()
    {
        var text = "domain: d\ndescriptors:\n  - key: k\n    rate_limit: { unit: second, requests_per_unit: 1 }\n";

        var result = new RateLimitConfigLoader(mergeDomainConfigs: true).Load([new("one.yaml", text), new("two.yaml", text)]);

        Assert.Equal("two.yaml: duplicate descriptor composite key 'd.k'", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Accepts_an_empty_file_only_as_an_empty_domain_error()
    {
        var result = new RateLimitConfigLoader().Load([new("empty.yaml", string.Empty)]);

        Assert.Equal("empty.yaml: config file cannot have empty domain", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Accepts_free_form_metadata_without_checking_its_keys()
    {
        var text = "domain: d\ndescriptors:\n  - key: k\n    metadata: { anything: { goes: [1, two] } }\n    rate_limit: { unit: second, requests_per_unit: 1 }\n";

        var result = new RateLimitConfigLoader().Load([new("m.yaml", text)]);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
    }
}
