using System.Net;
using System.Text.Json.Nodes;
using Mentoring.Testing;
using Microsoft.Data.Sqlite;

namespace Mentoring.Server.Tests;

public sealed class MatchPreviewApiTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder folder = new();
    private readonly MentoringServer server;
    private readonly List<string> ids = [];

    public MatchPreviewApiTests() => server = new MentoringServer(folder, new ManualClock());

    private static readonly (string Name, string Department, string Level, string[] Goals)[] People =
    [
        ("Ana", "Sales", "2", ["Negotiation", "SQL"]),
        ("Bo", "Engineering", "2", ["Negotiation", "SQL"]),
        ("Cy", "Finance", "4", ["Leadership"]),
        ("Di", "Sales", "4", ["Leadership", "Public speaking"]),
        ("Ed", "Engineering", "1", ["Public speaking"]),
    ];

    public async Task InitializeAsync()
    {
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(Programs.Cohort()))).StatusCode);
        foreach (var (name, department, level, goals) in People)
        {
            var body = new JsonObject
            {
                ["email"] = $"{name.ToLowerInvariant()}@example.com",
                ["name"] = name,
                ["consent"] = true,
                ["answers"] = new JsonObject { ["department"] = department, ["level"] = level, ["goals"] = new JsonArray([.. goals.Select(g => JsonValue.Create(g))]) },
            };
            var created = await (await server.Public().PostAsync("/api/programs/spring/registrations", Http.Json(body.ToJsonString()))).Body();
            ids.Add(created["id"]!.GetValue<string>());
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    /// <summary>Every document's key and ETag, read straight from the SQLite file.</summary>
    private string StoredDocuments()
    {
        using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(program_id || '/' || kind || '/' || id || '=' || etag, ';') FROM (SELECT * FROM documents ORDER BY 1, 2, 3)";
        return (string)command.ExecuteScalar()!;
    }

    private static IEnumerable<string> Everyone(JsonNode draft) =>
        draft["pairs"]!.AsArray().SelectMany(p => new[] { p!["a"]!["name"]!.GetValue<string>(), p["b"]!["name"]!.GetValue<string>() })
            .Concat(draft["trios"]!.AsArray().SelectMany(t => t!["members"]!.AsArray().Select(m => m!["name"]!.GetValue<string>())))
            .Concat(draft["waitlist"]!.AsArray().Select(w => w!["person"]!["name"]!.GetValue<string>()));

    [Fact]
    public async Task A_preview_places_everyone_explains_each_pair_and_proves_optimality()
    {
        var response = await server.Admin().PostAsync("/api/programs/spring/match-preview", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var draft = await response.Body();
        Assert.Equal(["Ana", "Bo", "Cy", "Di", "Ed"], Everyone(draft).Order());
        Assert.True(draft["certificate"]!["isOptimal"]!.GetValue<bool>());
        Assert.All(draft["pairs"]!.AsArray(), p => Assert.False(string.IsNullOrWhiteSpace(p!["sentence"]!.GetValue<string>())));
        Assert.Equal(5, draft["stats"]!["people"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_forbidden_pair_in_the_preview_is_not_proposed()
    {
        var first = await (await server.Admin().PostAsync("/api/programs/spring/match-preview", null)).Body();
        var pair = first["pairs"]!.AsArray()[0]!;
        var edits = new JsonObject
        {
            ["forbiddenPairs"] = new JsonArray(new JsonObject { ["a"] = pair["a"]!["id"]!.GetValue<string>(), ["b"] = pair["b"]!["id"]!.GetValue<string>() }),
        };

        var second = await (await server.Admin().PostAsync("/api/programs/spring/match-preview", Http.Json(edits.ToJsonString()))).Body();

        var forbidden = new[] { pair["a"]!["id"]!.GetValue<string>(), pair["b"]!["id"]!.GetValue<string>() }.Order().ToList();
        Assert.DoesNotContain(second["pairs"]!.AsArray(), p =>
            new[] { p!["a"]!["id"]!.GetValue<string>(), p["b"]!["id"]!.GetValue<string>() }.Order().SequenceEqual(forbidden));
    }

    [Fact]
    public async Task A_preview_saves_nothing()
    {
        var before = StoredDocuments();
        Assert.Equal(HttpStatusCode.OK, (await server.Admin().PostAsync("/api/programs/spring/match-preview", null)).StatusCode);
        Assert.Equal(before, StoredDocuments());
    }

    [Fact]
    public async Task A_preview_needs_the_admin_key_and_a_known_program()
    {
        await (await server.Public().PostAsync("/api/programs/spring/match-preview", null)).Problem(401);
        await (await server.Admin().PostAsync("/api/programs/nope/match-preview", null)).Problem(404);
        await (await server.Admin().PostAsync("/api/programs/spring/match-preview", Http.Json("""{ "forbidden": [] }"""))).Problem(400);
    }
}
