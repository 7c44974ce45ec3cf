using System.Collections.Immutable;
using System.Text.RegularExpressions;
using AiGateway.Core.Pii.Detection;

namespace AiGateway.Core.Pii;

/// <summary>
/// Finds personal data in text: built-in detectors (a candidate pattern, then a checksum or number rule)
/// and user patterns. Overlapping findings keep the earliest, then the longest. Thread-safe; build once.
/// </summary>
/// <remarks>
/// The built-in patterns run only on the parts of the text that can hold one of their findings (see
/// <see cref="CandidateScanner"/>); user patterns run over the whole text, and only when configured.
/// </remarks>
public sealed class PiiDetector
{
    private readonly ImmutableArray<PiiType> _builtIn;
    private readonly ImmutableArray<(Regex Pattern, string Label)> _custom;

    // The built-in patterns to run, as bits, and in the order their findings are listed before overlaps are resolved.
    private readonly int _enabled;
    private readonly ImmutableArray<PiiPattern> _order;

    /// <summary>Creates a detector for the given built-in types and user patterns.</summary>
    public PiiDetector(IEnumerable<PiiType> builtIn, IEnumerable<(Regex Pattern, string Label)>? custom = null)
    {
        _builtIn = [.. builtIn.Distinct()];
        _custom = [.. custom ?? []];
        var order = ImmutableArray.CreateBuilder<PiiPattern>();
        foreach (var type in _builtIn)
        {
            foreach (var pattern in PiiPatterns.All)
            {
                if (PiiPatterns.TypeOf(pattern) == type)
                {
                    order.Add(pattern);
                    _enabled |= 1 << (int)pattern;
                }
            }
        }

        _order = order.ToImmutable();
    }

    /// <summary>Every built-in type.</summary>
    public static ImmutableArray<PiiType> AllBuiltIn { get; } =
        [PiiType.Email, PiiType.Phone, PiiType.Ssn, PiiType.CreditCard, PiiType.IpAddress, PiiType.Iban, PiiType.MyNumber];

    /// <summary>The canonical label of a built-in type (the YAML name).</summary>
    public static string LabelOf(PiiType type) => type switch
    {
        PiiType.Email => "email",
        PiiType.Phone => "phone",
        PiiType.Ssn => "ssn",
        PiiType.CreditCard => "credit_card",
        PiiType.IpAddress => "ip_address",
        PiiType.Iban => "iban",
        PiiType.MyNumber => "my_number",
        _ => "custom",
    };

    /// <summary>Finds every entity in <paramref name="text"/>, ordered, without overlaps.</summary>
    public List<PiiMatch> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<PiiMatch>();
        if (text.Length == 0)
        {
            return found;
        }

        List<PiiCandidate>? candidates = null;
        if (_enabled != 0)
        {
            CandidateScanner.Scan(text, _enabled, ref candidates);
        }

        if (candidates is not null)
        {
            // Pattern by pattern, in the order of the configured types, so ties resolve as they always have.
            found.EnsureCapacity(candidates.Count);
            foreach (var pattern in _order)
            {
                foreach (var candidate in candidates)
                {
                    if (candidate.Pattern == pattern)
                    {
                        var type = PiiPatterns.TypeOf(pattern);
                        found.Add(new PiiMatch(candidate.Start, candidate.Length, type, LabelOf(type)));
                    }
                }
            }
        }

        foreach (var (pattern, label) in _custom)
        {
            foreach (var m in pattern.EnumerateMatches(text))
            {
                if (m.Length > 0)
                {
                    found.Add(new PiiMatch(m.Index, m.Length, PiiType.Custom, label));
                }
            }
        }

        return RemoveOverlaps(found);
    }

    private static List<PiiMatch> RemoveOverlaps(List<PiiMatch> found)
    {
        if (found.Count < 2)
        {
            return found;
        }

        found.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var kept = new List<PiiMatch>(found.Count);
        var end = -1;
        foreach (var m in found)
        {
            if (m.Start >= end)
            {
                kept.Add(m);
                end = m.Start + m.Length;
            }
        }

        return kept;
    }
}
