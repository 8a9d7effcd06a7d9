namespace LeadsPeer.Testing;

public static class RepositoryRoot
{
    /// <summary>The folder holding <c>LeadsPeer.sln</c>, found from the test's own output folder.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "LeadsPeer.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("LeadsPeer.sln not found above the test's output folder.");
    }
}
