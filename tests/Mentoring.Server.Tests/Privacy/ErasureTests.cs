using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mentoring.Core.Common;
using Mentoring.Core.Engagement;
using Mentoring.Core.Mail;
using Mentoring.Core.Persistence;
using Mentoring.Core.Tests.Privacy;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Privacy;

/// <summary>
/// Export and erasure on the embedded server: after erasure no table of the SQLite file (documents, outbox, the window
/// runner's, the work queue's) holds the person's name or address, and the aggregates stay.
/// </summary>
public sealed partial class ErasureTests : IAsyncLifetime, IDisposable
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

    /// <summary>Every value of every row of every table, straight from the SQLite file.</summary>
    private string EverythingStored()
    {
        Assert.Contains("outbox", StoredRows.Tables(server.DatabasePath));
        return StoredRows.Everything(server.DatabasePath);
    }

    [GeneratedRegex("/api/decisions/[A-Za-z0-9_\\-\\.]+")]
    private static partial Regex DecisionLink();

    /// <summary>Approves draft v1 from the admins' mail: the intros go out, one naming Anastasia to her partner.</summary>
    private async Task ApproveAsync()
    {
        var mailbox = server.Services.GetRequiredService<IMailbox>();
        var draft = (await mailbox.ListAsync(new MailboxQuery { ProgramId = "spring", Category = MailCategories.Draft }))[0];
        var approve = DecisionLink().Match(draft.Message.HtmlBody).Value;
        Assert.Equal(HttpStatusCode.OK, (await server.Public().PostAsync(approve, new FormUrlEncodedContent([]))).StatusCode);
        Assert.Equal(4, (await mailbox.ListAsync(new MailboxQuery { ProgramId = "spring", Category = MailCategories.Intro })).Count);
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
        await ApproveAsync();
        var before = EverythingStored();
        Assert.Contains("anastasia@example.com", before, StringComparison.Ordinal);
        Assert.Contains("Anastasia", before, StringComparison.Ordinal);
        var mailbox = server.Services.GetRequiredService<IMailbox>();
        var partnerIntro = (await mailbox.ListAsync(new MailboxQuery { ProgramId = "spring", Category = MailCategories.Intro }))
            .Single(m => m.Message.To[0].Email != "anastasia@example.com" && m.Message.TextBody.Contains("Anastasia", StringComparison.Ordinal));

        var response = await server.Admin().PostAsync($"/api/programs/spring/participants/{anaId}/erase", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var erased = await response.Body();
        Assert.Equal("(erased)", erased["name"]!.GetValue<string>());
        Assert.Equal("withdrawn", erased["status"]!.GetValue<string>());
        Assert.Equal("Sales", erased["answers"]!["department"]![0]!.GetValue<string>());
        Assert.Null(erased["answers"]!["doNotMatch"]);

        var stored = EverythingStored();
        Assert.DoesNotContain("anastasia", stored, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("bo@example.com", stored, StringComparison.Ordinal); // the others' data stays
        // Her own mails are gone from the outbox; her partner's intro stays, with her name replaced.
        Assert.Empty(await mailbox.ListAsync(new MailboxQuery { Recipient = "anastasia@example.com" }));
        var scrubbed = (await mailbox.GetAsync(partnerIntro.Id))!.Message;
        Assert.Equal(partnerIntro.Message.To, scrubbed.To);
        Assert.Contains("(erased)", scrubbed.TextBody, StringComparison.Ordinal);
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
