using System.Net;
using Mentoring.Core.Mail;
using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Matching;
using Mentoring.Core.Programs;
using Mentoring.Server.Mail;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Mail;

public sealed class OutboxPageTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly MentoringServer server;

    public OutboxPageTests() => server = new MentoringServer(folder, new ManualClock(), outbox: true);

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private static MailMessage Intro()
    {
        var program = new MentoringProgram
        {
            Id = "spring",
            Name = "Spring buddies",
            Kind = ProgramKind.Cohort,
            AdminEmails = ["hr@example.com"],
            TimeZone = "Europe/Berlin",
        };
        return IntroMail.Build(new IntroMailInput
        {
            Program = program,
            WindowId = "w1",
            Members = [new DraftMember("p1", "<script>alert(1)</script>", "ana@example.com"), new DraftMember("p2", "Bo", "bo@example.com")],
            Sentence = "Both want to improve public speaking.",
            SuggestAfter = new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero),
        })[1]; // Bo's copy, which names the hostile partner
    }

    [Fact]
    public async Task The_outbox_lists_messages_newest_first_and_shows_one_with_its_bodies_and_attachment()
    {
        var mailer = server.Services.GetRequiredService<IMailer>();
        var older = Intro() with { IdempotencyKey = "older", Subject = "Older message" };
        Assert.True(await mailer.SendAsync(older));
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        var intro = Intro();
        Assert.True(await mailer.SendAsync(intro));
        var client = server.Public();
        await Dashboard.DashboardWeb.SignInAsOperator(client);

        var list = await client.GetAsync("/outbox");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal("text/html", list.Content.Headers.ContentType?.MediaType);
        var listHtml = await list.Content.ReadAsStringAsync();
        Assert.Contains("bo@example.com", listHtml, StringComparison.Ordinal);
        Assert.Contains(">intro<", listHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", listHtml, StringComparison.Ordinal);
        Assert.True(listHtml.IndexOf(WebUtility.HtmlEncode(intro.Subject), StringComparison.Ordinal) < listHtml.IndexOf("Older message", StringComparison.Ordinal));

        var stored = (await server.Services.GetRequiredService<IMailbox>().ListAsync(new MailboxQuery { Category = "intro" }))[0];
        var detail = await client.GetAsync($"/outbox/{stored.Id}");
        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        var detailHtml = await detail.Content.ReadAsStringAsync();
        Assert.Contains("<iframe", detailHtml, StringComparison.Ordinal);
        Assert.Contains("srcdoc=", detailHtml, StringComparison.Ordinal);
        Assert.Contains("Both want to improve public speaking.", detailHtml, StringComparison.Ordinal);
        Assert.Contains(IntroMail.CalendarFileName, detailHtml, StringComparison.Ordinal);
        Assert.Contains($"/outbox/{stored.Id}/attachments/0", detailHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", detailHtml, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", detail.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal); // no script runs

        var ics = await client.GetAsync($"/outbox/{stored.Id}/attachments/0");
        Assert.Equal(HttpStatusCode.OK, ics.StatusCode);
        Assert.Equal("text/calendar", ics.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("BEGIN:VCALENDAR\r\n", await ics.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/outbox/no-such-id")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/outbox/{stored.Id}/attachments/7")).StatusCode);
    }

    [Fact]
    public async Task Queued_mail_is_kept_locally_by_the_dispatcher_without_smtp()
    {
        Assert.True(await server.Services.GetRequiredService<IMailer>().SendAsync(Intro()));

        var report = await server.Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync();

        var mail = Assert.Single(await server.Services.GetRequiredService<IMailbox>().ListAsync(new MailboxQuery()));
        Assert.Equal(MailDeliveryStatus.Delivered, mail.Status);
        Assert.Equal(OutboxDispatcher.KeptLocally, mail.DeliveryNote);
        Assert.True(report.Delivered <= 1); // the hosted loop may have been first
    }

    [Fact]
    public async Task The_outbox_is_off_when_disabled()
    {
        using var other = new TempFolder();
        await using var off = new MentoringServer(other, new ManualClock(), outbox: false);

        Assert.Equal(HttpStatusCode.NotFound, (await off.Public().GetAsync("/outbox")).StatusCode);
    }
}
