using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mentoring.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests;

/// <summary>
/// The real server (real HTTP pipeline, real SQLite file in a temp folder) with a clock the test moves.
/// Dispose and create another over the same folder to simulate a restart.
/// </summary>
public sealed class MentoringServer : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";

    private readonly string? adminKeys;
    private readonly bool? outbox;

    /// <param name="outbox">null: the host's default; true: the /outbox pages on (Mentoring:Outbox:Enabled) with embedded mail; false: off.</param>
    public MentoringServer(TempFolder folder, ManualClock clock, string? adminKeys = AdminKey, bool? outbox = null)
    {
        Folder = folder;
        Clock = clock;
        this.adminKeys = adminKeys;
        this.outbox = outbox;
    }

    public TempFolder Folder { get; }
    public ManualClock Clock { get; }
    public string DatabasePath => Folder.File("mentoring.db");

    /// <summary>More configuration for this server, applied before it starts.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>More services for this server (test handlers, jobs), registered after the host's own.</summary>
    public Action<WebHostBuilderContext, IServiceCollection>? ExtraServices { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Mentoring:DatabasePath", DatabasePath);
        builder.UseSetting("Mentoring:AdminKeys", adminKeys ?? "");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
        });
        if (ExtraServices is { } extra)
        {
            builder.ConfigureServices(extra);
        }
        if (outbox is { } enabled)
        {
            builder.UseSetting("Mentoring:Outbox:Enabled", enabled ? "true" : "false");
        }
    }

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", AdminKey);
        return client;
    }

    public HttpClient Public() => CreateClient();

    /// <summary>
    /// Starts Kestrel on 127.0.0.1 with a port the OS picks and returns its address. The port comes through "urls", not
    /// UseKestrel(port), whose address rewrite races Kestrel's own bind in a minimal-hosting app (dotnet/aspnetcore#67714).
    /// </summary>
    public string StartOnFreePort()
    {
        Settings["urls"] = "http://127.0.0.1:0";
        UseKestrel();
        StartServer();
        return Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }
}

public static class Http
{
    public static StringContent Json(string json, string contentType = "application/json") =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue(contentType).MediaType!);

    public static async Task<JsonNode> Body(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    /// <summary>Asserts an RFC 7807 problem with this status and returns it.</summary>
    public static async Task<JsonNode> Problem(this HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        return problem;
    }

    public static IEnumerable<(string Field, string Rule)> Errors(this JsonNode problem) =>
        problem["errors"]!.AsArray().Select(e => (e!["field"]!.GetValue<string>(), e["rule"]!.GetValue<string>()));

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string url, object body) =>
        client.PostAsync(url, Json(JsonSerializer.Serialize(body)));
}
