using BenchmarkDotNet.Running;

// Usage: dotnet run -c Release --project tests/AiGateway.Benchmarks -- --filter '*' --join --launchCount 1 --warmupCount 3 --iterationCount 10
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
