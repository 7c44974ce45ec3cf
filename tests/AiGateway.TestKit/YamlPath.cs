using YamlDotNet.RepresentationModel;

namespace AiGateway.TestKit;

/// <summary>Walks parsed YAML by keys and indexes, for assertions on rendered or shipped files.</summary>
public static class YamlPath
{
    /// <summary>Parses the first document of <paramref name="yaml"/>.</summary>
    public static YamlNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode;
    }

    /// <summary>The node at <paramref name="path"/>: strings are mapping keys, ints are list indexes.</summary>
    public static YamlNode Node(YamlNode node, params object[] path)
    {
        foreach (var step in path)
        {
            node = step switch
            {
                string key => ((YamlMappingNode)node).Children[new YamlScalarNode(key)],
                int index => ((YamlSequenceNode)node).Children[index],
                _ => throw new ArgumentException("a path step is a string key or an int index", nameof(path)),
            };
        }

        return node;
    }

    /// <summary>The list at <paramref name="path"/>.</summary>
    public static List<YamlNode> Seq(YamlNode node, params object[] path) => [.. ((YamlSequenceNode)Node(node, path)).Children];

    /// <summary>The scalar at <paramref name="path"/>.</summary>
    public static string? Scalar(YamlNode node, params object[] path) => ((YamlScalarNode)Node(node, path)).Value;

    /// <summary>The scalars of the list at <paramref name="path"/>.</summary>
    public static List<string> Strings(YamlNode node, params object[] path) =>
        Seq(node, path).Select(n => ((YamlScalarNode)n).Value ?? string.Empty).ToList();
}
