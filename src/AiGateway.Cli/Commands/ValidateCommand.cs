using System.CommandLine;
using AiGateway.ExtProc.Hosting;
using AiGateway.RateLimit.Configuration;

namespace AiGateway.Cli.Commands;

/// <summary>
/// <c>aigw validate --config gateway.yaml</c>: exit 0, or every error with its YAML path and exit 1.
/// <c>aigw validate --ratelimit DIR</c> checks rate-limit service YAML the same way.
/// </summary>
internal static class ValidateCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var config = CommonOptions.Config();
        config.Required = false;
        var ratelimit = new Option<string>("--ratelimit") { Description = "A directory of envoyproxy/ratelimit YAML files (or one file) to check instead." };
        var command = new Command("validate", "Check gateway.yaml (or rate-limit YAML) and print every problem.") { config, ratelimit };
        command.Validators.Add(result =>
        {
            if (result.GetResult(config) is null && result.GetResult(ratelimit) is null)
            {
                result.AddError("Option '--config' or '--ratelimit' is required.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(ratelimit) is { } rateLimitPath)
            {
                return await ValidateRateLimitAsync(rateLimitPath, output, error).ConfigureAwait(false);
            }

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

    private static async Task<int> ValidateRateLimitAsync(string path, TextWriter output, TextWriter error)
    {
        var result = new RateLimitConfigLoader(RateLimitSettingsFlag("MERGE_DOMAIN_CONFIG")).LoadPath(path);
        if (!result.Succeeded)
        {
            foreach (var problem in result.Errors)
            {
                await error.WriteLineAsync(problem.ToString()).ConfigureAwait(false);
            }

            var count = result.Errors.Count;
            await error.WriteLineAsync($"{path}: invalid ({count} error{(count == 1 ? string.Empty : "s")})").ConfigureAwait(false);
            return 1;
        }

        await output.WriteLineAsync($"{path}: OK ({result.FileCount} files, {result.Config.Domains.Count()} domains, {result.Config.RuleCount} rules)").ConfigureAwait(false);
        return 0;
    }

    private static bool RateLimitSettingsFlag(string name) =>
        bool.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value;
}
