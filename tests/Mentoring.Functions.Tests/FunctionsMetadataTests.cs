using System.Reflection;
using System.Text.Json.Nodes;
using Mentoring.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Functions.Tests;

/// <summary>
/// The <c>functions.metadata</c> the Functions SDK generates at build (what the Functions host indexes) against the
/// routes the embedded server really maps: same names, routes, methods and protection, plus the non-HTTP triggers.
/// A wrong binding (route, method, auth level, schedule setting, queue name) shows here, not only in a host run.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private sealed record ServerRoute(string Name, string Route, IReadOnlySet<string> Methods, bool Admin);

    private static readonly Lazy<JsonArray> Metadata = new(() => JsonNode.Parse(File.ReadAllText(MetadataPath()))!.AsArray());

    /// <summary>
    /// The file in the Functions project's own build output (same configuration and framework as this test), which the
    /// SDK regenerates on every build; the copy in this test's folder is not refreshed by incremental builds.
    /// </summary>
    private static string MetadataPath()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (output.Name, output.Parent!.Name);
        var root = output;
        while (!File.Exists(Path.Combine(root.FullName, "Mentoring.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("Mentoring.sln not found above " + AppContext.BaseDirectory);
        }
        return Path.Combine(root.FullName, "src", "Mentoring.Functions", "bin", configuration, framework, "functions.metadata");
    }

    /// <summary>Functions the embedded server has no /api route for, and why.</summary>
    private static readonly Dictionary<string, string> FunctionsOnly = new(StringComparer.Ordinal)
    {
        ["ReceiveMailEvents"] = "SendGrid's signed event webhook; the embedded server sends over SMTP",
        ["OpenApiDocument"] = "the server maps it with MapOpenApi; OpenApiParityTests compares the two documents",
    };

    private static IReadOnlyList<ServerRoute> ServerRoutes()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["Mentoring:SigningKeys"] = "k1:" + Convert.ToBase64String(new byte[32]);
        builder.Services.AddMentoringApi(builder.Configuration);
        var app = builder.Build();
        app.MapMentoringApi();
        return [.. ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().Select(e => new ServerRoute(
            e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? e.RoutePattern.RawText!,
            e.RoutePattern.RawText!.TrimStart('/'),
            e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => m.ToLowerInvariant()).ToHashSet(),
            e.Metadata.GetMetadata<ITagsMetadata>()?.Tags.Contains("Admin") == true))];
    }

    private static JsonObject Function(string name) =>
        Metadata.Value.Select(f => f!.AsObject()).SingleOrDefault(f => (string?)f["name"] == name)
        ?? throw new Xunit.Sdk.XunitException($"functions.metadata has no function '{name}'.");

    private static JsonObject Trigger(JsonObject function) =>
        function["bindings"]!.AsArray().Select(b => b!.AsObject()).Single(b => ((string)b["type"]!).EndsWith("Trigger", StringComparison.Ordinal));

    [Fact]
    public void The_server_routes_are_read_from_its_endpoints()
    {
        var routes = ServerRoutes();
        Assert.True(routes.Count >= 25, $"Read {routes.Count} routes.");
        Assert.Contains(routes, r => r is { Name: "OpenWindow", Route: "api/programs/{programId}/windows", Admin: true } && r.Methods.SetEquals(["post"]));
        Assert.Contains(routes, r => r is { Name: "ReviewDecision", Admin: false } && r.Methods.SetEquals(["get", "head"]));
    }

    [Fact]
    public void Every_server_route_is_a_function_with_the_same_name_route_methods_and_protection()
    {
        var differing = new List<string>();
        foreach (var route in ServerRoutes())
        {
            var trigger = Trigger(Function(route.Name));
            var methods = trigger["methods"]!.AsArray().Select(m => ((string)m!).ToLowerInvariant()).ToHashSet();
            var level = route.Admin ? "Function" : "Anonymous";
            if ((string?)trigger["type"] != "httpTrigger" || "api/" + (string?)trigger["route"] != route.Route
                || !methods.SetEquals(route.Methods) || (string?)trigger["authLevel"] != level)
            {
                differing.Add($"{route.Name}: server {string.Join(',', route.Methods)} {route.Route} {level}; functions {trigger.ToJsonString()}");
            }
        }
        Assert.True(differing.Count == 0, string.Join(Environment.NewLine, differing));
    }

    [Fact]
    public void Every_http_function_serves_a_server_route_or_is_known_to_be_functions_only()
    {
        var server = ServerRoutes().Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var http = Metadata.Value.Select(f => f!.AsObject()).Where(f => (string?)Trigger(f)["type"] == "httpTrigger").Select(f => (string)f["name"]!);

        Assert.DoesNotContain(http, name => !server.Contains(name) && !FunctionsOnly.ContainsKey(name));
        Assert.Equal("Anonymous", (string?)Trigger(Function("ReceiveMailEvents"))["authLevel"]); // its signature authenticates it
        var openApi = Trigger(Function("OpenApiDocument"));
        Assert.Equal(("openapi.json", "Anonymous"), ((string?)openApi["route"], (string?)openApi["authLevel"]));
    }

    [Fact]
    public void The_timers_read_their_schedules_from_app_settings()
    {
        Assert.Equal(("timerTrigger", "%Mentoring:Schedules:CheckIns%"), Binding(Trigger(Function("CheckInsTimer")), "schedule"));
        Assert.Equal(("timerTrigger", "%Mentoring:Schedules:SurveyReminders%"), Binding(Trigger(Function("SurveyRemindersTimer")), "schedule"));
    }

    [Fact]
    public void The_work_queue_trigger_reads_the_configured_queue()
    {
        Assert.Equal(("queueTrigger", "%Mentoring:Work:QueueName%"), Binding(Trigger(Function("HandleWorkItem")), "queueName"));
    }

    [Fact]
    public void The_window_orchestrator_and_its_activities_are_durable_triggers()
    {
        Assert.Equal("orchestrationTrigger", (string?)Trigger(Function("MatchingWindow"))["type"]);
        Assert.Equal("activityTrigger", (string?)Trigger(Function("RunWindowCommand"))["type"]);
        Assert.Equal("activityTrigger", (string?)Trigger(Function("StartMatchingWindow"))["type"]);
        foreach (var name in new[] { "OpenWindow", "ListWindows", "GetWindow", "CloseWindow", "CancelWindow", "ReviewDecision", "Decide", "StartMatchingWindow" })
        {
            Assert.Contains(Function(name)["bindings"]!.AsArray(), b => (string?)b!["type"] == "durableClient");
        }
    }

    [Fact]
    public void Every_entry_point_is_a_method_of_the_app()
    {
        var app = typeof(FunctionsHost).Assembly;
        var missing = Metadata.Value.Select(f => f!.AsObject())
            .Where(f => (string?)f["scriptFile"] != app.GetName().Name + ".dll" || !Resolves(app, (string)f["entryPoint"]!))
            .Select(f => $"{f["name"]}: {f["scriptFile"]} {f["entryPoint"]}").ToList();
        Assert.Empty(missing);
    }

    private static (string?, string?) Binding(JsonObject trigger, string property) => ((string?)trigger["type"], (string?)trigger[property]);

    private static bool Resolves(Assembly app, string entryPoint)
    {
        var dot = entryPoint.LastIndexOf('.');
        return app.GetType(entryPoint[..dot]) is { } type && type.GetMethods().Any(m => m.Name == entryPoint[(dot + 1)..] && m.GetCustomAttributes().Any(a => a.GetType().Name == "FunctionAttribute"));
    }
}
