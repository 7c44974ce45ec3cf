using Envoy.Config.Core.V3;
using YamlDotNet.RepresentationModel;

namespace AiGateway.EnvoyHarness.Config;

/// <summary>Reads an <c>envoy.filters.http.header_mutation</c> typed_config.</summary>
internal static class HeaderMutationConfigReader
{
    public static HeaderMutationFilterConfig Read(YamlMappingNode? config, string path)
    {
        var mutations = config.Map("mutations");
        return new HeaderMutationFilterConfig(
            ReadList(mutations, "request_mutations", path),
            ReadList(mutations, "response_mutations", path));
    }

    private static List<HeaderMutationRuleConfig> ReadList(YamlMappingNode? mutations, string key, string path)
    {
        var list = new List<HeaderMutationRuleConfig>();
        foreach (var mutation in mutations.Maps(key))
        {
            if (mutation.Str("remove") is { } remove)
            {
                list.Add(new HeaderMutationRuleConfig(remove.ToLowerInvariant(), null, null, default, false));
                continue;
            }

            var append = mutation.Map("append") ?? throw new NotSupportedException($"{path}.mutations.{key}: only append and remove are supported.");
            var header = append.Map("header");
            var action = append.Str("append_action") is { } text
                ? Enum.Parse<HeaderValueOption.Types.HeaderAppendAction>(text.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true)
                : HeaderValueOption.Types.HeaderAppendAction.AppendIfExistsOrAdd;
            list.Add(new HeaderMutationRuleConfig(
                null,
                (header.Str("key") ?? throw new FormatException($"{path}.mutations.{key}: header.key is missing.")).ToLowerInvariant(),
                SubstitutionFormat.Parse(header.Str("value") ?? string.Empty),
                action,
                append.Bool("keep_empty_value")));
        }

        return list;
    }
}
