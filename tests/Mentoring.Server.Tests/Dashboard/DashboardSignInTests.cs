using System.Net;
using Mentoring.Core.Participants;
using Mentoring.Core.Registration;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Dashboard;

/// <summary>The one admin sign-in: a signed link from an admin mail, or the admin key; a short session cookie; form tokens.</summary>
public sealed class DashboardSignInTests : IAsyncLifetime, IDisposable
{
    private const string KeyOne = "one:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private const string KeyTwo = "two:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new();
    private MentoringServer server;

    public DashboardSignInTests() => server = Start(KeyOne);

    private MentoringServer Start(string signingKeys)
    {
        var started = new MentoringServer(folder, clock, outbox: true);
        started.Settings["Mentoring:SigningKeys"] = signingKeys;
        return started;
    }

    public async Task InitializeAsync()
    {
        await server.SeedDraftAsync("spring");
        await server.SeedDraftAsync("autumn");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    [Fact]
    public async Task The_draft_mails_dashboard_link_signs_the_admin_in_to_that_program_with_a_strict_httponly_cookie()
    {
        var browser = server.Browser();
        var link = await server.DashboardLinkFor("hr@example.com");

        var opened = await browser.GetAsync(link);

        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal("/api/dashboard/programs/spring", opened.Headers.Location?.OriginalString);
        var cookie = Assert.Single(opened.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("mentoring-admin=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        var overview = await browser.Html("/api/dashboard/programs/spring");
        Assert.Contains("Spring buddies", overview, StringComparison.Ordinal);
        Assert.Contains("Signed in as hr@example.com", overview, StringComparison.Ordinal);
        // A link for one program opens that program only.
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/api/dashboard/programs/autumn")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/api/dashboard/programs/autumn/participants")).StatusCode);
    }

    [Fact]
    public async Task Without_a_session_every_page_asks_to_sign_in_and_shows_nothing()
    {
        var stranger = server.Browser();

        foreach (var path in new[] { "/api/dashboard/programs/spring", "/api/dashboard/programs/spring/participants", "/api/dashboard/programs/spring/draft" })
        {
            var response = await stranger.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.DoesNotContain("person0@example.com", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/dashboard/programs/spring/participants/x/export")).StatusCode);
        var forged = await stranger.GetAsync("/api/dashboard/sign-in/not.a.token");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.False(forged.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_dashboard_link_expires_after_fourteen_days_and_a_session_after_two_hours()
    {
        var link = await server.DashboardLinkFor("hr@example.com");
        var browser = server.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(link)).StatusCode);

        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/dashboard/programs/spring")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(link)).StatusCode); // the mail's link still works

        clock.Advance(TimeSpan.FromDays(14) - TimeSpan.FromHours(2));
        var expired = await server.Browser().GetAsync(link);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotating_the_signing_keys_revokes_every_link_and_session()
    {
        var link = await server.DashboardLinkFor("hr@example.com");
        var cookieJar = server.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await cookieJar.GetAsync(link)).StatusCode);
        var cookie = (await server.Browser().GetAsync(link)).Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        server.Dispose();
        server = Start(KeyTwo);
        var after = server.Browser();
        after.DefaultRequestHeaders.Add("Cookie", cookie);

        Assert.Equal(HttpStatusCode.Unauthorized, (await after.GetAsync("/api/dashboard/programs/spring")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Browser().GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task The_admin_key_signs_an_operator_in_to_every_program_and_a_wrong_key_does_not()
    {
        var wrong = server.Browser();
        var refused = await wrong.PostForm("/api/dashboard/sign-in", ("key", "not-the-key"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/dashboard/programs/spring")).StatusCode);

        var operatorBrowser = server.Browser();
        await operatorBrowser.SignInAsOperator();
        var home = await operatorBrowser.Html("/api/dashboard");
        Assert.Contains("/api/dashboard/programs/spring", home, StringComparison.Ordinal);
        Assert.Contains("/api/dashboard/programs/autumn", home, StringComparison.Ordinal);
        await operatorBrowser.Html("/api/dashboard/programs/autumn/draft");
    }

    [Fact]
    public async Task A_form_without_its_sessions_token_changes_nothing()
    {
        var hr = server.Browser();
        await hr.GetAsync(await server.DashboardLinkFor("hr@example.com"));
        var lead = server.Browser();
        await lead.GetAsync(await server.DashboardLinkFor("lead@example.com"));
        var person = (await server.Services.GetRequiredService<ParticipantRegistry>().ActiveAsync("spring"))[0];
        var path = $"/api/dashboard/programs/spring/participants/{person.Id}";
        var leadsToken = DashboardWeb.TokenIn(await lead.Html(path));

        Assert.Equal(HttpStatusCode.Forbidden, (await hr.PostForm(path + "/withdraw")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await hr.PostForm(path + "/withdraw", ("__form", leadsToken))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await hr.PostForm(path + "/withdraw", ("__form", "x.y.z"))).StatusCode);
        Assert.Equal(ParticipantStatus.Registered, (await Registry().GetAsync("spring", person.Id)).Value.Status);

        var withdrawn = await hr.PostForm(path + "/withdraw", ("__form", DashboardWeb.TokenIn(await hr.Html(path))));
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);
        Assert.Equal(ParticipantStatus.Withdrawn, (await Registry().GetAsync("spring", person.Id)).Value.Status);
    }

    [Fact]
    public async Task Erasing_needs_the_persons_email_typed_again()
    {
        var hr = server.Browser();
        await hr.GetAsync(await server.DashboardLinkFor("hr@example.com"));
        var person = (await Registry().ActiveAsync("spring"))[1];
        var path = $"/api/dashboard/programs/spring/participants/{person.Id}";
        var token = DashboardWeb.TokenIn(await hr.Html(path));

        var refused = await hr.PostForm(path + "/erase", ("__form", token), ("confirm", "someone-else@example.com"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Null((await Registry().GetAsync("spring", person.Id)).Value.ErasedAt);

        Assert.Equal(HttpStatusCode.Redirect, (await hr.PostForm(path + "/erase", ("__form", token), ("confirm", person.Email.ToUpperInvariant()))).StatusCode);
        Assert.NotNull((await Registry().GetAsync("spring", person.Id)).Value.ErasedAt);
    }

    [Fact]
    public async Task The_outbox_needs_the_sign_in_and_an_admin_from_a_mail_link_sees_that_programs_mail_only()
    {
        var stranger = server.Browser();
        var refused = await stranger.GetAsync("/outbox");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/api/dashboard/sign-in", refused.Headers.Location?.OriginalString);

        var hr = server.Browser();
        await hr.GetAsync(await server.DashboardLinkFor("hr@example.com", "autumn"));
        var list = await hr.Html("/outbox");
        Assert.Contains("[Spring buddies] Pair draft v1", list, StringComparison.Ordinal); // both programs share the name
        var mails = await server.Services.GetRequiredService<Mentoring.Core.Mail.IMailbox>().ListAsync(new Mentoring.Core.Mail.MailboxQuery { Limit = 100 });
        var spring = mails.First(m => m.Message.ProgramId == "spring");
        var autumn = mails.First(m => m.Message.ProgramId == "autumn");
        Assert.DoesNotContain($"/outbox/{spring.Id}\"", list, StringComparison.Ordinal);
        Assert.Contains($"/outbox/{autumn.Id}\"", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await hr.GetAsync($"/outbox/{spring.Id}")).StatusCode);
    }

    private ParticipantRegistry Registry() => server.Services.GetRequiredService<ParticipantRegistry>();
}
