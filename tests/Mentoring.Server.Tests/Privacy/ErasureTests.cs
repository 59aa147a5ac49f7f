using System.Net;
using System.Text.Json.Nodes;
using Mentoring.Core.Common;
using Mentoring.Core.Engagement;
using Mentoring.Core.Persistence;
using Mentoring.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Privacy;

public sealed class ErasureTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder folder = new();
    private readonly MentoringServer server;
    private string anaId = "";

    public ErasureTests() => server = new MentoringServer(folder, new ManualClock());

    public async Task InitializeAsync()
    {
        var admin = server.Admin();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/programs", Http.Json(Programs.Cohort()))).StatusCode);
        foreach (var (name, department) in new[] { ("Anastasia", "Sales"), ("Bo", "Engineering"), ("Cy", "Finance"), ("Di", "Sales") })
        {
            var body = new JsonObject
            {
                ["email"] = $"{name.ToLowerInvariant()}@example.com", ["name"] = name, ["consent"] = true,
                ["answers"] = new JsonObject { ["department"] = department, ["level"] = "3", ["doNotMatch"] = new JsonArray("zed@example.com") },
            };
            var created = await (await server.Public().PostAsync("/api/programs/spring/registrations", Http.Json(body.ToJsonString()))).Body();
            if (name == "Anastasia")
            {
                anaId = created["id"]!.GetValue<string>();
            }
        }
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/programs/spring/windows", Http.Json("{}"))).StatusCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    /// <summary>Every stored document body, straight from the SQLite file.</summary>
    private string AllDocuments()
    {
        using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(body, '\n') FROM documents";
        return (string)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task Export_returns_the_participant_and_their_draft_pairing_data()
    {
        var export = await (await server.Admin().GetAsync($"/api/programs/spring/participants/{anaId}/export")).Body();
        Assert.Equal("anastasia@example.com", export["participant"]!["email"]!.GetValue<string>());
        Assert.NotNull(export["exportedAt"]);
    }

    [Fact]
    public async Task Erasure_removes_name_and_address_everywhere_keeps_aggregates_and_suppresses_mail()
    {
        Assert.Contains("anastasia@example.com", AllDocuments(), StringComparison.Ordinal);

        var response = await server.Admin().PostAsync($"/api/programs/spring/participants/{anaId}/erase", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var erased = await response.Body();
        Assert.Equal("(erased)", erased["name"]!.GetValue<string>());
        Assert.Equal("withdrawn", erased["status"]!.GetValue<string>());
        Assert.Equal("Sales", erased["answers"]!["department"]![0]!.GetValue<string>());
        Assert.Null(erased["answers"]!["doNotMatch"]);

        var documents = AllDocuments();
        Assert.DoesNotContain("anastasia@example.com", documents, StringComparison.Ordinal);
        Assert.DoesNotContain("Anastasia", documents, StringComparison.Ordinal);
        var store = server.Services.GetRequiredService<IDocumentStore>();
        Assert.NotNull(await store.ReadAsync<Suppression>(EngagementDocuments.Suppression(EmailAddress.Digest("anastasia@example.com"))));

        var again = await server.Public().PostAsync("/api/programs/spring/registrations",
            Http.Json("""{ "email": "anastasia@example.com", "name": "Anastasia", "consent": true, "answers": { "department": "Sales" } }"""));
        await again.Problem(409);
        Assert.Equal(HttpStatusCode.OK, (await server.Admin().PostAsync($"/api/programs/spring/participants/{anaId}/erase", null)).StatusCode);
    }

    [Fact]
    public async Task Erasing_an_unknown_participant_is_404()
    {
        await (await server.Admin().PostAsync("/api/programs/spring/participants/p_nobody/erase", null)).Problem(404);
    }
}
