using System.Text.Json.Serialization;

namespace AiGateway.LoadDriver;

/// <summary>JSON lines written by <c>--json</c>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(RunResult))]
internal sealed partial class ResultJsonContext : JsonSerializerContext;
