using System.CommandLine;
using AiGateway.Core.Rendering;
using AiGateway.ExtProc.Hosting;

namespace AiGateway.Cli.Commands;

/// <summary>
/// <c>aigw render envoy --config gateway.yaml [-o envoy.yaml]</c>: the Envoy bootstrap for a gateway.yaml;
/// <c>aigw render ratelimit --config gateway.yaml [-o DIR/config.yaml]</c>: the rate-limit service's YAML for its
/// <c>rate_limiting</c> section, so Envoy's descriptors and the service's limits come from one file.
/// </summary>
internal static class RenderCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var config = CommonOptions.Config();
        var outputPath = new Option<FileInfo?>("--output", "-o") { Description = "Write here instead of standard output." };
        var extProc = new Option<string>("--extproc-address")
        {
            Description = "Where Envoy reaches aigw extproc: host:port or unix:/path.sock.",
            DefaultValueFactory = _ => new EnvoyRenderOptions().ExtProcAddress,
        };
        var port = new Option<int>("--listener-port")
        {
            Description = "The gateway's listener port.",
            DefaultValueFactory = _ => new EnvoyRenderOptions().ListenerPort,
        };
        var envoy = new Command("envoy", "Render the Envoy bootstrap (routes, clusters with provider priorities, ext_proc filters).")
        {
            config, outputPath, extProc, port,
        };
        envoy.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(config)!.FullName;
            var result = await ExtProcServer.CreateLoader(TimeProvider.System).LoadFileAsync(path, cancellationToken).ConfigureAwait(false);
            foreach (var finding in result.Findings)
            {
                await error.WriteLineAsync(finding.ToString()).ConfigureAwait(false);
            }

            if (!result.Succeeded)
            {
                return 1;
            }

            var address = parse.GetValue(extProc)!;
            if (!ListenAddress.TryParse(address, out _, out _) && !System.Text.RegularExpressions.Regex.IsMatch(address, "^[A-Za-z0-9.-]+:[0-9]{1,5}$"))
            {
                await error.WriteLineAsync($"--extproc-address: '{address}' is not host:port or unix:/path.sock").ConfigureAwait(false);
                return 2;
            }

            var yaml = EnvoyBootstrapRenderer.Render(result.Snapshot, new EnvoyRenderOptions { ExtProcAddress = address, ListenerPort = parse.GetValue(port) });
            if (parse.GetValue(outputPath) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, yaml, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await output.WriteAsync(yaml).ConfigureAwait(false);
            }

            return 0;
        });
        return new Command("render", "Render configuration for other components from gateway.yaml.") { envoy, BuildRateLimit(output, error) };
    }

    private static Command BuildRateLimit(TextWriter output, TextWriter error)
    {
        var config = CommonOptions.Config();
        var outputPath = new Option<FileInfo?>("--output", "-o") { Description = "Write here (e.g. envoy/ratelimit/config.yaml) instead of standard output." };
        var command = new Command("ratelimit", "Render the rate-limit service's YAML (aigw serve ratelimit, envoyproxy/ratelimit) from rate_limiting.")
        {
            config, outputPath,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var result = await ExtProcServer.CreateLoader(TimeProvider.System).LoadFileAsync(parse.GetValue(config)!.FullName, cancellationToken).ConfigureAwait(false);
            foreach (var finding in result.Findings)
            {
                await error.WriteLineAsync(finding.ToString()).ConfigureAwait(false);
            }

            if (!result.Succeeded)
            {
                return 1;
            }

            if (result.Snapshot.RateLimiting is not { } rateLimiting)
            {
                await error.WriteLineAsync($"{result.Snapshot.Source}: error: rate_limiting: is required to render the rate-limit service's configuration").ConfigureAwait(false);
                return 1;
            }

            var yaml = RateLimitServiceConfigRenderer.Render(rateLimiting);
            if (parse.GetValue(outputPath) is { } file)
            {
                file.Directory?.Create();
                await File.WriteAllTextAsync(file.FullName, yaml, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await output.WriteAsync(yaml).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }
}
