using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Mentoring.Core.Mail;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Mentoring.Server.Tests.Browser;

/// <summary>
/// A person clicks through the approval in a real browser: the local mailbox page, the draft mail's approve link,
/// the confirmation page's button. Headless Debian Chromium, driven by Playwright, against Kestrel on 127.0.0.1.
/// </summary>
public sealed class OutboxBrowserTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder folder = new();
    private readonly MentoringServer server;
    private readonly string baseUrl;
    private HeadlessChromium? chromium;

    public OutboxBrowserTests()
    {
        var port = FreePort();
        baseUrl = $"http://127.0.0.1:{port}";
        server = new MentoringServer(folder, new ManualClock(), outbox: true);
        server.Settings["Mentoring:PublicBaseUrl"] = baseUrl;
        server.UseKestrel(port);
        server.StartServer();
    }

    public async Task InitializeAsync()
    {
        var admin = server.Admin();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/programs", Http.Json(Programs.Cohort()))).StatusCode);
        foreach (var (name, department) in new[] { ("Ana", "Sales"), ("Bo", "Engineering"), ("Cy", "Finance"), ("Di", "Sales") })
        {
            var body = new JsonObject { ["email"] = $"{name.ToLowerInvariant()}@example.com", ["name"] = name, ["consent"] = true, ["answers"] = new JsonObject { ["department"] = department } };
            Assert.Equal(HttpStatusCode.Created, (await server.Public().PostAsync("/api/programs/spring/registrations", Http.Json(body.ToJsonString()))).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/programs/spring/windows", Http.Json("{}"))).StatusCode);

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

    [Fact]
    public async Task An_admin_approves_from_the_mailbox_page_and_the_intros_appear()
    {
        var page = await chromium!.Browser.NewPageAsync();
        await page.GotoAsync($"{baseUrl}/api/dashboard/sign-in");
        await page.GetByLabel("Admin key").FillAsync(MentoringServer.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GotoAsync($"{baseUrl}/outbox");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new("Pair draft v1") }).First.ClickAsync();
        // Waits for what the admin sees: the mail's page, then its approve button. (Waiting for the load event instead once
        // outlasted its 30 s on a fresh clone's run, although the page was there.)
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/outbox/m_"));
        var approve = page.FrameLocator("iframe").GetByRole(AriaRole.Link, new() { Name = "Approve this draft" }).First;
        await Assertions.Expect(approve).ToBeVisibleAsync(new() { Timeout = 30_000 });

        // The mail's approve button opens the confirmation page; opening it changes nothing, so a click that a frame still
        // loading swallowed (Chromium, seen once on a fresh clone) is simply made again.
        for (var attempt = 1; ; attempt++)
        {
            await approve.ClickAsync();
            try
            {
                await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/api/decisions/"), new() { Timeout = 10_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
        Assert.Equal("Approve pair draft v1?", await page.Locator("h1").InnerTextAsync());
        Assert.Empty(await Intros());

        await page.GetByRole(AriaRole.Button, new() { Name = "Approve and send the intros" }).ClickAsync();
        // Waits for what the admin sees, not for a load event: the form posts back to the same address, and waiting for
        // "load" once outlasted its 30 s on a busy machine although the page had arrived (a fresh clone's test run).
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Done", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("Approved");

        var intros = await Intros();
        Assert.Equal(4, intros.Count); // one per member of the 2 pairs
        await page.GotoAsync($"{baseUrl}/outbox?category=intro");
        foreach (var intro in intros)
        {
            Assert.True(await page.GetByRole(AriaRole.Link, new() { Name = intro.Message.Subject, Exact = true }).First.IsVisibleAsync(), intro.Message.Subject);
        }
    }

    private Task<IReadOnlyList<StoredMail>> Intros() =>
        server.Services.GetRequiredService<IMailbox>().ListAsync(new MailboxQuery { ProgramId = "spring", Category = MailCategories.Intro });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
