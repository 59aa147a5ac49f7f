using System.Text;
using Mentoring.Core.Mail;

namespace Mentoring.Contracts;

/// <summary>
/// The behaviour every mail adapter (<see cref="IMailer"/> with its <see cref="IMailbox"/> read side) promises.
/// Derive, implement <see cref="CreateAsync"/>, and every fact runs against the adapter. Observes it only through the ports.
/// </summary>
/// <remarks>Each test uses its own program id and keys, so adapters may share one outbox between tests.</remarks>
public abstract class MailerContract
{
    private const int ConcurrentSenders = 50;

    protected string ProgramId { get; } = "program-" + Guid.NewGuid().ToString("N");

    protected string OtherProgramId { get; } = "program-" + Guid.NewGuid().ToString("N");

    private string KeyPrefix { get; } = Guid.NewGuid().ToString("N") + ":";

    /// <summary>The mailer and the mailbox over the same messages; the derived class owns their lifetime.</summary>
    protected abstract Task<(IMailer Mailer, IMailbox Mailbox)> CreateAsync();

    [Fact]
    public async Task A_sent_message_is_listed_with_its_queue_time()
    {
        var (mailer, mailbox) = await CreateAsync();

        Assert.True(await mailer.SendAsync(Message("one")));

        var stored = Assert.Single(await mailbox.ListAsync(new MailboxQuery { ProgramId = ProgramId }));
        Assert.Equal(Key("one"), stored.Message.IdempotencyKey);
        Assert.False(string.IsNullOrWhiteSpace(stored.Id));
        Assert.NotEqual(default, stored.QueuedAt);
        Assert.NotEqual(MailDeliveryStatus.Failed, stored.Status);
        Assert.Equal(0, stored.Attempts); // queued, and nothing has tried to deliver it yet
    }

    [Fact]
    public async Task The_same_key_twice_is_one_message_and_the_second_call_returns_false()
    {
        var (mailer, mailbox) = await CreateAsync();

        Assert.True(await mailer.SendAsync(Message("twice", subject: "first")));
        Assert.False(await mailer.SendAsync(Message("twice", subject: "second")));

        var stored = Assert.Single(await mailbox.ListAsync(new MailboxQuery { ProgramId = ProgramId }));
        Assert.Equal("first", stored.Message.Subject);
    }

    [Fact]
    public async Task Fifty_concurrent_sends_with_one_key_make_one_message()
    {
        var (mailer, mailbox) = await CreateAsync();
        using var start = new ManualResetEventSlim();

        var sends = Enumerable.Range(0, ConcurrentSenders).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await mailer.SendAsync(Message("race", subject: $"sender {i}"));
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(sends);

        Assert.Equal(1, results.Count(accepted => accepted));
        Assert.Single(await mailbox.ListAsync(new MailboxQuery { ProgramId = ProgramId }));
    }

    [Fact]
    public async Task Different_keys_are_different_messages_even_with_the_same_content()
    {
        var (mailer, mailbox) = await CreateAsync();

        Assert.True(await mailer.SendAsync(Message("a", subject: "same")));
        Assert.True(await mailer.SendAsync(Message("b", subject: "same")));

        Assert.Equal(2, (await mailbox.ListAsync(new MailboxQuery { ProgramId = ProgramId })).Count);
    }

    [Fact]
    public async Task Every_field_header_custom_arg_and_attachment_round_trips()
    {
        var (mailer, mailbox) = await CreateAsync();
        var ics = Encoding.UTF8.GetBytes("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n");
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var sent = Message("full") with
        {
            To = [new MailAddress("ana@example.com", "Ana Müller"), new MailAddress("bo@example.com")],
            Subject = "Grüße — «quoted» \"subject\"",
            HtmlBody = "<p style=\"color:red\">Hello &amp; <b>welcome</b></p>",
            TextBody = "Hello & welcome\r\nline two\n",
            Category = "intro",
            CustomArgs = new Dictionary<string, string> { ["windowId"] = "w-1", ["pairKey"] = "p_1+p_2" },
            Headers = new Dictionary<string, string> { ["List-Unsubscribe"] = "<https://example.com/u?t=1>", ["X-Trace"] = "abc" },
            Attachments = [new MailAttachment("first-meeting.ics", "text/calendar; method=PUBLISH", ics), new MailAttachment("data.bin", "application/octet-stream", binary)],
        };

        Assert.True(await mailer.SendAsync(sent));
        var listed = Assert.Single(await mailbox.ListAsync(new MailboxQuery { ProgramId = ProgramId }));
        var fetched = await mailbox.GetAsync(listed.Id);

        Assert.NotNull(fetched);
        foreach (var message in new[] { listed.Message, fetched.Message })
        {
            Assert.Equal(sent.IdempotencyKey, message.IdempotencyKey);
            Assert.Equal(sent.To, message.To);
            Assert.Equal(sent.Subject, message.Subject);
            Assert.Equal(sent.HtmlBody, message.HtmlBody);
            Assert.Equal(sent.TextBody, message.TextBody);
            Assert.Equal("intro", message.Category);
            Assert.Equal(ProgramId, message.ProgramId);
            Assert.Equal(sent.CustomArgs.OrderBy(p => p.Key), message.CustomArgs.OrderBy(p => p.Key));
            Assert.Equal(sent.Headers.OrderBy(p => p.Key), message.Headers.OrderBy(p => p.Key));
            Assert.Equal(2, message.Attachments.Count);
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal(sent.Attachments[i].FileName, message.Attachments[i].FileName);
                Assert.Equal(sent.Attachments[i].ContentType, message.Attachments[i].ContentType);
                Assert.Equal(sent.Attachments[i].Content, message.Attachments[i].Content);
            }
        }

