using Google.Protobuf.WellKnownTypes;

namespace AiGateway.ExtProc.Envoy;

/// <summary>Builds <c>dynamic_metadata</c>: top-level keys are namespaces, each a Struct Envoy merges key by key.</summary>
internal static class DynamicMetadataWriter
{
    /// <summary>The namespace our filters receive (see <c>receiving_namespaces</c> in envoy.yaml).</summary>
    public const string Namespace = "ai_gateway";

    /// <summary>Wraps <paramref name="fields"/> as namespace <see cref="Namespace"/>.</summary>
    public static Struct Build(Struct fields) => new()
    {
        Fields = { [Namespace] = Value.ForStruct(fields) },
    };
}
