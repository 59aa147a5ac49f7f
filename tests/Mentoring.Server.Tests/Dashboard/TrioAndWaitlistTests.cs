using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mentoring.Core.Mail;
using Mentoring.Core.Windows;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Dashboard;

/// <summary>
/// Trios are edited like pairs (forbid a link, split the trio) and waitlisted people can be included, from the draft mail
/// and the dashboard alike: the same decider events, through DecisionDesk.
/// </summary>
public sealed partial class TrioAndWaitlistTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new();
    private readonly MentoringServer server;

    public TrioAndWaitlistTests() => server = new MentoringServer(folder, clock);

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    [GeneratedRegex("name=\"window\" value=\"([^\"]+)\"")]
    private static partial Regex WindowField();

    /// <summary>Five people in a cohort program: the odd one joins a pair as a trio (the default) or waits.</summary>
    private async Task SeedAsync(string oddCount)
    {
        var admin = server.Admin();
        var program = Programs.Cohort("spring").Replace("\"timeZone\": \"Europe/Berlin\",", $"\"timeZone\": \"Europe/Berlin\", \"matching\": {{ \"oddCount\": \"{oddCount}\" }},", StringComparison.Ordinal);
        var created = await admin.PostAsync("/api/programs", Http.Json(program));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        string[] departments = ["Sales", "Engineering", "Finance"];
        for (var i = 0; i < 5; i++)
        {
            var body = new JsonObject
            {
                ["email"] = $"person{i}@example.com",
                ["name"] = $"Person {i}",
                ["consent"] = true,
                ["answers"] = new JsonObject { ["department"] = departments[i % 3], ["level"] = $"{1 + (i % 5)}", ["goals"] = new JsonArray("SQL") },
            };
            Assert.Equal(HttpStatusCode.Created, (await server.Public().PostAsync("/api/programs/spring/registrations", Http.Json(body.ToJsonString()))).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/programs/spring/windows", Http.Json("{}"))).StatusCode);
    }

    private async Task<StoredMail> DraftMailAsync(int version) =>
        (await server.Services.GetRequiredService<IMailbox>().ListAsync(new MailboxQuery { ProgramId = "spring", Category = MailCategories.Draft, Limit = 100 }))
        .First(m => m.Message.To[0].Email == "hr@example.com" && m.Message.Subject.Contains($"v{version}", StringComparison.Ordinal));

    private async Task<WindowView> WindowAsync()
    {
        var desk = server.Services.GetRequiredService<WindowDesk>();
        var window = (await desk.ListAsync("spring"))[0];
        return await desk.GetAsync("spring", window.WindowId);
    }

    [Fact]
    public async Task A_trio_is_split_from_the_dashboard_and_the_draft_mail_offers_the_same_edits()
    {
        await SeedAsync("trio");
        var trio = (await WindowAsync()).CurrentDraft!.Draft.Trios.Single();
        var (a, b, third) = (trio.Members[0], trio.Members[1], trio.Members[2]);
        var mail = (await DraftMailAsync(1)).Message.TextBody;
        Assert.Contains($"Split: keep {a.Name} & {b.Name} as a pair, {third.Name} moves: http", mail, StringComparison.Ordinal);
        Assert.Contains($"Forbid {a.Name} & {third.Name} and re-draft: http", mail, StringComparison.Ordinal);
        Assert.Contains($"score {trio.MeanLinkScore.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} per link", mail, StringComparison.Ordinal);

        var hr = server.Browser();
        await hr.GetAsync(await server.DashboardLinkFor("hr@example.com"));
        var page = await hr.Html("/api/dashboard/programs/spring/draft");
        Assert.Contains($"Split: keep {a.Name} &amp; {b.Name}, {third.Name} moves", page, StringComparison.Ordinal);
        var split = await hr.PostForm("/api/dashboard/programs/spring/draft", ("__form", DashboardWeb.TokenIn(page)), ("window", WindowField().Match(page).Groups[1].Value),
            ("version", "1"), ("action", "pin"), ("a", a.Id), ("b", b.Id));
        Assert.Equal(HttpStatusCode.Redirect, split.StatusCode);

        var view = await WindowAsync();
        Assert.Equal(2, view.CurrentDraft!.Version);
        var kept = view.CurrentDraft.Draft.Pairs.Single(p => p.A.Id == a.Id || p.B.Id == a.Id);
        Assert.True(kept.Pinned && (kept.B.Id == b.Id || kept.A.Id == b.Id));
        Assert.Equal(DecisionAction.PinPair, view.State.Decisions.Single().Action);
    }

    [Fact]
    public async Task A_waitlisted_person_is_included_from_the_dashboard_and_the_next_draft_pairs_them()
    {
        await SeedAsync("waitlist");
        var waiting = (await WindowAsync()).CurrentDraft!.Draft.Waitlist.Single().Person;
        Assert.Contains($"Include {waiting.Name} and re-draft: http", (await DraftMailAsync(1)).Message.TextBody, StringComparison.Ordinal);

        var hr = server.Browser();
        await hr.GetAsync(await server.DashboardLinkFor("hr@example.com"));
        var page = await hr.Html("/api/dashboard/programs/spring/draft");
        var included = await hr.PostForm("/api/dashboard/programs/spring/draft", ("__form", DashboardWeb.TokenIn(page)), ("window", WindowField().Match(page).Groups[1].Value),
            ("version", "1"), ("action", "include"), ("participant", waiting.Id));
        Assert.Equal(HttpStatusCode.Redirect, included.StatusCode);

        var view = await WindowAsync();
        Assert.Equal(2, view.CurrentDraft!.Version);
        Assert.DoesNotContain(view.CurrentDraft.Draft.Waitlist, w => w.Person.Id == waiting.Id);
        Assert.Contains(view.CurrentDraft.Draft.Pairs, p => p.A.Id == waiting.Id || p.B.Id == waiting.Id);
        Assert.Equal((DecisionAction.IncludeParticipant, waiting.Id), (view.State.Decisions.Single().Action, view.State.Decisions.Single().ParticipantId));
    }
}
