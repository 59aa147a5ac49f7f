using System.Net;
using System.Text.Json.Nodes;
using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Mail;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;
using Mentoring.Server.Work;
using Mentoring.Sqlite;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Dashboard;

/// <summary>The pairs, surveys and failed-work pages over HTTP, signed in from the draft mail's link.</summary>
public sealed class DashboardPagesTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new();
    private readonly MentoringServer server;
    private HttpClient hr = null!;

    public DashboardPagesTests() => server = new MentoringServer(folder, clock);

    private IDocumentStore Store => server.Services.GetRequiredService<IDocumentStore>();

    public async Task InitializeAsync()
    {
        await server.SeedDraftAsync("spring", people: 4);
        hr = server.Browser();
        await hr.GetAsync(await server.DashboardLinkFor("hr@example.com"));
        var draft = await hr.Html("/api/dashboard/programs/spring/draft");
        var window = System.Text.RegularExpressions.Regex.Match(draft, "name=\"window\" value=\"([^\"]+)\"").Groups[1].Value;
        var approved = await hr.PostForm("/api/dashboard/programs/spring/draft", ("__form", DashboardWeb.TokenIn(draft)), ("window", window), ("version", "1"), ("action", "approve"));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    [Fact]
    public async Task The_overview_of_an_admin_led_program_links_the_agenda_and_shows_no_user_led_figures()
    {
        var overview = await hr.Html("/api/dashboard/programs/spring");

        Assert.Contains("href=\"/api/dashboard/programs/spring/agenda\"", overview, StringComparison.Ordinal);
        Assert.DoesNotContain("User-led pairing", overview, StringComparison.Ordinal);
        Assert.DoesNotContain("report-csv/userled", overview, StringComparison.Ordinal);
        Assert.Contains("<h2>Week 1: ", await hr.Html("/api/dashboard/programs/spring/agenda"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_ends_a_pair_with_a_reason_and_the_pairs_page_shows_it_ended()
    {
        var match = (await Store.QueryAllAsync<PublishedMatch>("spring", WindowDocuments.MatchKind))[0].Value;
        var names = string.Join(" and ", match.Members.Select(m => m.Name));
        var page = await hr.Html("/api/dashboard/programs/spring/pairs");
        Assert.Contains(names, page, StringComparison.Ordinal);

        var refused = await hr.PostForm($"/api/dashboard/programs/spring/pairs/{match.Id}/end", ("reason", "moved teams"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode); // no form token
        var ended = await hr.PostForm($"/api/dashboard/programs/spring/pairs/{match.Id}/end", ("__form", DashboardWeb.TokenIn(page)), ("reason", "moved teams"));

        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        var stored = (await Store.ReadAsync<PublishedMatch>(new DocumentKey("spring", WindowDocuments.MatchKind, match.Id)))!.Value;
        Assert.Equal((MatchStatus.Ended, "moved teams"), (stored.Status, stored.EndReason));
        Assert.Contains("Ended: moved teams", await hr.Html("/api/dashboard/programs/spring/pairs?show=ended"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_sends_a_pair_its_open_check_in_again_and_a_second_click_the_same_day_sends_no_more()
    {
        var match = (await Store.QueryAllAsync<PublishedMatch>("spring", WindowDocuments.MatchKind))[0].Value;
        var nudge = $"/api/dashboard/programs/spring/pairs/{match.Id}/nudge";
        var early = await hr.Html("/api/dashboard/programs/spring/pairs");
        Assert.Contains("First check-in on", early, StringComparison.Ordinal);
        var none = await hr.PostForm(nudge, ("__form", DashboardWeb.TokenIn(early)));
        Assert.EndsWith("?done=no-round", none.Headers.Location!.ToString(), StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromDays(15)); // round 1 is open; the mail's link has expired, so the operator signs in
        await hr.SignInAsOperator();
        var page = await hr.Html("/api/dashboard/programs/spring/pairs");
        Assert.Contains("Send the round 1 check-in again now", page, StringComparison.Ordinal);
        foreach (var click in new[] { 1, 2 })
        {
            var sent = await hr.PostForm(nudge, ("__form", DashboardWeb.TokenIn(page)));
            Assert.EndsWith("?done=nudged", sent.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
        await server.Services.GetRequiredService<WorkDispatcher>().DispatchDueAsync();

        var mails = await server.Services.GetRequiredService<IMailbox>().ListAsync(new MailboxQuery { ProgramId = "spring", Category = CheckInMailCategories.CheckIn, Limit = 100 });
        var extra = mails.Where(m => m.Message.IdempotencyKey.StartsWith("checkin-now:", StringComparison.Ordinal)).Select(m => m.Message.To[0].Email).Order().ToList();
        Assert.Equal(match.Members.Select(m => m.Email).Order(), extra);
    }

    [Fact]
    public async Task Survey_comments_are_shown_without_names_unless_the_program_says_otherwise()
    {
        var match = (await Store.QueryAllAsync<PublishedMatch>("spring", WindowDocuments.MatchKind))[0].Value;
        var person = match.Members[0];
        await Store.CreateAsync(EngagementDocuments.Survey("spring", "mid", person.ParticipantId), new SurveyRecord
        {
            ProgramId = "spring",
            SurveyKey = "mid",
            ParticipantId = person.ParticipantId,
            SentAt = clock.GetUtcNow(),
            ClosesAt = clock.GetUtcNow().AddDays(14),
            RespondedAt = clock.GetUtcNow(),
            Answers = new Dictionary<string, string> { [SurveyDefinition.Comments] = "More time for the first meeting, please", ["satisfaction"] = "Very positive" },
        });

        var anonymous = await hr.Html("/api/dashboard/programs/spring/surveys");
        Assert.Contains("More time for the first meeting, please", anonymous, StringComparison.Ordinal);
        Assert.DoesNotContain(person.Name, anonymous[anonymous.IndexOf("<main", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("- anonymous</span>", anonymous, StringComparison.Ordinal); // no answer time either

        var admin = server.Admin();
        var current = await admin.GetAsync("/api/programs/spring");
        var definition = JsonNode.Parse(Programs.Cohort("spring"))!.AsObject();
        definition["engagement"] = new JsonObject { ["namedSurveyComments"] = true };
        var put = new HttpRequestMessage(HttpMethod.Put, "/api/programs/spring") { Content = Http.Json(definition.ToJsonString()) };
        put.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.ToString());
        var replaced = await admin.SendAsync(put);
        Assert.True(replaced.StatusCode == HttpStatusCode.OK, await replaced.Content.ReadAsStringAsync());
        Assert.Contains($"- {person.Name},", await hr.Html("/api/dashboard/programs/spring/surveys"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_work_item_is_listed_and_retried_from_the_dashboard()
    {
        var queue = server.Services.GetRequiredService<SqliteWorkQueue>();
        await queue.EnqueueAsync(new WorkItem { IdempotencyKey = "test:poison:1", Purpose = "no-such-purpose", ProgramId = "spring", DueAt = clock.GetUtcNow() });
        for (var i = 0; i < 12 && (await queue.ListPoisonAsync("spring")).Count == 0; i++)
        {
            foreach (var claim in await queue.ClaimDueAsync())
            {
                await queue.FailAsync(claim, "SMTP said no");
            }
            clock.Advance(TimeSpan.FromHours(2));
        }

        // Hours went by while it failed: the admin comes back through the mail's link (the session lasts two hours).
        await hr.GetAsync(await server.DashboardLinkFor("hr@example.com"));
        var page = await hr.Html("/api/dashboard/programs/spring/failed-work");
        Assert.Contains("no-such-purpose", page, StringComparison.Ordinal);
        var retried = await hr.PostForm("/api/dashboard/programs/spring/failed-work/retry", ("__form", DashboardWeb.TokenIn(page)), ("key", "test:poison:1"));

        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        Assert.Empty(await queue.ListPoisonAsync("spring"));
        Assert.Contains("Nothing failed.", await hr.Html("/api/dashboard/programs/spring/failed-work"), StringComparison.Ordinal);
    }
}
