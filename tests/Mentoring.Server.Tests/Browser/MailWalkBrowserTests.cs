using System.Net;
using System.Text.Json.Nodes;
using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Engagement.Surveys;
using Mentoring.Core.Mail;
using Mentoring.Core.Persistence;
using Mentoring.Core.Windows;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Mentoring.Server.Tests.Browser;

/// <summary>
/// Defects a walk through the participants' pages and the outbox in headless Chromium found (issue 12): each test
/// reproduces what a person did, in the real browser against Kestrel on 127.0.0.1.
/// </summary>
public sealed class MailWalkBrowserTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Start = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new(Start);
    private readonly MentoringServer server;
    private readonly string baseUrl;
    private HeadlessChromium? chromium;
    private string ana = "";
    private string bo = "";
    private string matchId = "";

    public MailWalkBrowserTests()
    {
        server = new MentoringServer(folder, clock, outbox: true);
        baseUrl = server.StartOnFreePort();
    }

    private IDocumentStore Store => server.Services.GetRequiredService<IDocumentStore>();

    public async Task InitializeAsync()
    {
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(Programs.Cohort()))).StatusCode);
        var ids = new List<string>();
        foreach (var (name, department) in new[] { ("ana", "Sales"), ("bo", "Finance") })
        {
            var body = new JsonObject { ["email"] = $"{name}@example.com", ["name"] = name, ["consent"] = true, ["answers"] = new JsonObject { ["department"] = department } };
            var response = await server.Public().PostAsync("/api/programs/spring/registrations", Http.Json(body.ToJsonString()));
            ids.Add((await response.Body())["id"]!.GetValue<string>());
        }
        (ana, bo) = (ids[0], ids[1]);
        var key = WindowDocuments.Match("spring", "w1", 0);
        matchId = key.Id;
        await Store.UpsertAsync(key, new PublishedMatch
        {
            Id = key.Id,
            ProgramId = "spring",
            WindowId = "w1",
            Version = 1,
            Members = [new MatchMember(ana, "ana", "ana@example.com"), new MatchMember(bo, "bo", "bo@example.com")],
            PublishedAt = Start,
            IntroducedAt = Start,
        });
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

    private async Task<IPage> Phone()
    {
        var context = await chromium!.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 800 } });
        return await context.NewPageAsync();
    }

    private static Task<int> Overflow(IPage page) => page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");

    [Fact]
    public async Task Typing_45_minutes_and_pressing_enter_records_45_not_the_first_preset()
    {
        clock.Set(Start.AddDays(15));
        var link = "/api/links/" + server.Services.GetRequiredService<ParticipantLinks>().Sign(new ParticipantGrant
        {
            ProgramId = "spring",
            ParticipantId = ana,
            Action = ParticipantAction.CheckInMet,
            MatchId = matchId,
            Round = 1,
            Minutes = 30,
            ExpiresAtUnix = Start.AddDays(28).ToUnixTimeSeconds(),
        });
        var page = await Phone();
        await page.GotoAsync(baseUrl + link);

        await page.GetByLabel("Minutes you met").FillAsync("45");
        await page.GetByLabel("Minutes you met").PressAsync("Enter");
        await page.WaitForURLAsync(baseUrl + link);
        Assert.Equal("Done", await page.Locator("h1").InnerTextAsync());

        var record = (await Store.ReadAsync<CheckInRecord>(EngagementDocuments.CheckIn("spring", matchId, 1, ana)))!.Value;
        Assert.Equal(45, record.Minutes);
    }

    [Fact]
    public async Task Need_help_asks_what_would_help_and_keeps_the_answer_for_the_admins()
    {
        clock.Set(Start.AddDays(15));
        var link = "/api/links/" + server.Services.GetRequiredService<ParticipantLinks>().Sign(new ParticipantGrant
        {
            ProgramId = "spring",
            ParticipantId = bo,
            Action = ParticipantAction.CheckInNeedHelp,
            MatchId = matchId,
            Round = 1,
            ExpiresAtUnix = Start.AddDays(28).ToUnixTimeSeconds(),
        });
        var page = await Phone();
        await page.GotoAsync(baseUrl + link);

        await page.GetByLabel("What would help? (optional)").FillAsync("A first topic to talk about");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask the program team for help" }).ClickAsync();
        await page.WaitForURLAsync(baseUrl + link);

        var record = (await Store.ReadAsync<CheckInRecord>(EngagementDocuments.CheckIn("spring", matchId, 1, bo)))!.Value;
        Assert.Equal((CheckInAnswer.NeedHelp, "A first topic to talk about"), (record.Answer, record.Note));
    }

    [Fact]
    public async Task The_outbox_and_a_mail_with_a_long_unsubscribe_link_fit_a_phone_and_label_the_filters()
    {
        var mailer = server.Services.GetRequiredService<IMailer>();
        var unsubscribe = baseUrl + "/api/links/" + new string('x', 600);
        Assert.True(await mailer.SendAsync(new MailMessage
        {
            IdempotencyKey = "long",
            To = [new MailAddress("ana@example.com", "ana")],
            Subject = "[Spring buddies] Check-in 1: how is it going with bo?",
            HtmlBody = $"<html><body><p>Hi</p><p><a href=\"{unsubscribe}\">{unsubscribe}</a></p></body></html>",
            TextBody = "Hi " + unsubscribe,
            Category = "check-in",
            ProgramId = "spring",
            Headers = new Dictionary<string, string> { ["List-Unsubscribe"] = $"<{unsubscribe}>" },
        }));
        var page = await Phone();
        await page.GotoAsync(baseUrl + "/api/dashboard/sign-in");
        await page.GetByLabel("Admin key").FillAsync(MentoringServer.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await page.GotoAsync(baseUrl + "/outbox");
        Assert.True(await Overflow(page) <= 0, $"/outbox is {await Overflow(page)} px wider than a 390 px phone.");
        foreach (var label in new[] { "Program", "Category", "Recipient" })
        {
            Assert.Equal(1, await page.GetByLabel(label, new() { Exact = true }).CountAsync());
        }
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new("Check-in 1") }).ClickAsync();
        Assert.True(await Overflow(page) <= 0, $"The mail page is {await Overflow(page)} px wider than a 390 px phone.");
    }

    [Fact]
    public async Task The_nps_choices_are_big_enough_to_tap_on_a_phone()
    {
        await Store.CreateAsync(EngagementDocuments.Survey("spring", "mid", ana), new SurveyRecord
        {
            ProgramId = "spring",
            SurveyKey = "mid",
            ParticipantId = ana,
            SentAt = Start,
            ClosesAt = Start.AddDays(14),
        });
        var url = server.Services.GetRequiredService<SurveyLinks>().For("spring", "mid", ana).PathAndQuery;
        var page = await Phone();
        await page.GotoAsync(baseUrl + url);

        var radios = page.Locator("input[type=radio]");
        Assert.True(await radios.CountAsync() >= 11);
        for (var i = 0; i < await radios.CountAsync(); i++)
        {
            var box = (await radios.Nth(i).BoundingBoxAsync())!;
            Assert.True(box.Width >= 24 && box.Height >= 24, $"Radio {i} is {box.Width}x{box.Height} px.");
        }
        Assert.True(await Overflow(page) <= 0);
    }
}
