namespace AiGateway.EnvoyHarness.Tests.Infrastructure;

/// <summary>A request the fake upstream received. Header names are lower-case; repeated headers are joined with ",".</summary>
public sealed record RecordedUpstreamRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
