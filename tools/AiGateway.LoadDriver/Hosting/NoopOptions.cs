namespace AiGateway.LoadDriver.Hosting;

/// <summary>Settings of the <c>noop-server</c>.</summary>
/// <param name="CloseEarly">End each stream with OK after the last message Envoy sends on it.</param>
internal sealed record NoopOptions(bool CloseEarly);
