using System.Text;
using System.Text.Json;
using AiGateway.Core.Upstreams.Credentials.Aws;
using AiGateway.TestKit;

namespace AiGateway.Core.Tests.Upstreams.Credentials.Aws;

public sealed class SigV4SignerTests
{
    private const string Root = "Upstreams/SigV4";

    public static TheoryData<string, string> SuiteCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in Directory.EnumerateDirectories(FixtureFiles.Path(Root)).Order(StringComparer.Ordinal))
        {
            foreach (var testCase in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(folder), Path.GetFileName(testCase));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SuiteCases))]
    public void Signs_the_published_test_vector(string suite, string name)
    {
        // Arrange
        var context = Context.Read(suite);
        var request = RawRequest.Parse(FixtureFiles.Text(Root, suite, name, name + ".req"));

        // Act
        var signature = SigV4Signer.Sign(
            request.Method, request.Target, request.Headers, Encoding.UTF8.GetBytes(request.Body),
            context.AccessKeyId, context.SecretAccessKey, context.Region, context.Service, context.Timestamp);

        // Assert
        if (File.Exists(FixtureFiles.Path(Root, suite, name, name + ".creq")))
        {
            Assert.Equal(FixtureFiles.Text(Root, suite, name, name + ".creq"), signature.CanonicalRequest);
        }

        if (File.Exists(FixtureFiles.Path(Root, suite, name, name + ".sts")))
        {
            Assert.Equal(FixtureFiles.Text(Root, suite, name, name + ".sts"), signature.StringToSign);
        }

        Assert.Equal(FixtureFiles.Text(Root, suite, name, name + ".authz"), signature.Authorization);
    }

    [Fact]
    public void Leaves_exactly_one_empty_line_between_the_headers_and_the_signed_header_list()
    {
        var canonical = SigV4Signer.CanonicalRequest("POST", "/model/m/converse", [new("Host", "h"), new("X-Amz-Date", "20240101T000000Z")], "{}"u8, out var signed);

        Assert.Equal("host;x-amz-date", signed);
        Assert.Contains("x-amz-date:20240101T000000Z\n\nhost;x-amz-date\n", canonical, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n\n", canonical, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/model/anthropic.claude-3-5-haiku-20241022-v1:0/converse", "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse")]
    [InlineData("/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse", "/model/anthropic.claude-3-5-haiku-20241022-v1%253A0/converse")]
    [InlineData("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fus.m/converse-stream", "/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A1%253Ainference-profile%252Fus.m/converse-stream")]
    public void Encodes_the_path_as_sent_once_more(string path, string canonicalUri)
    {
        var canonical = SigV4Signer.CanonicalRequest("POST", path, [new("host", "h")], default, out _);

        Assert.Equal(canonicalUri, canonical.Split('\n')[1]);
    }

    [Fact]
    public void Derives_the_signing_key_of_the_documentation_example()
    {
        // The worked example of AWS's "Examples of how to derive a signing key" page.
        var key = SigV4Signer.SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");

        Assert.Equal("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d", Convert.ToHexStringLower(key));
    }

    private sealed record Context(string AccessKeyId, string SecretAccessKey, string Region, string Service, DateTimeOffset Timestamp)
    {
        public static Context Read(string suite)
        {
            using var json = JsonDocument.Parse(FixtureFiles.Text(Root, suite, "context.json"));
            var root = json.RootElement;
            return new Context(
                root.GetProperty("access_key_id").GetString()!,
                root.GetProperty("secret_access_key").GetString()!,
                root.GetProperty("region").GetString()!,
                root.GetProperty("service").GetString()!,
                DateTimeOffset.Parse(root.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The suite's request format: request line, <c>Name:value</c> lines, an empty line, the body.</summary>
    private sealed record RawRequest(string Method, string Target, List<KeyValuePair<string, string>> Headers, string Body)
    {
        public static RawRequest Parse(string text)
        {
            var split = text.IndexOf("\n\n", StringComparison.Ordinal);
            var head = split < 0 ? text : text[..split];
            var body = split < 0 ? string.Empty : text[(split + 2)..];
            var lines = head.Split('\n');
            var method = lines[0][..lines[0].IndexOf(' ', StringComparison.Ordinal)];
            var target = lines[0][(method.Length + 1)..lines[0].LastIndexOf(" HTTP/", StringComparison.Ordinal)];
            var headers = lines.Skip(1)
                .Select(l => new KeyValuePair<string, string>(l[..l.IndexOf(':', StringComparison.Ordinal)], l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..]))
                .ToList();
            return new RawRequest(method, target, headers, body);
        }
    }
}
