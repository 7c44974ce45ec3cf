namespace AiGateway.EnvoyHarness.Http;

/// <summary>One data callback of a body; <see cref="EndOfStream"/> marks the last one (no trailers in the harness).</summary>
internal readonly record struct BodyChunk(ReadOnlyMemory<byte> Data, bool EndOfStream);
