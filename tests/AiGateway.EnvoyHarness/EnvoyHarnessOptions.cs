namespace AiGateway.EnvoyHarness;

/// <summary>How to run an Envoy bootstrap inside the test process.</summary>
public sealed class EnvoyHarnessOptions
{
    /// <summary>Path of the Envoy bootstrap YAML to run.</summary>
    public required string EnvoyYamlPath { get; init; }

    /// <summary>
    /// Maps an endpoint address as written in the YAML ("host:port", e.g. "mock-provider:8080") to the address actually
    /// used: "127.0.0.1:port" (or "host:port") for TCP, "unix:/path.sock" for a Unix socket. Unmapped addresses are used as written.
    /// </summary>
    public IReadOnlyDictionary<string, string> AddressOverrides { get; init; } = new Dictionary<string, string>();

    /// <summary>Loopback port of the listener; null or 0 picks a free one (the YAML's port is not used).</summary>
    public int? ListenerPort { get; init; }

    /// <summary>Clock for message and route timeouts.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
