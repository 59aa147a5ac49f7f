using System.Net;
using System.Text.RegularExpressions;
using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Engagement.Summaries;
using Mentoring.Core.Mail;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;
using Mentoring.Server.Tests.Dashboard;
using Mentoring.Server.Work;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Engagement.Summaries;

/// <summary>
/// The admins' weekly summary on the embedded server: real SQLite, the CheckIns timer's job, the work queue's dispatcher
/// and the outbox. The program is created on Monday 1 March 2027 (Europe/Berlin) and its draft approved at once.
/// </summary>
public sealed partial class ProgramSummaryTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new();
    private readonly MentoringServer server;

    public ProgramSummaryTests() => server = new MentoringServer(folder, clock);

    private IDocumentStore Store => server.Services.GetRequiredService<IDocumentStore>();

    public async Task InitializeAsync()
    {
        await server.SeedDraftAsync("spring", people: 4);
        var hr = server.Browser();
        await hr.GetAsync(await server.DashboardLinkFor("hr@example.com"));
        var draft = await hr.Html("/api/dashboard/programs/spring/draft");
        var window = WindowField().Match(draft).Groups[1].Value;
        var approved = await hr.PostForm("/api/dashboard/programs/spring/draft", ("__form", DashboardWeb.TokenIn(draft)), ("window", window), ("version", "1"), ("action", "approve"));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    [GeneratedRegex("name=\"window\" value=\"([^\"]+)\"")]
    private static partial Regex WindowField();

    [GeneratedRegex("/api/dashboard/sign-in/[A-Za-z0-9_\\-\\.]+\\?to=at-risk")]
    private static partial Regex AtRiskLink();

    private async Task<IReadOnlyList<StoredMail>> SummariesAsync() =>
        await server.Services.GetRequiredService<IMailbox>().ListAsync(new MailboxQuery { ProgramId = "spring", Category = ProgramSummaryMailCategories.Summary, Limit = 100 });

    private async Task RunCheckInTimerAsync()
    {
        await server.Services.GetRequiredService<ScheduledJobRunner>().RunNowAsync(CheckInJob.JobName);
        await server.Services.GetRequiredService<WorkDispatcher>().DispatchDueAsync();
    }

    [Fact]
    public async Task The_daily_timer_sends_each_admin_one_summary_a_week_with_the_figures_as_bar_cells_and_the_dashboard_link()
    {
        await RunCheckInTimerAsync();
        Assert.Empty(await SummariesAsync()); // the program did not exist in the week that ended before today

        clock.Advance(TimeSpan.FromDays(7)); // Monday 8 March
        await RunCheckInTimerAsync();
        await RunCheckInTimerAsync(); // a timer running twice sends nothing more
        clock.Advance(TimeSpan.FromDays(1));
        await RunCheckInTimerAsync(); // nor does Tuesday's run

        var mails = await SummariesAsync();
        Assert.Equal(["hr@example.com", "lead@example.com"], mails.Select(m => m.Message.To[0].Email).Order());
        var mail = mails[0].Message;
        Assert.Equal("[Spring buddies] Weekly summary: 1 Mar to 7 Mar 2027", mail.Subject);
        Assert.Contains("Active pairs: 2", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Matched: 4", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("bgcolor=\"#0969da\"", mail.HtmlBody, StringComparison.Ordinal); // bars Outlook draws
        Assert.Contains("No pair became at risk and nobody asked for help this week.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Open the program dashboard: http", mail.TextBody, StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromDays(6)); // Monday 15 March: the next week's summary
        await RunCheckInTimerAsync();
        Assert.Equal(4, (await SummariesAsync()).Count);
    }

    [Fact]
    public async Task The_summary_lists_pairs_newly_at_risk_and_who_asked_for_help_with_links_to_act_on_them()
    {
        var matches = (await Store.QueryAllAsync<PublishedMatch>("spring", WindowDocuments.MatchKind)).Select(m => m.Value).ToList();
        var (quiet, asking) = (matches[0], matches[1]);
        var start = clock.GetUtcNow(); // Monday 1 March, 09:00 UTC
        await Store.UpdateAsync<PublishedMatch>(CheckInDocuments.Match("spring", quiet.Id), m => m with { AtRiskSince = start.AddDays(3) });
        await Store.UpsertAsync(EngagementDocuments.CheckIn("spring", asking.Id, 1, asking.Members[0].ParticipantId), new CheckInRecord
        {
            ProgramId = "spring",
            MatchId = asking.Id,
            ParticipantId = asking.Members[0].ParticipantId,
            Round = 1,
            DueAt = start,
            Answer = CheckInAnswer.NeedHelp,
            AnsweredAt = start.AddDays(2),
            Note = "We cannot find a time",
        });
        clock.Advance(TimeSpan.FromDays(7));
        // The summary job alone: the CheckIns job would first clear a flag that its own rounds do not explain.
        var program = (await server.Services.GetRequiredService<ProgramCatalog>().GetAsync("spring")).Value;
        await server.Services.GetRequiredService<ProgramSummaryJob>().RunAsync(program, clock.GetUtcNow());
        await server.Services.GetRequiredService<WorkDispatcher>().DispatchDueAsync();

        var mail = (await SummariesAsync()).Single(m => m.Message.To[0].Email == "hr@example.com").Message;
        Assert.Contains("NEWLY AT RISK (1)", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("* " + string.Join(" and ", quiet.Members.Select(m => m.Name)), mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("ASKED FOR HELP (1)", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("What would help: \"We cannot find a time\"", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"mailto:{asking.Members[0].Email}", mail.HtmlBody, StringComparison.Ordinal);

        var browser = server.Browser();
        var landing = await browser.GetAsync(AtRiskLink().Match(mail.TextBody).Value);
        Assert.Equal("/api/dashboard/programs/spring/pairs?show=at-risk", landing.Headers.Location!.ToString());
        Assert.Contains(string.Join(" and ", quiet.Members.Select(m => m.Name)), await browser.Html("/api/dashboard/programs/spring/pairs?show=at-risk"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cohort_whose_pairs_all_ended_gets_one_last_summary_and_then_none()
    {
        var desk = server.Services.GetRequiredService<MatchDesk>();
        foreach (var match in await Store.QueryAllAsync<PublishedMatch>("spring", WindowDocuments.MatchKind))
        {
            await desk.EndAsync("spring", match.Value.Id, "programme over");
        }
        clock.Advance(TimeSpan.FromDays(7));
        await RunCheckInTimerAsync();
        Assert.Equal(2, (await SummariesAsync()).Count); // the week in which it ended

        clock.Advance(TimeSpan.FromDays(7));
        await RunCheckInTimerAsync();
        Assert.Equal(2, (await SummariesAsync()).Count);
    }
}
