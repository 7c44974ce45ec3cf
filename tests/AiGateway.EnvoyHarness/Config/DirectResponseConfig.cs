namespace AiGateway.EnvoyHarness.Config;

internal sealed record DirectResponseConfig(int Status, string Body);
