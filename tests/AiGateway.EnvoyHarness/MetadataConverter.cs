using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;

namespace AiGateway.EnvoyHarness;

/// <summary>Protobuf metadata to plain .NET values for records: null, bool, double, string, lists and dictionaries.</summary>
internal static class MetadataConverter
{
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> ToDictionary(Metadata metadata) =>
        metadata.FilterMetadata.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, object?>)ToDictionary(p.Value), StringComparer.Ordinal);

    public static Dictionary<string, object?> ToDictionary(Struct value) =>
        value.Fields.ToDictionary(p => p.Key, p => ToObject(p.Value), StringComparer.Ordinal);

    private static object? ToObject(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.BoolValue => value.BoolValue,
        Value.KindOneofCase.NumberValue => value.NumberValue,
        Value.KindOneofCase.StringValue => value.StringValue,
        Value.KindOneofCase.StructValue => ToDictionary(value.StructValue),
        Value.KindOneofCase.ListValue => value.ListValue.Values.Select(ToObject).ToArray(),
        _ => null,
    };
}
