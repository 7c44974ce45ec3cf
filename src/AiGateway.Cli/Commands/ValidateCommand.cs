using System.CommandLine;
using AiGateway.ExtProc.Hosting;

namespace AiGateway.Cli.Commands;

/// <summary><c>aigw validate --config gateway.yaml</c>: exit 0, or every error with its YAML path and exit 1.</summary>
internal static class ValidateCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var config = CommonOptions.Config();
        var command = new Command("validate", "Check gateway.yaml and print every problem with its YAML path.") { config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(config)!.FullName;
            var result = await ExtProcServer.CreateLoader(TimeProvider.System).LoadFileAsync(path, cancellationToken).ConfigureAwait(false);
            foreach (var finding in result.Findings)
            {
                await error.WriteLineAsync(finding.ToString()).ConfigureAwait(false);
            }

            if (!result.Succeeded)
            {
                var count = result.Errors.Count();
                await error.WriteLineAsync($"{path}: invalid ({count} error{(count == 1 ? string.Empty : "s")})").ConfigureAwait(false);
                return 1;
            }

            var snapshot = result.Snapshot;
            await output.WriteLineAsync($"{path}: OK ({snapshot.Providers.Length} providers, {snapshot.Models.Length} models, {snapshot.Warnings.Length} warnings)").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
