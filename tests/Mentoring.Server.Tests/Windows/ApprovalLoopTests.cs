using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mentoring.Core.Mail;
using Mentoring.Sqlite.Windows;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Windows;

/// <summary>The whole loop over HTTP on a real SQLite file: registrations, close, draft mail, decision links, intros.</summary>
public sealed partial class ApprovalLoopTests : IAsyncLifetime, IDisposable
{
    private static readonly string[] Departments = ["Sales", "Engineering", "Finance"];
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly MentoringServer server;

    public ApprovalLoopTests() => server = new MentoringServer(folder, clock) { ExtraServices = (_, services) => ClaimReadBarrierStore.Wrap(services) };

    public async Task InitializeAsync()
    {
        var program = Programs.Cohort().Replace("\"timeZone\": \"Europe/Berlin\",", "\"timeZone\": \"Europe/Berlin\", \"windows\": { \"reminderIntervalHours\": 48, \"remindersBeforeExpiry\": 2 },");
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(program))).StatusCode);
        for (var i = 0; i < 20; i++)
        {
            var body = new JsonObject
            {
                ["email"] = $"person{i:D2}@example.com",
                ["name"] = $"Person {i:D2}",
                ["consent"] = true,
                ["answers"] = new JsonObject { ["department"] = Departments[i % 3], ["level"] = $"{1 + (i % 5)}", ["goals"] = new JsonArray(i % 2 == 0 ? "SQL" : "Leadership") },
            };
            Assert.Equal(HttpStatusCode.Created, (await server.Public().PostAsync("/api/programs/spring/registrations", Http.Json(body.ToJsonString()))).StatusCode);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private IMailbox Mailbox => server.Services.GetRequiredService<IMailbox>();

    private Task<IReadOnlyList<StoredMail>> Mails(string? category = null) =>
        Mailbox.ListAsync(new MailboxQuery { ProgramId = "spring", Category = category, Limit = 1000 });

    private async Task<JsonNode> CloseNow()
    {
        var opened = await server.Admin().PostAsync("/api/programs/spring/windows", Http.Json("{}"));
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        return await opened.Body();
    }

    [GeneratedRegex("/api/decisions/[A-Za-z0-9_\\-\\.]+")]
    private static partial Regex DecisionLink();

    /// <summary>The decision links in the newest draft mail to this admin, in document order: approve, reject, re-run, forbid pair 1...</summary>
    private async Task<IReadOnlyList<string>> LinksFor(string admin, int version)
    {
        var mail = (await Mails(MailCategories.Draft)).Single(m => m.Message.To[0].Email == admin && m.Message.Subject.Contains($"v{version}", StringComparison.Ordinal));
        return [.. DecisionLink().Matches(mail.Message.HtmlBody).Select(m => m.Value).Distinct()];
    }

    private static string Link(IReadOnlyList<string> links, string action) =>
        links.First(l => l.Contains(action, StringComparison.Ordinal));

    private async Task<string> ActionOf(string link)
    {
        var page = await (await server.Public().GetAsync(link)).Content.ReadAsStringAsync();
        return page;
    }

    private Task<HttpResponseMessage> Post(string link, string? reason = null) =>
        server.Public().PostAsync(link, new FormUrlEncodedContent(reason is null ? [] : [KeyValuePair.Create("reason", reason)]));

    [Fact]
    public async Task Twenty_people_get_one_draft_mail_per_admin_and_intros_only_after_approval()
    {
        var window = await CloseNow();
        Assert.Equal("awaitingDecision", window["state"]!["phase"]!.GetValue<string>());
        Assert.Equal(10, window["currentDraft"]!["draft"]!["pairs"]!.AsArray().Count);

        var drafts = await Mails(MailCategories.Draft);
        Assert.Equal(["hr@example.com", "lead@example.com"], drafts.Select(m => m.Message.To.Single().Email).Order());
        Assert.Empty(await Mails(MailCategories.Intro));

        var links = await LinksFor("hr@example.com", 1);
        var approve = links[0];
        var before = await server.Admin().GetStringAsync($"/api/programs/spring/windows/{window["state"]!["windowId"]}");
        var page = await server.Public().GetAsync(approve);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Approve and send the intros", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await server.Public().SendAsync(new HttpRequestMessage(HttpMethod.Head, approve))).StatusCode);
        Assert.Equal(before, await server.Admin().GetStringAsync($"/api/programs/spring/windows/{window["state"]!["windowId"]}"));
        Assert.Empty(await Mails(MailCategories.Intro));

        var approved = await Post(approve);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        var intros = await Mails(MailCategories.Intro);
        Assert.Equal(20, intros.Count); // one per member of each of the 10 pairs
        Assert.All(intros, m => Assert.Single(m.Message.To));
        Assert.Equal(20, intros.SelectMany(m => m.Message.To).Select(t => t.Email).Distinct().Count());
        var state = await (await server.Admin().GetAsync($"/api/programs/spring/windows/{window["state"]!["windowId"]}")).Body();
        Assert.Equal("completed", state["state"]!["phase"]!.GetValue<string>());
        var participantMails = (await Mails()).Where(m => m.Message.To.Any(t => t.Email.StartsWith("person", StringComparison.Ordinal)));
        Assert.All(participantMails, m => Assert.Equal(MailCategories.Intro, m.Message.Category));
    }

    [Fact]
    public async Task The_same_link_posted_twice_and_a_second_admin_are_refused_without_a_second_effect()
    {
        await CloseNow();
        var hr = await LinksFor("hr@example.com", 1);
        var lead = await LinksFor("lead@example.com", 1);

        Assert.Equal(HttpStatusCode.OK, (await Post(hr[0])).StatusCode);
        var again = await Post(hr[0]);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode); // a retry of the same decision: recorded once
        var other = await Post(lead[1], "too many from Sales");
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        var text = await other.Content.ReadAsStringAsync();
        Assert.Contains("hr@example.com", text, StringComparison.Ordinal);
        Assert.Contains("Mon 1 Mar 2027, 10:00 (Europe/Berlin)", text, StringComparison.Ordinal); // the program's time zone, as in the mails
        Assert.Equal(20, (await Mails(MailCategories.Intro)).Count);
    }

    [Fact]
    public async Task Two_admins_deciding_at_the_same_instant_have_exactly_one_winner()
    {
        await CloseNow();
        var hr = await LinksFor("hr@example.com", 1);
        var lead = await LinksFor("lead@example.com", 1);
        server.Services.GetRequiredService<ClaimReadBarrierStore>().Arm(readers: 2); // both see "not decided yet"

        var both = await Task.WhenAll(Post(hr[0]), Post(lead[1], "too many from Sales"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], both.Select(r => r.StatusCode).Order());
    }

    [Fact]
    public async Task Forbidding_a_pair_yields_a_new_draft_without_it()
    {
        var window = await CloseNow();
        var firstPair = window["currentDraft"]!["draft"]!["pairs"]![0]!;
        var forbidden = new[] { firstPair["a"]!["id"]!.GetValue<string>(), firstPair["b"]!["id"]!.GetValue<string>() }.Order().ToList();
        var links = await LinksFor("hr@example.com", 1);
        var forbid = links[3]; // approve, reject, re-run, then one forbid link per pair in draft order

        Assert.Contains("Forbid this pair", await (await server.Public().GetAsync(forbid)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Post(forbid)).StatusCode);

        var v2 = await (await server.Admin().GetAsync($"/api/programs/spring/windows/{window["state"]!["windowId"]}")).Body();
        Assert.Equal(2, v2["state"]!["draftVersion"]!.GetValue<int>());
        Assert.DoesNotContain(v2["currentDraft"]!["draft"]!["pairs"]!.AsArray(), p =>
            new[] { p!["a"]!["id"]!.GetValue<string>(), p["b"]!["id"]!.GetValue<string>() }.Order().SequenceEqual(forbidden));
        Assert.Equal(2, (await Mails(MailCategories.Draft)).Count(m => m.Message.Subject.Contains("v2", StringComparison.Ordinal)));

        // v1's links are dead now; v2's approve link works.
        Assert.Equal(HttpStatusCode.Conflict, (await Post(links[0])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Post((await LinksFor("hr@example.com", 2))[0])).StatusCode);
        Assert.Equal(20, (await Mails(MailCategories.Intro)).Count);
    }

    [Fact]
    public async Task A_rejection_needs_a_reason()
    {
        await CloseNow();
        var reject = (await LinksFor("hr@example.com", 1))[1];
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(reject)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Post(reject, "Please mix levels more")).StatusCode);
    }

    [Fact]
    public async Task Without_a_decision_reminders_go_out_and_then_the_window_expires()
    {
        var window = await CloseNow();
        var runner = server.Services.GetRequiredService<SqliteWindowHost>();
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromHours(48));
            await runner.RunDueAsync();
        }
        Assert.Equal(4, (await Mails(MailCategories.Reminder)).Count); // two admins, two reminders
        var expiries = await Mails(MailCategories.Expiry);
        Assert.Equal(2, expiries.Count);
        Assert.All(expiries, m => Assert.Contains("Open the program dashboard: http", m.Message.TextBody, StringComparison.Ordinal));
        var state = await (await server.Admin().GetAsync($"/api/programs/spring/windows/{window["state"]!["windowId"]}")).Body();
        Assert.Equal("expired", state["state"]!["phase"]!.GetValue<string>());
        Assert.Empty(await Mails(MailCategories.Intro));
        Assert.Equal(HttpStatusCode.Conflict, (await Post((await LinksFor("hr@example.com", 1))[0])).StatusCode);
    }

    [Fact]
    public async Task Forged_and_expired_links_change_nothing()
    {
        await CloseNow();
        var approve = (await LinksFor("hr@example.com", 1))[0];
        var forged = approve[..^4] + (approve.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(forged)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Public().GetAsync("/api/decisions/not-a-token")).StatusCode);

        clock.Advance(TimeSpan.FromDays(15));
        Assert.Equal(HttpStatusCode.Gone, (await Post(approve)).StatusCode);
        Assert.Empty(await Mails(MailCategories.Intro));
    }
}
