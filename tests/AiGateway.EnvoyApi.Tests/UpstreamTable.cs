using System.Globalization;

namespace AiGateway.EnvoyApi.Tests;

/// <summary>Whether a row of the upstream table is something our protos declare.</summary>
internal enum RowStatus
{
    /// <summary>We declare it; name, number, type and label must match.</summary>
    Declared,

    /// <summary>Upstream has it and we leave it out; we must not reuse its number or name.</summary>
    Omitted,

    /// <summary>Upstream reserves the number; we must reserve it too.</summary>
    Reserved,
}

/// <summary>One row of Fixtures/upstream-field-numbers.tsv.</summary>
/// <param name="Scope">Full name of the message (fields, reserved) or enum (values).</param>
/// <param name="Name">Our name; "-" for reserved numbers.</param>
/// <param name="Number">Field number or enum value number.</param>
/// <param name="Type">Rendered field type, "enum_value" or "reserved".</param>
/// <param name="Label">singular, repeated, map, oneof:NAME, or "-".</param>
/// <param name="UpstreamName">Upstream's name where it differs from ours, otherwise null.</param>
/// <param name="Status">Whether we declare it.</param>
/// <param name="LineNumber">1-based line in the fixture, for messages.</param>
internal sealed record UpstreamRow(
    string Scope,
    string Name,
    int Number,
    string Type,
    string Label,
    string? UpstreamName,
    RowStatus Status,
    int LineNumber)
{
    public bool IsEnumValue => Type == "enum_value";

    public bool IsReserved => Status == RowStatus.Reserved;

    public bool IsField => !IsEnumValue && !IsReserved;

    public string Key => $"{Scope}.{Name}";

    public override string ToString() =>
        $"line {LineNumber}: {Scope} {Name} = {Number} ({Type}, {Label}, {Status})";
}

/// <summary>Loads the table of upstream field numbers we wrote from Envoy's API definitions.</summary>
internal static class UpstreamTable
{
    public const string FixturePath = "Fixtures/upstream-field-numbers.tsv";

    private static readonly Lazy<IReadOnlyList<UpstreamRow>> Cached = new(Load);

    public static IReadOnlyList<UpstreamRow> Rows => Cached.Value;

    private static List<UpstreamRow> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, FixturePath);
        var rows = new List<UpstreamRow>();
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var cells = line.Split('\t');
            if (cells.Length != 7)
            {
                throw new FormatException($"{FixturePath} line {i + 1}: expected 7 tab-separated cells, got {cells.Length}: '{line}'");
            }

            if (!int.TryParse(cells[2], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                throw new FormatException($"{FixturePath} line {i + 1}: '{cells[2]}' is not a number");
            }

            var status = cells[6] switch
            {
                "declared" => RowStatus.Declared,
                "omitted" => RowStatus.Omitted,
                "reserved" => RowStatus.Reserved,
                _ => throw new FormatException($"{FixturePath} line {i + 1}: unknown status '{cells[6]}'"),
            };

            rows.Add(new UpstreamRow(
                Scope: cells[0],
                Name: cells[1],
                Number: number,
                Type: cells[3],
                Label: cells[4],
                UpstreamName: cells[5] == "-" ? null : cells[5],
                Status: status,
                LineNumber: i + 1));
        }

        return rows;
    }
}
