using AiGateway.LoadDriver.Cli;

return await DriverCommand.RunAsync(args).ConfigureAwait(false);
