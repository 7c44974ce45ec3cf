using AiGateway.MockProvider.Hosting;

return await MockProviderCommandLine.RunAsync(args);