        Assert.Equal(listed.Id, fetched.Id);
        Assert.Equal(listed.QueuedAt, fetched.QueuedAt);
    }

    [Fact]
    public async Task Defaults_round_trip_as_empty_not_null()
    {
        var (mailer, mailbox) = await CreateAsync();
        var sent = new MailMessage
        {
            IdempotencyKey = Key("bare"),
            To = [new MailAddress("ana@example.com")],
            Subject = "bare",
            HtmlBody = "<p>bare</p>",
            TextBody = "bare",
            ProgramId = ProgramId,
        };

        Assert.True(await mailer.SendAsync(sent));
        var stored = Assert.Single(await mailbox.ListAsync(new MailboxQuery { ProgramId = ProgramId }));

        Assert.Equal("general", stored.Message.Category);
        Assert.Empty(stored.Message.CustomArgs);
        Assert.Empty(stored.Message.Headers);
        Assert.Empty(stored.Message.Attachments);
        Assert.Null(stored.Message.To[0].Name);
    }

    [Fact]
    public async Task Getting_an_unknown_id_returns_null()
    {
        var (_, mailbox) = await CreateAsync();

        Assert.Null(await mailbox.GetAsync("no-such-message-" + Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public async Task Queries_filter_by_program_category_and_recipient_and_list_newest_first()
    {
        var (mailer, mailbox) = await CreateAsync();
        await mailer.SendAsync(Message("d1", category: "draft", to: "hr@example.com"));
        await mailer.SendAsync(Message("i1", category: "intro", to: "ana@example.com", also: "bo@example.com"));
        await mailer.SendAsync(Message("i2", category: "intro", to: "cy@example.com", also: "di@example.com"));
        await mailer.SendAsync(Message("x1", category: "intro", to: "ana@example.com", programId: OtherProgramId));

        var all = await mailbox.ListAsync(new MailboxQuery { ProgramId = ProgramId });
        Assert.Equal([Key("i2"), Key("i1"), Key("d1")], all.Select(m => m.Message.IdempotencyKey));

        var intros = await mailbox.ListAsync(new MailboxQuery { ProgramId = ProgramId, Category = "intro" });
        Assert.Equal([Key("i2"), Key("i1")], intros.Select(m => m.Message.IdempotencyKey));

        var toBo = await mailbox.ListAsync(new MailboxQuery { ProgramId = ProgramId, Recipient = "BO@Example.com " });
        Assert.Equal([Key("i1")], toBo.Select(m => m.Message.IdempotencyKey));

        var toAnaAnywhere = await mailbox.ListAsync(new MailboxQuery { Recipient = "ana@example.com", Category = "intro" });
        Assert.Contains(toAnaAnywhere, m => m.Message.IdempotencyKey == Key("i1"));
        Assert.Contains(toAnaAnywhere, m => m.Message.IdempotencyKey == Key("x1"));
        Assert.DoesNotContain(toAnaAnywhere, m => m.Message.IdempotencyKey == Key("i2"));

        var latest = await mailbox.ListAsync(new MailboxQuery { ProgramId = ProgramId, Limit = 1 });
        Assert.Equal([Key("i2")], latest.Select(m => m.Message.IdempotencyKey));

        Assert.Empty(await mailbox.ListAsync(new MailboxQuery { ProgramId = ProgramId, Category = "expiry" }));
        Assert.Single(await mailbox.ListAsync(new MailboxQuery { ProgramId = OtherProgramId }));
    }

    [Fact]
    public async Task A_message_without_recipients_or_key_is_refused()
    {
        var (mailer, mailbox) = await CreateAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => mailer.SendAsync(Message("nobody") with { To = [] }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => mailer.SendAsync(Message("blank") with { IdempotencyKey = " " }));
        Assert.Empty(await mailbox.ListAsync(new MailboxQuery { ProgramId = ProgramId }));
    }

    protected string Key(string name) => KeyPrefix + name;

    protected MailMessage Message(string key, string subject = "Hello", string category = "general", string to = "ana@example.com", string? also = null, string? programId = null) => new()
    {
        IdempotencyKey = Key(key),
        To = also is null ? [new MailAddress(to)] : [new MailAddress(to), new MailAddress(also)],
        Subject = subject,
        HtmlBody = "<p>" + subject + "</p>",
        TextBody = subject,
        Category = category,
        ProgramId = programId ?? ProgramId,
    };
}
