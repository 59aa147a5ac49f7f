using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mentoring.Core.Common;
using Mentoring.Core.Engagement;
using Mentoring.Core.Mail;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Registration;
using Mentoring.Server.Mail;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Windows;

/// <summary>
/// Intros go one mail per member through the embedded outbox to a real SMTP server: a member the relay refuses, or whose
/// stored address breaks today's rule, costs their partner nothing.
/// </summary>
public sealed partial class IntroDeliveryTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private SmtpTestServer smtp = null!;
    private MentoringServer server = null!;

    public async Task InitializeAsync()
    {
        smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Reject = ["bo@example.com"] });
        server = new MentoringServer(folder, clock);
        server.Settings["Mentoring:Smtp:Host"] = "127.0.0.1";
        server.Settings["Mentoring:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        server.Settings["Mentoring:Smtp:Security"] = "None";
        server.Settings["Mentoring:Smtp:From"] = "Mentoring <mentoring@example.com>";
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(Programs.Cohort()))).StatusCode);
        foreach (var (name, department) in new[] { ("ana", "Sales"), ("bo", "Engineering"), ("cy", "Finance"), ("di", "Sales") })
        {
            var body = new JsonObject { ["email"] = $"{name}@example.com", ["name"] = name, ["consent"] = true, ["answers"] = new JsonObject { ["department"] = department } };
            Assert.Equal(HttpStatusCode.Created, (await server.Public().PostAsync("/api/programs/spring/registrations", Http.Json(body.ToJsonString()))).StatusCode);
        }
    }

    public async Task DisposeAsync() => await smtp.DisposeAsync();

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    [GeneratedRegex("/api/decisions/[A-Za-z0-9_\\-\\.]+")]
    private static partial Regex DecisionLink();

    [Fact]
    public async Task A_refused_member_and_an_undeliverable_stored_address_never_keep_the_others_from_their_intros()
    {
        // Cy registered before today's address rule: a zero-width space hides in the stored address.
        var store = server.Services.GetRequiredService<IDocumentStore>();
        var cyKey = ParticipantRegistry.KeyOf("spring", ParticipantIdentity.For("spring", "cy@example.com"));
        await store.UpdateAsync<Participant>(cyKey, p => p with { Email = "cy\u200b@example.com" });

        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs/spring/windows", Http.Json("{}"))).StatusCode);
        var mailbox = server.Services.GetRequiredService<IMailbox>();
        var draft = (await mailbox.ListAsync(new MailboxQuery { ProgramId = "spring", Category = MailCategories.Draft }))[0];
        var approve = DecisionLink().Match(draft.Message.HtmlBody).Value;
        Assert.Equal(HttpStatusCode.OK, (await server.Public().PostAsync(approve, new FormUrlEncodedContent([]))).StatusCode);

        var intros = await mailbox.ListAsync(new MailboxQuery { ProgramId = "spring", Category = MailCategories.Intro });
        Assert.Equal(["ana@example.com", "bo@example.com", "di@example.com"], intros.Select(m => Assert.Single(m.Message.To).Email).Order());
        var suppression = (await store.ReadAsync<Suppression>(EngagementDocuments.Suppression(EmailAddress.Digest("cy\u200b@example.com"))))?.Value;
        Assert.Equal(UndeliverableAddressFilter.Reason, suppression?.Reason);
        Assert.Equal(Rules.ControlCharacter, suppression?.Detail);

        await server.Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync();

        var introduced = new List<string>();
        while (introduced.Count < 2) // Ana's and Di's intros; the admins' mails arrive in between, Bo's is refused at RCPT
        {
            var mail = await smtp.NextAsync(TimeSpan.FromSeconds(20));
            introduced.AddRange(mail.RcptTo.Where(to => to is not ("hr@example.com" or "lead@example.com")));
        }
        Assert.Equal(["ana@example.com", "di@example.com"], introduced.Order());
        var bo = (await mailbox.ListAsync(new MailboxQuery { Recipient = "bo@example.com" })).Single();
        Assert.NotEqual(MailDeliveryStatus.Delivered, bo.Status);
        Assert.True(bo.Attempts >= 1);
        Assert.Contains("No such user", bo.LastError, StringComparison.Ordinal); // the relay's 550 at RCPT TO

        var window = await (await server.Admin().GetAsync("/api/programs/spring/windows")).Body();
        Assert.Contains("completed", window.ToJsonString(), StringComparison.Ordinal);
    }
}

