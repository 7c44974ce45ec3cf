namespace AiGateway.EnvoyHarness.Config;

/// <summary>A route <c>headers</c> entry: <c>string_match</c> or <c>present_match</c>, optionally inverted.</summary>
internal sealed record HeaderMatcherConfig(string Name, StringMatcherConfig? StringMatch, bool? PresentMatch, bool InvertMatch);
