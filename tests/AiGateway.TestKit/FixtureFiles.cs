namespace AiGateway.TestKit;

/// <summary>Finds fixture files and the repository root from a test's output folder.</summary>
public static class FixtureFiles
{
    /// <summary>The folder that holds AiGateway.ExtProc.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>A path under the test output's <c>Fixtures</c> folder.</summary>
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    /// <summary>Reads a fixture as text.</summary>
    public static string Text(params string[] parts) => File.ReadAllText(Path(parts));

    /// <summary>Reads a fixture as bytes.</summary>
    public static byte[] Bytes(params string[] parts) => File.ReadAllBytes(Path(parts));

    /// <summary>Names (without extension) of the files in a fixture folder that end with <paramref name="suffix"/>.</summary>
    public static IEnumerable<string> Cases(string folder, string suffix) =>
        Directory.EnumerateFiles(Path(folder), "*" + suffix)
            .Select(f => System.IO.Path.GetFileName(f)[..^suffix.Length])
            .Order(StringComparer.Ordinal);

    /// <summary>A path in the repository, e.g. <c>envoy/envoy.yaml</c>.</summary>
    public static string InRepository(string relative) => System.IO.Path.Combine(RepositoryRoot, relative);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "AiGateway.ExtProc.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("AiGateway.ExtProc.sln not found above " + AppContext.BaseDirectory);
    }
}
