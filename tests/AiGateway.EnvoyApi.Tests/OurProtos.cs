using System.Reflection;
using Google.Protobuf.Reflection;

namespace AiGateway.EnvoyApi.Tests;

/// <summary>A field or enum value declared in our protos, as seen through the generated descriptors.</summary>
/// <param name="Scope">Full name of the containing message or enum.</param>
/// <param name="Name">Declared name.</param>
/// <param name="Number">Field number or enum value number.</param>
/// <param name="Type">Rendered type, in the same notation as the fixture; "enum_value" for enum values.</param>
/// <param name="Label">singular, repeated, map, oneof:NAME, or "-" for enum values.</param>
internal sealed record DeclaredMember(string Scope, string Name, int Number, string Type, string Label)
{
    public bool IsEnumValue => Type == "enum_value";

    public string Key => $"{Scope}.{Name}";

    public override string ToString() => $"{Scope} {Name} = {Number} ({Type}, {Label})";
}

/// <summary>Walks every file, message and enum that src/AiGateway.EnvoyApi compiled from /protos.</summary>
internal static class OurProtos
{
    /// <summary>
    /// The FileDescriptor of every generated *Reflection class in the EnvoyApi assembly, so a new
    /// .proto file is picked up without touching the tests.
    /// </summary>
    public static IReadOnlyList<FileDescriptor> Files { get; } = typeof(Envoy.Service.ExtProc.V3.ProcessingRequest).Assembly
        .GetTypes()
        .Where(t => t.IsClass && t.IsAbstract && t.IsSealed && t.Name.EndsWith("Reflection", StringComparison.Ordinal))
        .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
        .OfType<FileDescriptor>()
        .OrderBy(f => f.Name, StringComparer.Ordinal)
        .ToList();

    public static IEnumerable<MessageDescriptor> Messages =>
        Files.SelectMany(f => f.MessageTypes).SelectMany(WithNested).Where(m => !m.IsMapEntry);

    public static IEnumerable<EnumDescriptor> Enums =>
        Files.SelectMany(f => f.EnumTypes)
            .Concat(Files.SelectMany(f => f.MessageTypes).SelectMany(WithNested).SelectMany(m => m.EnumTypes));

    public static IEnumerable<ServiceDescriptor> Services => Files.SelectMany(f => f.Services);

    public static IReadOnlyList<DeclaredMember> Fields { get; } = Messages
        .SelectMany(m => m.Fields.InDeclarationOrder()
            .Select(f => new DeclaredMember(m.FullName, f.Name, f.FieldNumber, RenderType(f), RenderLabel(f))))
        .ToList();

    public static IReadOnlyList<DeclaredMember> EnumValues { get; } = Enums
        .SelectMany(e => e.Values.Select(v => new DeclaredMember(e.FullName, v.Name, v.Number, "enum_value", "-")))
        .ToList();

    public static IReadOnlyList<DeclaredMember> All { get; } = Fields.Concat(EnumValues).ToList();

    /// <summary>The reserved field numbers our proto declares for a message.</summary>
    public static IReadOnlySet<int> ReservedNumbers(MessageDescriptor message)
    {
        var reserved = new HashSet<int>();
        foreach (var range in message.ToProto().ReservedRange)
        {
            // DescriptorProto ranges are half-open: [start, end).
            for (var n = range.Start; n < range.End; n++)
            {
                reserved.Add(n);
            }
        }

        return reserved;
    }

    private static IEnumerable<MessageDescriptor> WithNested(MessageDescriptor message) =>
        new[] { message }.Concat(message.NestedTypes.SelectMany(WithNested));

    private static string RenderType(FieldDescriptor field)
    {
        if (field.IsMap)
        {
            var entry = field.MessageType;
            return $"map<{RenderType(entry.FindFieldByNumber(1))},{RenderType(entry.FindFieldByNumber(2))}>";
        }

        return field.FieldType switch
        {
            FieldType.Message => "message:" + field.MessageType.FullName,
            FieldType.Enum => "enum:" + field.EnumType.FullName,
            FieldType.Group => "group:" + field.MessageType.FullName,
            _ => field.FieldType.ToString().ToLowerInvariant(),
        };
    }

    private static string RenderLabel(FieldDescriptor field)
    {
        if (field.IsMap)
        {
            return "map";
        }

        if (field.IsRepeated)
        {
            return "repeated";
        }

        if (field.RealContainingOneof is { } oneof)
        {
            return "oneof:" + oneof.Name;
        }

        // proto3 "optional" would show up as a synthetic oneof; upstream never uses it in these files.
        return field.ContainingOneof is { IsSynthetic: true } ? "proto3-optional" : "singular";
    }
}
