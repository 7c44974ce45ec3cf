namespace AiGateway.EnvoyApi.Tests;

/// <summary>
/// Checks every message and enum compiled from /protos against the table of upstream Envoy facts in
/// Fixtures/upstream-field-numbers.tsv. Field numbers, wire types and enum numbers are the whole wire
/// contract with a stock Envoy, so any difference here is a silent data-corruption bug.
/// </summary>
public sealed class ProtoFieldNumbersTests
{
    private static readonly Dictionary<string, string> ExpectedPackages = new(StringComparer.Ordinal)
    {
        ["envoy/config/core/v3/base.proto"] = "envoy.config.core.v3",
        ["envoy/extensions/common/ratelimit/v3/ratelimit.proto"] = "envoy.extensions.common.ratelimit.v3",
        ["envoy/extensions/filters/http/ext_proc/v3/processing_mode.proto"] = "envoy.extensions.filters.http.ext_proc.v3",
        ["envoy/service/ext_proc/v3/external_processor.proto"] = "envoy.service.ext_proc.v3",
        ["envoy/service/ratelimit/v3/rls.proto"] = "envoy.service.ratelimit.v3",
        ["envoy/type/v3/http_status.proto"] = "envoy.type.v3",
        ["envoy/type/v3/ratelimit_unit.proto"] = "envoy.type.v3",
    };

    private static IEnumerable<UpstreamRow> DeclaredRows => UpstreamTable.Rows.Where(r => r.Status == RowStatus.Declared);

