namespace AiGateway.EnvoyHarness.Config;

internal sealed record ListenerConfig(
    string Name,
    string Address,
    int Port,
    long BufferLimitBytes,
    HttpConnectionManagerConfig ConnectionManager);
