using System.CommandLine;
using AiGateway.ExtProc;
using AiGateway.ExtProc.Hosting;
using Microsoft.AspNetCore.Builder;

namespace AiGateway.Cli.Commands;

/// <summary><c>aigw serve extproc --config gateway.yaml [--listen 127.0.0.1:50051 | unix:/path.sock]</c>.</summary>
internal static class ServeExtProcCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var config = CommonOptions.Config();
        var listen = new Option<string>("--listen")
        {
            Description = "gRPC address: host:port or unix:/path.sock.",
            DefaultValueFactory = _ => "127.0.0.1:50051",
        };
        var admin = new Option<string>("--admin")
        {
            Description = "HTTP address of /healthz and /metrics, or 'off'.",
            DefaultValueFactory = _ => "0.0.0.0:9090",
        };
        var maxBody = new Option<long>("--max-request-body-bytes")
        {
            Description = "Largest request body accepted (413 above). Keep it at Envoy's buffer limit.",
            DefaultValueFactory = _ => new ExtProcOptions().MaxRequestBodyBytes,
        };
        var shutdown = new Option<int>("--shutdown-timeout-seconds")
        {
            Description = "How long in-flight requests may take to finish on SIGTERM.",
            DefaultValueFactory = _ => 30,
        };

        var command = new Command("extproc", "Run the Envoy external processor (gRPC envoy.service.ext_proc.v3).")
        {
            config, listen, admin, maxBody, shutdown,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!ListenAddress.TryParse(parse.GetValue(listen)!, out var grpcAddress, out var listenError))
            {
                await error.WriteLineAsync($"--listen: {listenError}").ConfigureAwait(false);
                return 2;
            }

            ListenAddress? adminAddress = null;
            var adminText = parse.GetValue(admin)!;
            if (!string.Equals(adminText, "off", StringComparison.Ordinal) && !ListenAddress.TryParse(adminText, out adminAddress, out var adminError))
            {
                await error.WriteLineAsync($"--admin: {adminError}").ConfigureAwait(false);
                return 2;
            }

            var path = parse.GetValue(config)!.FullName;
            var result = await ExtProcServer.CreateLoader(TimeProvider.System).LoadFileAsync(path, cancellationToken).ConfigureAwait(false);
            foreach (var finding in result.Findings)
            {
                await error.WriteLineAsync(finding.ToString()).ConfigureAwait(false);
            }

            if (!result.Succeeded)
            {
                await error.WriteLineAsync($"{path}: invalid configuration; not starting").ConfigureAwait(false);
                return 1;
            }

            var options = new ExtProcServerOptions
            {
                ConfigPath = path,
                Listen = grpcAddress,
                AdminListen = adminAddress,
                ShutdownTimeout = TimeSpan.FromSeconds(parse.GetValue(shutdown)),
                Service = new ExtProcOptions { MaxRequestBodyBytes = parse.GetValue(maxBody) },
            };
            await using var app = ExtProcServer.Build(options, result.Snapshot);
            await output.WriteLineAsync($"aigw extproc: gRPC on {grpcAddress}, admin on {adminAddress?.ToString() ?? "off"}").ConfigureAwait(false);
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