    [Fact]
    public void Every_proto_file_is_found_and_uses_the_upstream_package_for_its_path()
    {
        var actual = OurProtos.Files.ToDictionary(f => f.Name, f => f.Package, StringComparer.Ordinal);

        Assert.Equal(ExpectedPackages.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_declared_field_and_enum_value_is_listed_in_the_upstream_table()
    {
        var declaredRows = DeclaredRows.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);

        var missing = OurProtos.All.Where(m => !declaredRows.Contains(m.Key)).ToList();

        Assert.True(
            missing.Count == 0,
            "Declared in /protos but not in the upstream table as 'declared' (check upstream, then add a row):\n  "
            + string.Join("\n  ", missing));
    }

    [Fact]
    public void Every_declared_field_matches_the_upstream_number()
    {
        var table = DeclaredRows.Where(r => r.IsField).ToDictionary(r => r.Key, StringComparer.Ordinal);

        var wrong = OurProtos.Fields
            .Where(f => table.TryGetValue(f.Key, out var row) && row.Number != f.Number)
            .Select(f => $"{f.Key}: ours {f.Number}, upstream {table[f.Key].Number} ({table[f.Key]})")
            .ToList();

        Assert.True(wrong.Count == 0, "Field numbers differ from upstream:\n  " + string.Join("\n  ", wrong));
    }

    [Fact]
    public void Every_declared_field_matches_the_upstream_type_and_label()
    {
        var table = DeclaredRows.Where(r => r.IsField).ToDictionary(r => r.Key, StringComparer.Ordinal);

        var wrong = OurProtos.Fields
            .Where(f => table.TryGetValue(f.Key, out var row) && (row.Type != f.Type || row.Label != f.Label))
            .Select(f => $"{f.Key}: ours {f.Type} {f.Label}, upstream {table[f.Key].Type} {table[f.Key].Label}")
            .ToList();

        Assert.True(wrong.Count == 0, "Field types or labels differ from upstream:\n  " + string.Join("\n  ", wrong));
    }

    [Fact]
    public void Every_declared_enum_value_matches_the_upstream_number()
    {
        var table = DeclaredRows.Where(r => r.IsEnumValue).ToDictionary(r => r.Key, StringComparer.Ordinal);

        var wrong = OurProtos.EnumValues
            .Where(v => table.TryGetValue(v.Key, out var row) && row.Number != v.Number)
            .Select(v => $"{v.Key}: ours {v.Number}, upstream {table[v.Key].Number}")
            .ToList();

        Assert.True(wrong.Count == 0, "Enum value numbers differ from upstream:\n  " + string.Join("\n  ", wrong));
    }

    [Fact]
    public void Every_row_marked_declared_exists_in_our_protos()
    {
        var ours = OurProtos.All.Select(m => m.Key).ToHashSet(StringComparer.Ordinal);

        var stale = DeclaredRows.Where(r => !ours.Contains(r.Key)).ToList();

        Assert.True(
            stale.Count == 0,
            "Rows marked 'declared' that /protos no longer declares (mark them 'omitted'):\n  " + string.Join("\n  ", stale));
    }

    [Fact]
    public void No_declared_field_or_enum_value_takes_a_number_or_name_upstream_uses_for_something_we_omit()
    {
        var ours = OurProtos.All.ToLookup(m => m.Scope, StringComparer.Ordinal);

        var clashes = new List<string>();
        foreach (var row in UpstreamTable.Rows.Where(r => r.Status != RowStatus.Declared))
        {
            foreach (var member in ours[row.Scope].Where(m => m.IsEnumValue == row.IsEnumValue || row.IsReserved))
            {
                if (member.Name == row.Name)
                {
                    clashes.Add($"{member} is declared but the table marks it '{row.Status}' ({row}); check it and mark the row 'declared'");
                }
                else if (member.Number == row.Number)
                {
                    clashes.Add($"{member} reuses number {row.Number}, which upstream gives to {row.UpstreamName ?? row.Name} ({row})");
                }
            }
        }

        Assert.True(clashes.Count == 0, string.Join("\n", clashes));
    }

    [Fact]
    public void Upstream_reserved_numbers_are_reserved_in_our_protos()
    {
        var messages = OurProtos.Messages.ToDictionary(m => m.FullName, StringComparer.Ordinal);

        var notReserved = UpstreamTable.Rows
            .Where(r => r.IsReserved)
            .Where(r => !messages.TryGetValue(r.Scope, out var message) || !OurProtos.ReservedNumbers(message).Contains(r.Number))
            .ToList();

        Assert.True(
            notReserved.Count == 0,
            "Upstream reserves these numbers but /protos does not ('reserved N;'):\n  " + string.Join("\n  ", notReserved));
    }

    [Fact]
    public void The_only_renamed_field_is_drop_body_for_upstream_clear_body()
    {
        var renamed = DeclaredRows.Where(r => r.UpstreamName is not null).Select(r => (r.Key, r.UpstreamName, r.Number)).ToList();

        var only = Assert.Single(renamed);
        Assert.Equal(("envoy.service.ext_proc.v3.BodyMutation.drop_body", "clear_body", 2), only);

        var field = Envoy.Service.ExtProc.V3.BodyMutation.Descriptor.FindFieldByName("drop_body");
        Assert.NotNull(field);
        Assert.Equal(2, field.FieldNumber);
        Assert.Equal("mutation", field.RealContainingOneof?.Name);
    }

    [Fact]
    public void The_upstream_table_has_no_duplicate_names_or_numbers_within_a_scope()
    {
        var duplicateNames = UpstreamTable.Rows
            .Where(r => !r.IsReserved)
            .GroupBy(r => r.Key, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => string.Join(" / ", g));

        var duplicateNumbers = UpstreamTable.Rows
            .GroupBy(r => (r.Scope, r.Number))
            .Where(g => g.Count() > 1)
            .Select(g => string.Join(" / ", g));

        var problems = duplicateNames.Concat(duplicateNumbers).ToList();
        Assert.True(problems.Count == 0, "Duplicate rows in " + UpstreamTable.FixturePath + ":\n  " + string.Join("\n  ", problems));
    }

    [Fact]
    public void Every_declared_message_and_enum_is_covered_by_the_upstream_table()
    {
        var scopes = UpstreamTable.Rows.Select(r => r.Scope).ToHashSet(StringComparer.Ordinal);

        var uncovered = OurProtos.Messages.Select(m => m.FullName)
            .Concat(OurProtos.Enums.Select(e => e.FullName))
            .Where(name => !scopes.Contains(name))
            .ToList();

        Assert.True(uncovered.Count == 0, "Messages or enums with no rows in the upstream table:\n  " + string.Join("\n  ", uncovered));
    }
}
