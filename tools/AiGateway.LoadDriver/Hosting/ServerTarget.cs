namespace AiGateway.LoadDriver.Hosting;

/// <summary>Which ext_proc server a run measures.</summary>
internal enum ServerTarget
{
    /// <summary>The no-op baseline (this executable's <c>noop-server</c>).</summary>
    Noop,

    /// <summary>The built <c>aigw serve extproc</c>.</summary>
    Ours,
}
