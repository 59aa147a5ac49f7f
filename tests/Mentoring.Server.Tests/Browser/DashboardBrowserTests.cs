using System.Text.RegularExpressions;
using Mentoring.Core.Mail;
using Mentoring.Core.Persistence;
using Mentoring.Server.Tests.Dashboard;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Mentoring.Server.Tests.Browser;

/// <summary>
/// An admin walks the dashboard in headless Debian Chromium (Playwright), at a 390 px phone width and at 1280 px: from the
/// draft mail's dashboard link through the overview, participants and the draft, forbidding a pair, reading what changed,
/// and approving. Every page must fit the viewport and label every control. Screenshots go to the test output folder.
/// </summary>
public sealed partial class DashboardBrowserTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder folder = new();
    private readonly MentoringServer server;
    private readonly string baseUrl;
    private HeadlessChromium? chromium;

    public DashboardBrowserTests()
    {
        // The mail's links are followed by path, so the public URL does not matter.
        server = new MentoringServer(folder, new ManualClock(), outbox: true);
        baseUrl = server.StartOnFreePort();
    }

    public async Task InitializeAsync()
    {
        await server.SeedDraftAsync("spring", people: 6);
        chromium = await HeadlessChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (chromium is not null)
        {
            await chromium.DisposeAsync();
        }
    }

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    [Theory]
    [InlineData(390)]
    [InlineData(1280)]
    public async Task An_admin_opens_the_dashboard_from_the_draft_mail_forbids_a_pair_reads_what_changed_and_approves(int width)
    {
        var context = await chromium!.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 800 } });
        var page = await context.NewPageAsync();
        var link = await server.DashboardLinkFor("hr@example.com");

        await page.GotoAsync(baseUrl + link);
        Assert.Equal("Overview", await page.Locator("h1").InnerTextAsync());
        Assert.True(await page.Locator("svg[role=img] title").First.IsVisibleAsync() || await page.Locator("svg[role=img]").CountAsync() > 0);
        await CheckPage(page, width, "overview");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { NameRegex = new("Report workbook") }).ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        var saved = Path.Combine(AppContext.BaseDirectory, "screenshots", $"dashboard-{width}-report.xlsx");
        await download.SaveAsAsync(saved);
        using (var workbook = Engagement.Reports.Workbook.Open(await File.ReadAllBytesAsync(saved)))
        {
            Assert.Equal(["Program", "By department", "By level"], workbook.SheetNames);
        }

        // The agenda preview, linked from the overview: the built-in sessions of a peer cohort, week by week.
        await page.GetByRole(AriaRole.Link, new() { Name = "Session agenda", Exact = true }).ClickAsync();
        Assert.Equal("Session agenda", await page.Locator("h1").InnerTextAsync());
        var sessions = page.Locator("ol.sessions > li");
        Assert.True(await sessions.CountAsync() >= 3, "the built-in agenda has a session per stage");
        Assert.StartsWith("Week 1: ", await sessions.First.Locator("h2").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await sessions.First.Locator("li").CountAsync() >= 2, "a session has two to four prompts");
        Assert.Contains("built-in agenda", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await CheckPage(page, width, "agenda");

        await page.GetByRole(AriaRole.Link, new() { Name = "Participants", Exact = true }).ClickAsync();
        await page.GetByLabel("Search name, email or answer").FillAsync("Person 3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        Assert.Equal(1, await page.Locator("tbody tr").CountAsync());
        await CheckPage(page, width, "participants");
        await page.GetByRole(AriaRole.Link, new() { Name = "Person 3", Exact = true }).ClickAsync();
        Assert.Equal("Person 3", await page.Locator("h1").InnerTextAsync());
        await CheckPage(page, width, "participant");

        await page.GetByRole(AriaRole.Link, new() { Name = "Draft", Exact = true }).ClickAsync();
        Assert.Equal("Pair draft v1", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("No other set of pairs the rules allow scores higher.", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await CheckPage(page, width, "draft-v1");

        var forbid = page.GetByRole(AriaRole.Button, new() { NameRegex = ForbidButton() }).First;
        var forbidden = (await forbid.InnerTextAsync())["Forbid ".Length..];
        await forbid.ClickAsync();
        Assert.Equal("Pair draft v2", await page.Locator("h1").InnerTextAsync());
        var changes = await page.Locator("section.diff").InnerTextAsync();
        Assert.Contains($"{forbidden} was forbidden by hr@example.com", changes, StringComparison.Ordinal);
        Assert.Contains("No longer matched: " + forbidden, changes, StringComparison.Ordinal);
        Assert.DoesNotContain("Forbid " + forbidden, await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await CheckPage(page, width, "draft-v2");
        Assert.Empty(await Intros());

        await page.GetByRole(AriaRole.Button, new() { Name = "Approve and send the intros" }).ClickAsync();
        Assert.Contains("Approved", await page.Locator("[role=status]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(6, (await Intros()).Count); // one per member of the 3 pairs
        await CheckPage(page, width, "approved");

        await page.GetByRole(AriaRole.Link, new() { Name = "Pairs", Exact = true }).ClickAsync();
        await CheckPage(page, width, "pairs");
        var firstPair = page.Locator("article.card").First;
        var pairNames = await firstPair.Locator("h3").InnerTextAsync();
        await firstPair.GetByLabel("Reason for ending this pair").FillAsync("Moved to another site");
        await firstPair.GetByRole(AriaRole.Button, new() { Name = "End this pair" }).ClickAsync();
        Assert.Contains("ended", await page.Locator("[role=status]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(2, await page.Locator("article.card").CountAsync());
        await page.GotoAsync(baseUrl + "/api/dashboard/programs/spring/pairs?show=ended");
        Assert.Contains("Ended: Moved to another site", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(pairNames, await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);

        var store = server.Services.GetRequiredService<IDocumentStore>();
        var match = (await store.QueryAllAsync<Mentoring.Core.Windows.PublishedMatch>("spring", Mentoring.Core.Windows.WindowDocuments.MatchKind))[0].Value;
        await store.UpsertAsync(
            Mentoring.Core.Engagement.EngagementDocuments.Survey("spring", "mid", match.Members[0].ParticipantId), new Mentoring.Core.Engagement.SurveyRecord
            {
                ProgramId = "spring",
                SurveyKey = "mid",
                ParticipantId = match.Members[0].ParticipantId,
                SentAt = server.Clock.GetUtcNow(),
                ClosesAt = server.Clock.GetUtcNow().AddDays(14),
                RespondedAt = server.Clock.GetUtcNow(),
                Answers = new Dictionary<string, string> { ["comments"] = "Great to meet someone from another team", ["satisfaction"] = "Very positive" },
            });
        await page.GetByRole(AriaRole.Link, new() { Name = "Surveys", Exact = true }).ClickAsync();
        Assert.Contains("Great to meet someone from another team", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await CheckPage(page, width, "surveys");
        await page.GetByRole(AriaRole.Link, new() { Name = "Failed work", Exact = true }).ClickAsync();
        await CheckPage(page, width, "failed-work");
        await context.CloseAsync();
    }

    [GeneratedRegex("^Forbid ")]
    private static partial Regex ForbidButton();

    /// <summary>The page fits the viewport (nothing wider scrolls the page sideways), every control has a label; a screenshot is kept.</summary>
    private static async Task CheckPage(IPage page, int width, string name)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{name} at {width} px is {overflow} px wider than the viewport.");
        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input, select, textarea')]
                .filter(c => c.type !== 'hidden' && c.labels.length === 0 && !c.getAttribute('aria-label'))
                .map(c => c.outerHTML)
            """);
        Assert.True(unlabelled.Length == 0, $"{name}: controls without a label: {string.Join(" ", unlabelled)}");
        // A header cell (column or row header) never breaks a word across lines: a range over one word has one line box.
        var broken = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('main th')].flatMap(th => {
                const words = [];
                const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    for (const m of node.data.matchAll(/\S+/g)) {
                        const range = document.createRange();
                        range.setStart(node, m.index);
                        range.setEnd(node, m.index + m[0].length);
                        if (range.getClientRects().length > 1) words.push(m[0]);
                    }
                }
                return words;
            })
            """);
        Assert.True(broken.Length == 0, $"{name} at {width} px breaks these header words mid-word: {string.Join(", ", broken)}");
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"dashboard-{width}-{name}.png"), FullPage = true });
    }

    private Task<IReadOnlyList<StoredMail>> Intros() =>
        server.Services.GetRequiredService<IMailbox>().ListAsync(new MailboxQuery { ProgramId = "spring", Category = MailCategories.Intro });
}
