using System.Net;
using System.Net.Sockets;
using Mentoring.Api.Mail;
using Mentoring.Core.Mail;
using Mentoring.Server.Mail;
using Mentoring.Sqlite;
using Mentoring.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mentoring.Server.Tests.Mail;

public sealed class OutboxDispatcherTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new();
    private readonly SqliteMailOutbox outbox;
    private readonly List<OutboxDispatcher> dispatchers = [];

    public OutboxDispatcherTests() => outbox = new SqliteMailOutbox(new SqliteStoreOptions(folder.File("mentoring.db")), clock);

    public void Dispose()
    {
        foreach (var dispatcher in dispatchers)
        {
            dispatcher.Dispose();
        }

        outbox.Dispose();
        folder.Dispose();
    }

    private OutboxDispatcher Dispatcher(SmtpOptions? smtp = null, OutboxOptions? options = null)
    {
        var dispatcher = new OutboxDispatcher(outbox, Options.Create(smtp ?? new SmtpOptions()), Options.Create(options ?? new OutboxOptions()),
            clock, NullLogger<OutboxDispatcher>.Instance);
        dispatchers.Add(dispatcher);
        return dispatcher;
    }

    private static MailMessage Message(string key) => new()
    {
        IdempotencyKey = key,
        To = [new MailAddress("ana@example.com", "Ana"), new MailAddress("bo@example.com", "Bo")],
        Subject = "Meet your pair",
        HtmlBody = "<p>Hello <b>both</b></p>",
        TextBody = "Hello both",
        Category = MailCategories.Intro,
        ProgramId = "spring",
        Headers = new Dictionary<string, string> { ["List-Unsubscribe"] = "<https://example.com/u>" },
        CustomArgs = new Dictionary<string, string> { ["windowId"] = "w1" },
        Attachments = [new MailAttachment("first-meeting.ics", "text/calendar; charset=utf-8; method=PUBLISH", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"u8.ToArray())],
    };

    /// <summary>A port on 127.0.0.1 nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task<StoredMail> Single() => Assert.Single(await outbox.ListAsync(new MailboxQuery()));

    [Fact]
    public async Task Without_smtp_messages_are_delivered_as_kept_locally()
    {
        var dispatcher = Dispatcher();
        await outbox.SendAsync(Message("k1"));

        var report = await dispatcher.DispatchDueAsync();

        Assert.Equal(new DispatchReport(1, 0, 0), report);
        var mail = await Single();
        Assert.Equal(MailDeliveryStatus.Delivered, mail.Status);
        Assert.Equal(OutboxDispatcher.KeptLocally, mail.DeliveryNote);
        Assert.Equal(clock.GetUtcNow(), mail.DeliveredAt);
        Assert.Equal(1, mail.Attempts);
        Assert.Null(mail.LastError);
        Assert.Equal(new DispatchReport(0, 0, 0), await dispatcher.DispatchDueAsync());
    }

    [Fact]
    public async Task A_failing_smtp_server_is_retried_with_doubling_backoff_and_the_message_fails_after_five_attempts()
    {
        var dispatcher = Dispatcher(new SmtpOptions { Host = "127.0.0.1", Port = ClosedPort(), Timeout = TimeSpan.FromSeconds(10) });
        await outbox.SendAsync(Message("k1"));

        Assert.Equal(new DispatchReport(0, 1, 0), await dispatcher.DispatchDueAsync());
        var expectedDelays = new[] { 30, 60, 120, 240 };
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var mail = await Single();
            Assert.Equal(MailDeliveryStatus.Queued, mail.Status);
            Assert.Equal(attempt, mail.Attempts);
            Assert.False(string.IsNullOrEmpty(mail.LastError));
            Assert.Equal(TimeSpan.FromSeconds(expectedDelays[attempt - 1]), dispatcher.RetryDelayAfter(attempt));

            // Not due a moment before the backoff ends...
            clock.Advance(TimeSpan.FromSeconds(expectedDelays[attempt - 1]) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(0, (await dispatcher.DispatchDueAsync()).Attempted);

            // ...due when it ends.
            clock.Advance(TimeSpan.FromMilliseconds(1));
            var expected = attempt < 4 ? new DispatchReport(0, 1, 0) : new DispatchReport(0, 0, 1);
            Assert.Equal(expected, await dispatcher.DispatchDueAsync());
        }

        var failed = await Single();
        Assert.Equal(MailDeliveryStatus.Failed, failed.Status);
        Assert.Equal(5, failed.Attempts);
        Assert.Null(failed.DeliveredAt);
        Assert.Contains("Exception", failed.LastError, StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, (await dispatcher.DispatchDueAsync()).Attempted);
    }

    [Fact]
    public async Task Smtp_delivery_goes_to_a_real_smtp_server_and_the_outbox_notes_its_reply()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        var dispatcher = Dispatcher(new SmtpOptions { Host = "127.0.0.1", Port = smtp.Port, From = "Mentoring <mentoring@example.com>" });
        await outbox.SendAsync(Message("k1"));

        Assert.Equal(new DispatchReport(1, 0, 0), await dispatcher.DispatchDueAsync());

        var received = await smtp.NextAsync();
        Assert.Equal("mentoring@example.com", received.MailFrom);
        Assert.Equal(["ana@example.com", "bo@example.com"], received.RcptTo);
        var expected = MimeMail.Build(Message("k1"), "Mentoring <mentoring@example.com>", clock.GetUtcNow());
        Assert.Equal(SmtpMailSender.Render(expected, international: false), received.Data);
        var mail = await Single();
        Assert.Equal(MailDeliveryStatus.Delivered, mail.Status);
        Assert.StartsWith($"smtp 127.0.0.1:{smtp.Port}: ", mail.DeliveryNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_claim_whose_dispatcher_died_is_delivered_again_after_the_lease()
    {
        var options = new OutboxOptions { ClaimLease = TimeSpan.FromMinutes(5) };
        var dispatcher = Dispatcher(options: options);
        await outbox.SendAsync(Message("k1"));

        // Another dispatcher claimed it and crashed before marking it.
        Assert.Single(await outbox.ClaimDueAsync(clock.GetUtcNow(), 10, options.ClaimLease));
        Assert.Equal(0, (await dispatcher.DispatchDueAsync()).Attempted);

        clock.Advance(options.ClaimLease);
        Assert.Equal(new DispatchReport(1, 0, 0), await dispatcher.DispatchDueAsync());
        var mail = await Single();
        Assert.Equal(MailDeliveryStatus.Delivered, mail.Status);
        Assert.Equal(2, mail.Attempts);
    }

    [Fact]
    public async Task Many_messages_are_delivered_in_batches_in_one_pass()
    {
        var dispatcher = Dispatcher(options: new OutboxOptions { BatchSize = 3 });
        for (var i = 0; i < 10; i++)
        {
            await outbox.SendAsync(Message($"k{i}"));
        }

        Assert.Equal(new DispatchReport(10, 0, 0), await dispatcher.DispatchDueAsync());
        Assert.All(await outbox.ListAsync(new MailboxQuery()), m => Assert.Equal(MailDeliveryStatus.Delivered, m.Status));
    }

    [Fact]
    public async Task The_running_service_wakes_when_a_message_is_queued()
    {
        // A poll interval of an hour: only the queued signal can make this pass promptly.
        var dispatcher = Dispatcher(options: new OutboxOptions { PollInterval = TimeSpan.FromHours(1) });
        var delivered = new TaskCompletionSource<DispatchReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        dispatcher.Dispatched += (_, report) => delivered.TrySetResult(report);
        await dispatcher.StartAsync(CancellationToken.None);
        try
        {
            await outbox.SendAsync(Message("k1"));

            var report = await delivered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(1, report.Delivered);
            Assert.Equal(MailDeliveryStatus.Delivered, (await Single()).Status);
        }
        finally
        {
            await dispatcher.StopAsync(CancellationToken.None);
        }
    }
}
