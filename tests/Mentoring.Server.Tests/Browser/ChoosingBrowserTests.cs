using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mentoring.Core.Choosing;
using Mentoring.Core.Mail;
using Mentoring.Server.Tests.Dashboard;
using Mentoring.Sqlite.Windows;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Mentoring.Server.Tests.Browser;

/// <summary>
/// User-led pairing on a phone: a participant picks a partner from their suggestions at 390 px, the other accepts, and the
/// pair is in the draft the engine makes at the deadline; the admin approves on the phone and the overview says how the
/// pairs formed. Headless Debian Chromium against Kestrel on 127.0.0.1.
/// </summary>
public sealed partial class ChoosingBrowserTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly MentoringServer server;
    private readonly string baseUrl;
    private HeadlessChromium? chromium;

    public ChoosingBrowserTests()
    {
        // Kestrel on a port the OS picks; the mails' links are followed by path, so the public URL does not matter.
        server = new MentoringServer(folder, clock);
        baseUrl = server.StartOnFreePort();
    }

    [GeneratedRegex("/api/(choose|pair-requests)/[A-Za-z0-9_\\-\\.]+")]
    private static partial Regex Link();

    public async Task InitializeAsync()
    {
        var program = JsonNode.Parse(Programs.Cohort())!.AsObject();
        program["choosing"] = JsonNode.Parse("""{ "mode": "userLed", "suggestions": 3, "maxPicks": 2, "choosingDays": 2 }""");
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(program.ToJsonString()))).StatusCode);
        foreach (var (name, department) in new[] { ("Ana", "Sales"), ("Bo", "Engineering"), ("Cy", "Finance"), ("Di", "Sales") })
        {
            var body = new JsonObject { ["email"] = $"{name.ToLowerInvariant()}@example.com", ["name"] = name, ["consent"] = true, ["answers"] = new JsonObject { ["department"] = department } };
            Assert.Equal(HttpStatusCode.Created, (await server.Public().PostAsync("/api/programs/spring/registrations", Http.Json(body.ToJsonString()))).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs/spring/windows", Http.Json("{}"))).StatusCode);
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

    private async Task<string> LinkFor(string email, string path) =>
        (await server.Services.GetRequiredService<IMailbox>().ListAsync(new MailboxQuery { ProgramId = "spring", Category = ChoosingMail.Category, Recipient = email }))
            .SelectMany(m => Link().Matches(m.Message.HtmlBody)).Select(m => m.Value).First(l => l.StartsWith(path, StringComparison.Ordinal));

    private static async Task AssertFitsTheScreen(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 390 px");

    [Fact]
    public async Task A_participant_picks_a_partner_on_a_phone_the_other_accepts_and_the_pair_is_in_the_draft()
    {
        var context = await chromium!.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 800 } });
        var page = await context.NewPageAsync();

        await page.GotoAsync(baseUrl + await LinkFor("ana@example.com", ChoosingLinks.ChoosePath));
        Assert.Equal("Choose your partner", await page.Locator("h1").InnerTextAsync());
        await AssertFitsTheScreen(page);
        await page.GetByLabel("First choice").SelectOptionAsync(new SelectOptionValue { Label = "Bo" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my choice" }).ClickAsync();
        // The form posts to its own URL: wait for the answer page's heading, not for a load event that may already have passed.
        await page.Locator("h1", new() { HasText = "Done" }).WaitForAsync();
        Assert.Contains("you picked Bo", await page.Locator("#message").InnerTextAsync(), StringComparison.Ordinal);

        await page.GotoAsync(baseUrl + await LinkFor("bo@example.com", ChoosingLinks.RequestPath));
        Assert.Equal("Ana would like to pair with you", await page.Locator("h1").InnerTextAsync());
        await AssertFitsTheScreen(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        // The form posts to its own URL: wait for the answer page's heading, not for a load event that may already have passed.
        await page.Locator("h1", new() { HasText = "Done" }).WaitForAsync();

        clock.Advance(TimeSpan.FromDays(2.01));
        await server.Services.GetRequiredService<SqliteWindowHost>().RunDueAsync();
        var windows = await (await server.Admin().GetAsync("/api/programs/spring/windows")).Body();
        var window = await (await server.Admin().GetAsync($"/api/programs/spring/windows/{windows[0]!["windowId"]}")).Body();
        var pairs = window["currentDraft"]!["draft"]!["pairs"]!.AsArray();
        Assert.Contains(pairs, p => new[] { p!["a"]!["name"]!.GetValue<string>(), p["b"]!["name"]!.GetValue<string>() }.Order().SequenceEqual(["Ana", "Bo"]));
        Assert.Equal(2, pairs.Count);

        // The admin approves from the dashboard on the same phone; the overview then says how the pairs formed.
        await page.GotoAsync(baseUrl + await server.DashboardLinkFor("hr@example.com"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Draft", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve and send the intros" }).ClickAsync();
        await page.Locator("[role=status]").WaitForAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview", Exact = true }).ClickAsync();
        Assert.Equal("Overview", await page.Locator("h1").InnerTextAsync());
        Task<string> Figure(string name) => page.Locator("#user-led-figures > div", new() { Has = page.Locator("dt", new() { HasTextString = name }) })
            .Locator("dd").InnerTextAsync();
        Assert.Equal(("0%", "50%", "50%", "0%"), (await Figure("Mutual pick"), await Figure("Accepted request"), await Figure("Fallback"), await Figure("Decline rate")));
        Assert.Equal("0 h", await Figure("Median hours to pair")); // Bo accepted the moment Ana asked, on the test's clock
        await AssertFitsTheScreen(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Pairs", Exact = true }).ClickAsync();
        Assert.Contains("One asked, the other accepted", await page.Locator("article.card", new() { HasTextString = "Ana" }).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Paired by the program when choosing closed", await page.Locator("article.card", new() { HasTextString = "Cy" }).InnerTextAsync(), StringComparison.Ordinal);
        await AssertFitsTheScreen(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Session agenda", Exact = true }).ClickAsync();
        Assert.Equal("Session agenda", await page.Locator("h1").InnerTextAsync());
        await AssertFitsTheScreen(page);
    }

}
