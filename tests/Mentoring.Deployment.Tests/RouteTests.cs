using System.Text.RegularExpressions;

namespace Mentoring.Deployment.Tests;

/// <summary>
/// Each Functions trigger hands off to the same shared handler as the embedded server's route of the same name. Names,
/// routes, methods, protection and bindings are checked on the generated functions.metadata
/// (tests/Mentoring.Functions.Tests/FunctionsMetadataTests.cs); which handler a trigger calls is only visible in source.
/// </summary>
public sealed partial class RouteTests
{
    [GeneratedRegex("""(?<group>admin|open)\.Map(?<verb>Get|Post|Put|Delete|Patch|Methods)\(\s*"(?<path>[^"]+)"(?:\s*,\s*\[[^\]]*\])?\s*,\s*(?<handler>\w+Endpoints\.\w+)\)\s*\.WithName\("(?<name>\w+)"\)""")]
    private static partial Regex ServerHandler();

    [GeneratedRegex("""\[Function\("(?<name>\w+)"\)\][^\[]*\[HttpTrigger\([^\]]*Route\s*=\s*"(?<route>[^"]+)"\s*\)\](?:(?!\[Function\()[\s\S])*?ApiCall\.RunAsync\(\(\)\s*=>\s*(?<handler>\w+Endpoints\.\w+)\(""")]
    private static partial Regex FunctionHandler();

    [Fact]
    public void Every_functions_trigger_hands_off_to_the_handler_the_server_maps_under_the_same_name()
    {
        var server = ServerHandler().Matches(Repository.Read("src/Mentoring.Api/MentoringApi.cs"))
            .ToDictionary(m => m.Groups["name"].Value, m => ("/api" + m.Groups["path"].Value, m.Groups["handler"].Value), StringComparer.Ordinal);
        var functions = Directory.EnumerateFiles(Repository.PathOf("src/Mentoring.Functions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => FunctionHandler().Matches(File.ReadAllText(f)))
            .ToDictionary(m => m.Groups["name"].Value, m => ("/api/" + m.Groups["route"].Value, m.Groups["handler"].Value), StringComparer.Ordinal);

        Assert.True(server.Count >= 18, $"Read {server.Count} named server routes.");
        var differing = server.Where(s => !functions.TryGetValue(s.Key, out var f) || f != s.Value)
            .Select(s => $"{s.Key}: server {s.Value}, functions {(functions.TryGetValue(s.Key, out var f) ? f.ToString() : "none")}").ToList();
        Assert.True(differing.Count == 0, "Functions differing from the server: " + string.Join("; ", differing));
    }
}
