using System.CommandLine;

namespace AiGateway.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo> Config() => new("--config", "-c")
    {
        Description = "Path of gateway.yaml.",
        Required = true,
    };
}
