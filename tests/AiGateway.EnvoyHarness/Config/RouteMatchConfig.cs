using System.Text.RegularExpressions;

namespace AiGateway.EnvoyHarness.Config;

internal sealed record RouteMatchConfig(
    string? Prefix,
    string? Path,
    Regex? SafeRegex,
    IReadOnlyList<HeaderMatcherConfig> Headers);
