using System.Reflection;
using System.Text.RegularExpressions;

namespace Mentoring.Deployment.Tests;

/// <summary>Files of this repository, read as text.</summary>
internal static class Repository
{
    public static string Root { get; } = Path.GetFullPath(
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!);

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Every Bicep file under infra/, path relative to the root and text.</summary>
    public static IReadOnlyList<(string Path, string Text)> Bicep() =>
        [.. Directory.EnumerateFiles(PathOf("infra"), "*.bicep", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(p => (Path.GetRelativePath(Root, p).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllText(p)))];

    /// <summary>Bicep text without // comments, so a check never passes on a comment.</summary>
    public static string Code(string bicep) => Regex.Replace(bicep, @"//[^\n]*", "");
}
