using System.Text;
using System.Text.RegularExpressions;
using AiGateway.Core.Pii;

namespace AiGateway.Core.Configuration;

/// <summary>Rules for <c>security.data_masking</c>.</summary>
public static partial class GatewayConfigValidator
{
    private const string MaskingPath = "security.data_masking.pii_detection";

    private static DataMaskingSettings? ValidateDataMasking(Context context)
    {
        var masking = context.File.DataMasking;
        if (masking is null || masking.Enabled == false || masking.DetectionEnabled == false)
        {
            return null;
        }

        var labels = PiiDetector.AllBuiltIn.ToDictionary(PiiDetector.LabelOf, t => t, StringComparer.Ordinal);
        var builtIn = new List<PiiType>();
        if (masking.Detectors is null)
        {
            builtIn.AddRange(PiiDetector.AllBuiltIn);
        }
        else
        {
            for (var i = 0; i < masking.Detectors.Count; i++)
            {
                if (masking.Detectors[i] is { } name && labels.TryGetValue(name, out var type))
                {
                    builtIn.Add(type);
                }
                else if (masking.Detectors[i] is not null)
                {
                    context.Error($"{MaskingPath}.detectors[{i}]", $"unknown detector '{masking.Detectors[i]}'; expected one of: {string.Join(", ", labels.Keys.Order(StringComparer.Ordinal))}");
                }
            }
        }

        var defaultMode = PiiMode.Mask;
        if (masking.Mode is { } mode && !TryParseMode(mode, out defaultMode))
        {
            context.Error($"{MaskingPath}.mode", $"unknown mode '{mode}'; expected mask, redact, hash, block or reversible");
        }

        var rules = labels.Keys.ToDictionary(l => l, _ => new PiiRule(defaultMode, string.Empty), StringComparer.Ordinal);
        var custom = new List<(Regex, string)>();
        for (var i = 0; i < (masking.Patterns?.Count ?? 0); i++)
        {
            var p = masking.Patterns![i];
            var path = $"{MaskingPath}.patterns[{i}]";
            if (string.IsNullOrWhiteSpace(p.Type))
            {
                context.Require($"{path}.type", "is required: the name findings are counted and masked under, e.g. employee_id");
                continue;
            }

            if (string.IsNullOrEmpty(p.Regex))
            {
                context.Require($"{path}.regex", "is required: a .NET regular expression");
                continue;
            }

            try
            {
                custom.Add((new Regex(p.Regex, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(100)), p.Type));
                rules[p.Type] = new PiiRule(rules.GetValueOrDefault(p.Type)?.Mode ?? defaultMode, p.Replacement ?? string.Empty);
            }
            catch (ArgumentException e)
            {
                context.Error($"{path}.regex", $"not a valid regular expression: {e.Message}");
            }
        }

        foreach (var (label, name) in masking.Modes ?? [])
        {
            if (name is null)
            {
                continue;
            }

            if (!rules.TryGetValue(label, out var rule))
            {
                context.Error($"{MaskingPath}.modes.{label}", $"'{label}' is neither a built-in detector nor a pattern type");
            }
            else if (!TryParseMode(name, out var m))
            {
                context.Error($"{MaskingPath}.modes.{label}", $"unknown mode '{name}'; expected mask, redact, hash, block or reversible");
            }
            else
            {
                rules[label] = rule with { Mode = m };
            }
        }

        var key = masking.HashKey;
        if (rules.Values.Any(r => r.Mode == PiiMode.Hash) && string.IsNullOrEmpty(key))
        {
            context.Error($"{MaskingPath}.hash_key", "is required when a type uses mode hash: a secret, e.g. ${PII_HASH_KEY}");
        }

        var tenantHeader = masking.TenantHeader ?? DataMaskingSettings.DefaultTenantHeader;
        if (!TenantHeaderPattern().IsMatch(tenantHeader))
        {
            context.Error($"{MaskingPath}.tenant_header", $"'{tenantHeader}' is not an HTTP header name; expected e.g. x-tenant-id");
        }

        var masker = new PiiMasker(new PiiDetector(builtIn, custom), rules, Encoding.UTF8.GetBytes(key ?? string.Empty));
        return new DataMaskingSettings(masker, masking.MaskOutput ?? false, tenantHeader.ToLowerInvariant());
    }

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex TenantHeaderPattern();

    private static bool TryParseMode(string name, out PiiMode mode)
    {
        mode = name switch
        {
            "mask" => PiiMode.Mask,
            "redact" => PiiMode.Redact,
            "hash" => PiiMode.Hash,
            "block" => PiiMode.Block,
            "reversible" => PiiMode.Reversible,
            _ => (PiiMode)(-1),
        };
        return mode >= 0;
    }
}