/// <summary>A member whose intro fails at the mailer is recorded and retried alone by the window runner's command retry.</summary>
public sealed partial class IntroRetryTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly MentoringServer server;
    private readonly FailingFor failing = new();

    public IntroRetryTests() => server = new MentoringServer(folder, clock)
    {
        ExtraServices = (_, services) => services.AddSingleton<IMailer>(sp => new FailingMailer(sp.GetRequiredService<Sqlite.SqliteMailOutbox>(), failing)),
    };

    public async Task InitializeAsync()
    {
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(Programs.Cohort()))).StatusCode);
        foreach (var (name, department) in new[] { ("ana", "Sales"), ("bo", "Engineering") })
        {
            var body = new JsonObject { ["email"] = $"{name}@example.com", ["name"] = name, ["consent"] = true, ["answers"] = new JsonObject { ["department"] = department } };
            Assert.Equal(HttpStatusCode.Created, (await server.Public().PostAsync("/api/programs/spring/registrations", Http.Json(body.ToJsonString()))).StatusCode);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    [GeneratedRegex("/api/decisions/[A-Za-z0-9_\\-\\.]+")]
    private static partial Regex DecisionLink();

    [Fact]
    public async Task A_member_whose_intro_fails_is_recorded_and_retried_alone_while_the_partner_has_theirs()
    {
        failing.Address = "ana@example.com";
        var opened = await (await server.Admin().PostAsync("/api/programs/spring/windows", Http.Json("{}"))).Body();
        var windowId = opened["state"]!["windowId"]!.GetValue<string>();
        var mailbox = server.Services.GetRequiredService<IMailbox>();
        var draft = (await mailbox.ListAsync(new MailboxQuery { ProgramId = "spring", Category = MailCategories.Draft }))[0];
        Assert.Equal(HttpStatusCode.OK, (await server.Public().PostAsync(DecisionLink().Match(draft.Message.HtmlBody).Value, new FormUrlEncodedContent([]))).StatusCode);

        var intros = await mailbox.ListAsync(new MailboxQuery { ProgramId = "spring", Category = MailCategories.Intro });
        Assert.Equal(["bo@example.com"], intros.Select(m => Assert.Single(m.Message.To).Email));
        var host = server.Services.GetRequiredService<Sqlite.Windows.SqliteWindowHost>();
        var pending = Assert.Single(await host.PendingCommandsAsync("spring", windowId));
        Assert.Contains(ParticipantIdentity.For("spring", "ana@example.com"), pending.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("ana@example.com", pending.LastError, StringComparison.Ordinal);
        var store = server.Services.GetRequiredService<IDocumentStore>();
        var record = Assert.Single(await store.QueryAllAsync<Core.Windows.IntroDelivery>("spring", Core.Windows.WindowDocuments.IntroDeliveryKind)).Value;
        Assert.Equal((ParticipantIdentity.For("spring", "ana@example.com"), 1, (DateTimeOffset?)null), (record.ParticipantId, record.FailedAttempts, record.SentAt));
        Assert.Contains("relay said no", record.LastError, StringComparison.Ordinal);

        failing.Address = null;
        clock.Advance(TimeSpan.FromMinutes(1));
        await host.RunDueAsync();

        intros = await mailbox.ListAsync(new MailboxQuery { ProgramId = "spring", Category = MailCategories.Intro });
        Assert.Equal(["ana@example.com", "bo@example.com"], intros.Select(m => Assert.Single(m.Message.To).Email).Order());
        Assert.Empty(await host.PendingCommandsAsync("spring", windowId));
        record = Assert.Single(await store.QueryAllAsync<Core.Windows.IntroDelivery>("spring", Core.Windows.WindowDocuments.IntroDeliveryKind)).Value;
        Assert.Equal(clock.GetUtcNow(), record.SentAt);
        Assert.Equal(1, record.FailedAttempts);
    }

    private sealed class FailingFor
    {
        public volatile string? Address;
    }

    /// <summary>The outbox, except that mail to <see cref="FailingFor.Address"/> fails as a relay's refusal would.</summary>
    private sealed class FailingMailer(Sqlite.SqliteMailOutbox outbox, FailingFor failing) : IMailer
    {
        public Task<bool> SendAsync(MailMessage message, CancellationToken cancellationToken = default) =>
            message.To.Any(t => t.Email == failing.Address)
                ? throw new InvalidOperationException("relay said no")
                : outbox.SendAsync(message, cancellationToken);
    }
}
