using System.CommandLine;

namespace AiGateway.Cli.Commands;

/// <summary>The <c>aigw</c> command tree.</summary>
internal static class AigwCommand
{
    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Stream? input = null)
    {
        var root = Build(input ?? Console.OpenStandardInput(), output, error);
        // The host handles SIGTERM itself and drains in-flight streams; do not let the parser kill the process first.
        var configuration = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        return await root.Parse(args).InvokeAsync(configuration).ConfigureAwait(false);
    }

    internal static RootCommand Build(Stream input, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("aigw: the AiGateway services and operator tools for Envoy.");
        var serve = new Command("serve", "Run one of the gateway's services.")
        {
            ServeExtProcCommand.Build(output, error),
            ServeRateLimitCommand.Build(output, error),
        };
        root.Subcommands.Add(serve);
        root.Subcommands.Add(ValidateCommand.Build(output, error));
        root.Subcommands.Add(RenderCommand.Build(output, error));
        root.Subcommands.Add(TranslateCommand.Build(input, output, error));
        root.Subcommands.Add(CountTokensCommand.Build(input, output, error));
        return root;
    }
}
