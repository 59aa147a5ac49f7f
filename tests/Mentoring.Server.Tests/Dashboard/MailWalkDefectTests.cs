using System.Net;
using System.Text.RegularExpressions;
using Mentoring.Core.Mail;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Dashboard;

/// <summary>Defects a walk through the admin mails and their pages found (issue 12), over HTTP on the real server.</summary>
public sealed partial class MailWalkDefectTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new();
    private readonly MentoringServer server;

    public MailWalkDefectTests() => server = new MentoringServer(folder, clock);

    public Task InitializeAsync() => server.SeedDraftAsync("spring", people: 6);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    [GeneratedRegex("/api/decisions/[A-Za-z0-9_\\-\\.]+")]
    private static partial Regex DecisionLink();

    [GeneratedRegex("<h1>([^<]*)</h1>")]
    private static partial Regex Heading();

    private Task<IReadOnlyList<StoredMail>> Mails(string category) =>
        server.Services.GetRequiredService<IMailbox>().ListAsync(new MailboxQuery { ProgramId = "spring", Category = category, Limit = 100 });

    /// <summary>hr's links in the draft mail of <paramref name="version"/>: approve, reject, re-run, then one forbid link per pair.</summary>
    private async Task<IReadOnlyList<string>> Links(int version)
    {
        var mail = (await Mails(MailCategories.Draft)).Single(m => m.Message.To[0].Email == "hr@example.com" && m.Message.Subject.Contains($"v{version}", StringComparison.Ordinal));
        return [.. DecisionLink().Matches(mail.Message.HtmlBody).Select(m => m.Value).Distinct()];
    }

    private Task<HttpResponseMessage> Post(string link) => server.Public().PostAsync(link, new FormUrlEncodedContent([]));

    [Fact]
    public async Task The_forbid_confirmation_page_is_titled_with_the_pairs_names()
    {
        var mail = (await Mails(MailCategories.Draft)).First(m => m.Message.To[0].Email == "hr@example.com");
        var firstPair = Regex.Match(mail.Message.TextBody, @"1\. (Person \d) & (Person \d)");

        var page = await server.Public().GetAsync((await Links(1))[3]);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal($"Forbid {firstPair.Groups[1].Value} &amp; {firstPair.Groups[2].Value}?", Heading().Match(html).Groups[1].Value);
        Assert.DoesNotContain("(s)", html, StringComparison.Ordinal);
        Assert.Equal("Approve pair draft v1?", Heading().Match(await (await server.Public().GetAsync((await Links(1))[0])).Content.ReadAsStringAsync()).Groups[1].Value);
    }

    [Fact]
    public async Task Approving_sends_every_admin_a_confirmation_with_the_dashboard_link()
    {
        Assert.Empty(await Mails(MailCategories.Decided));

        Assert.Equal(HttpStatusCode.OK, (await Post((await Links(1))[0])).StatusCode);

        var confirmations = await Mails(MailCategories.Decided);
        Assert.Equal(["hr@example.com", "lead@example.com"], confirmations.Select(m => m.Message.To[0].Email).Order());
        Assert.All(confirmations, m =>
        {
            Assert.Contains("Pair draft v1 was approved by hr@example.com on Mon 1 Mar 2027, 10:00 (Europe/Berlin)", m.Message.TextBody, StringComparison.Ordinal);
            Assert.Contains("/api/dashboard/sign-in/", m.Message.HtmlBody, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_decided_page_uses_the_programs_time_zone_and_points_to_the_newer_draft()
    {
        var v1 = await Links(1);
        clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(HttpStatusCode.OK, (await Post(v1[3])).StatusCode); // forbid: v2 follows

        var late = await Post(v1[0]);

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        var html = WebUtility.HtmlDecode(await late.Content.ReadAsStringAsync());
        Assert.Contains("by hr@example.com on Mon 1 Mar 2027, 13:00 (Europe/Berlin)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("UTC", html, StringComparison.Ordinal);
        Assert.Contains("Draft v2 is the newest", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/api/dashboard/programs/spring/draft\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_v2_draft_mail_says_what_changed_and_when_v2_was_computed()
    {
        var v1 = await Links(1);
        clock.Advance(TimeSpan.FromHours(5));
        await server.Public().PostAsync(v1[3], new FormUrlEncodedContent([KeyValuePair.Create("reason", "They work in the same team")]));

        var v2 = (await Mails(MailCategories.Draft)).First(m => m.Message.To[0].Email == "lead@example.com" && m.Message.Subject.Contains("v2", StringComparison.Ordinal));

        Assert.Contains("WHAT CHANGED SINCE V1", v2.Message.TextBody, StringComparison.Ordinal);
        Assert.Matches(@"Person \d & Person \d was forbidden by hr@example.com on Mon 1 Mar 2027, 15:00 \(Europe/Berlin\): ""They work in the same team""", v2.Message.TextBody);
        Assert.Contains("Computed Mon 1 Mar 2027, 15:00 (Europe/Berlin)", v2.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("No longer matched:", v2.Message.TextBody, StringComparison.Ordinal);
    }
}
