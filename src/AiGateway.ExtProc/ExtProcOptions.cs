namespace AiGateway.ExtProc;

/// <summary>Settings of the ext_proc service.</summary>
public sealed class ExtProcOptions
{
    /// <summary>Request bodies larger than this get a 413. Match Envoy's buffer limit (envoy.yaml: 8 MiB).</summary>
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>gRPC max message size; must exceed the largest body Envoy may send (buffer limit plus headers).</summary>
    public int MaxGrpcMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Exchanges older than this are dropped even if Envoy never closed their stream.</summary>
    public TimeSpan ExchangeMaxAge { get; set; } = TimeSpan.FromMinutes(30);
}
