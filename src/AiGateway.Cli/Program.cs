using AiGateway.Cli.Commands;

return await AigwCommand.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
