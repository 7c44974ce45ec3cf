namespace AiGateway.EnvoyHarness.Tests.Infrastructure;

/// <summary>Finds files of the repository by walking up from the test output folder to the solution folder.</summary>
public static class RepositoryFiles
{
    public static string Root
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "AiGateway.ExtProc.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new DirectoryNotFoundException("AiGateway.ExtProc.sln was not found above " + AppContext.BaseDirectory);
        }
    }

    public static string ShippedEnvoyYaml => Path.Combine(Root, "envoy", "envoy.yaml");
}
