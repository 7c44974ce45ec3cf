using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;

namespace AiGateway.ExtProc.Envoy;

/// <summary>Builds header mutations the way ext_proc reads them: values in <c>raw_value</c>, overwrite semantics.</summary>
internal sealed class MutationBuilder
{
    private readonly HeaderMutation _mutation = new();

    /// <summary>True when nothing was added.</summary>
    public bool IsEmpty => _mutation.SetHeaders.Count == 0 && _mutation.RemoveHeaders.Count == 0;

    /// <summary>Sets (replaces) a header.</summary>
    public MutationBuilder Set(string name, string value)
    {
        _mutation.SetHeaders.Add(new HeaderValueOption
        {
            Header = new HeaderValue { Key = name, RawValue = ByteString.CopyFromUtf8(value) },
        });
        return this;
    }

    /// <summary>Removes a header, unless this mutation also sets it (a set already replaces every value).</summary>
    public MutationBuilder Remove(string name)
    {
        foreach (var set in _mutation.SetHeaders)
        {
            if (string.Equals(set.Header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return this;
            }
        }

        if (!_mutation.RemoveHeaders.Contains(name))
        {
            _mutation.RemoveHeaders.Add(name);
        }

        return this;
    }

    /// <summary>Drops a pending removal (when a later step decides to set the header after all).</summary>
    public MutationBuilder Keep(string name)
    {
        _mutation.RemoveHeaders.Remove(name);
        return this;
    }

    /// <summary>The mutation message.</summary>
    public HeaderMutation Build() => _mutation;
}
