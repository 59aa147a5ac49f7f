using System.Text.RegularExpressions;

namespace Mentoring.Deployment.Tests;

/// <summary>The Functions app serves every /api route of the embedded server, with the same protection.</summary>
public sealed partial class RouteTests
{
    private sealed record Route(string Method, string Path, bool Admin);

    [GeneratedRegex("""(?<group>admin|open)\.Map(?<verb>Get|Post|Put|Delete|Patch|Methods)\(\s*"(?<path>[^"]+)"(?:\s*,\s*\[(?<methods>[^\]]*)\])?""")]
    private static partial Regex ServerMap();

    [GeneratedRegex("""\[HttpTrigger\(\s*AuthorizationLevel\.(?<level>\w+)\s*,\s*(?<methods>(?:"\w+"\s*,\s*)+)Route\s*=\s*"(?<route>[^"]+)"\s*\)\]""")]
    private static partial Regex FunctionTrigger();

    [GeneratedRegex("""(?<group>admin|open)\.Map(?<verb>Get|Post|Put|Delete|Patch|Methods)\(\s*"(?<path>[^"]+)"(?:\s*,\s*\[[^\]]*\])?\s*,\s*(?<handler>\w+Endpoints\.\w+)\)\s*\.WithName\("(?<name>\w+)"\)""")]
    private static partial Regex ServerHandler();

    [GeneratedRegex("""\[Function\("(?<name>\w+)"\)\][^\[]*\[HttpTrigger\([^\]]*Route\s*=\s*"(?<route>[^"]+)"\s*\)\](?:(?!\[Function\()[\s\S])*?ApiCall\.RunAsync\(\(\)\s*=>\s*(?<handler>\w+Endpoints\.\w+)\(""")]
    private static partial Regex FunctionHandler();

    private static IReadOnlyList<Route> ServerRoutes()
    {
        var source = Repository.Read("src/Mentoring.Api/MentoringApi.cs");
        Assert.Contains("MapGroup(\"/api\")", source, StringComparison.Ordinal);
        return [.. ServerMap().Matches(source).SelectMany(m =>
        {
            var methods = m.Groups["verb"].Value == "Methods"
                ? Regex.Matches(m.Groups["methods"].Value, @"HttpMethods\.(\w+)").Select(x => x.Groups[1].Value.ToUpperInvariant())
                : [m.Groups["verb"].Value.ToUpperInvariant()];
            return methods.Select(method => new Route(method, "/api" + m.Groups["path"].Value, m.Groups["group"].Value == "admin"));
        })];
    }

    private static IReadOnlyList<(Route Route, string Level)> FunctionRoutes() =>
        [.. Directory.EnumerateFiles(Repository.PathOf("src/Mentoring.Functions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => FunctionTrigger().Matches(File.ReadAllText(f)))
            .SelectMany(m => Regex.Matches(m.Groups["methods"].Value, "\"(\\w+)\"").Select(x =>
                (new Route(x.Groups[1].Value.ToUpperInvariant(), "/api/" + m.Groups["route"].Value, false), m.Groups["level"].Value)))];

    [Fact]
    public void The_sources_are_read_as_expected()
    {
        Assert.True(ServerRoutes().Count >= 18);
        Assert.Contains(new Route("HEAD", "/api/decisions/{token}", Admin: false), ServerRoutes());
        Assert.Contains(ServerRoutes(), r => r.Admin);
        Assert.Contains((new Route("POST", "/api/programs/{programId}/windows", false), "Function"), FunctionRoutes());
    }

    [Fact]
    public void Every_server_route_has_a_functions_http_trigger_with_the_same_method_and_template()
    {
        var functions = FunctionRoutes().Select(f => (f.Route.Method, f.Route.Path)).ToHashSet();

        var missing = ServerRoutes().Where(r => !functions.Contains((r.Method, r.Path))).Select(r => $"{r.Method} {r.Path}").ToList();

        Assert.True(missing.Count == 0, "No Functions trigger for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Admin_routes_need_a_function_key_and_public_routes_are_anonymous()
    {
        var levels = FunctionRoutes().ToLookup(f => (f.Route.Method, f.Route.Path), f => f.Level);

        foreach (var route in ServerRoutes())
        {
            var expected = route.Admin ? "Function" : "Anonymous";
            Assert.All(levels[(route.Method, route.Path)], level => Assert.True(level == expected,
                $"{route.Method} {route.Path} is {(route.Admin ? "admin" : "public")} on the server but {level} on Functions."));
        }
    }

    [Fact]
    public void No_route_is_served_by_two_functions()
    {
        var duplicates = FunctionRoutes().GroupBy(f => (f.Route.Method, f.Route.Path)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.Empty(duplicates);
    }

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

    [Fact]
    public void The_sendgrid_event_webhook_is_public_because_its_signature_authenticates_it()
    {
        Assert.Contains((new Route("POST", "/api/mail/events", false), "Anonymous"), FunctionRoutes());
    }
}
