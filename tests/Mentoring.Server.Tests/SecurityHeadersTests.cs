using System.Net;
using Mentoring.Core.Mail;
using Mentoring.Server.Tests.Dashboard;
using Mentoring.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests;

/// <summary>Every HTML page (token pages, dashboard) tells the browser not to cache it, leak its URL, sniff it, run script or frame it.</summary>
public sealed class SecurityHeadersTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly MentoringServer server;

    public SecurityHeadersTests() => server = new MentoringServer(folder, new ManualClock(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero)));

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    [Theory]
    [InlineData("/api/decisions/not-a-token")]
    [InlineData("/api/links/not-a-token")]
    [InlineData("/api/surveys/not-a-token")]
    [InlineData("/api/dashboard/sign-in")]
    public async Task An_html_page_sends_no_store_no_referrer_nosniff_and_a_policy_without_script_or_framing(string path)
    {
        var response = await server.Public().GetAsync(path);

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_outbox_answer_sends_the_token_pages_headers_signed_in_or_not()
    {
        using var other = new TempFolder();
        await using var local = new MentoringServer(other, new ManualClock(), outbox: true);
        var mail = new MailMessage
        {
            IdempotencyKey = "headers", Category = "intro", ProgramId = "spring", Subject = "Approve",
            To = [new MailAddress("hr@example.com")], TextBody = "https://x.example/api/decisions/t", HtmlBody = "<p>Approve</p>",
            Attachments = [new MailAttachment("page.html", "text/html", "<script>alert(1)</script>"u8.ToArray())],
        };
        Assert.True(await local.Services.GetRequiredService<IMailer>().SendAsync(mail));
        var id = (await local.Services.GetRequiredService<IMailbox>().ListAsync(new MailboxQuery()))[0].Id;
        var anonymous = local.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var signedIn = local.Public();
        await signedIn.SignInAsOperator();

        var answers = new[]
        {
            (await anonymous.GetAsync("/outbox"), HttpStatusCode.Redirect),
            (await signedIn.GetAsync("/outbox"), HttpStatusCode.OK),
            (await signedIn.GetAsync($"/outbox/{id}"), HttpStatusCode.OK),
            (await signedIn.GetAsync($"/outbox/{id}/attachments/0"), HttpStatusCode.OK),
            (await signedIn.GetAsync("/outbox/no-such-id"), HttpStatusCode.NotFound),
        };

        foreach (var (response, status) in answers)
        {
            var what = response.RequestMessage!.RequestUri!.PathAndQuery;
            Assert.True(status == response.StatusCode, $"{what}: {(int)response.StatusCode}");
            Assert.True("no-store" == response.Headers.CacheControl?.ToString(), what);
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.True(policy.Contains("frame-ancestors 'none'", StringComparison.Ordinal), $"{what}: {policy}");
            Assert.True(policy.Contains("default-src 'none'", StringComparison.Ordinal), $"{what}: {policy}");
            Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
        }
        // A mail's attachment is downloaded, never rendered as a page of this origin.
        Assert.Contains("sandbox", answers[3].Item1.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("attachment", answers[3].Item1.Content.Headers.ContentDisposition?.DispositionType);
    }
}
