using System.Collections.Concurrent;
using Mentoring.Core.Mail;
using Mentoring.Core.Work;

namespace Mentoring.Contracts;

/// <summary>
/// The behaviour every <see cref="IWorkQueue"/> adapter promises, with its consumer side (the part a dispatcher or a
/// queue trigger plays): at-least-once delivery, one delivery per idempotency key ever, retries with backoff, a poison
/// list after <see cref="IWorkQueue.MaxAttempts"/> failed attempts, and redelivery after a consumer dies mid-item.
/// Derive and implement the abstract members; time comes only from <see cref="Clock"/>, which the suite moves.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Named after the port.")]
public abstract class WorkQueueContract
{
    protected static readonly DateTimeOffset T0 = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private const int ConcurrentEnqueuers = 50;

    /// <summary>A clock the suite moves; adapters must read time only from it.</summary>
    protected sealed class SuiteClock : TimeProvider
    {
        private readonly Lock gate = new();
        private DateTimeOffset now = T0;

        public override DateTimeOffset GetUtcNow()
        {
            lock (gate)
            {
                return now;
            }
        }

        public void Advance(TimeSpan by)
        {
            lock (gate)
            {
                now += by;
            }
        }
    }

    /// <summary>Records deliveries; throws for the first <see cref="FailuresToInject"/> of them.</summary>
    protected sealed class RecordingHandler : IWorkHandler
    {
        private readonly ConcurrentDictionary<string, int> perKey = new(StringComparer.Ordinal);
        private int failuresLeft;

        public ConcurrentQueue<WorkItem> Delivered { get; } = new();

        public int FailuresToInject
        {
            get => Volatile.Read(ref failuresLeft);
            set => Volatile.Write(ref failuresLeft, value);
        }

        public Func<WorkItem, Task>? Action { get; set; }

        public async Task HandleAsync(WorkItem item, CancellationToken cancellationToken = default)
        {
            Delivered.Enqueue(item);
            if (Action is { } action)
            {
                await action(item);
            }

            var delivery = perKey.AddOrUpdate(item.IdempotencyKey, 1, (_, n) => n + 1);
            if (Interlocked.Decrement(ref failuresLeft) >= 0)
            {
                throw new InvalidOperationException($"injected failure on delivery {delivery} of {item.IdempotencyKey}");
            }
        }
    }

    protected SuiteClock Clock { get; } = new();

    protected string ProgramId { get; } = "program-" + Guid.NewGuid().ToString("N");

    protected string OtherProgramId { get; } = "program-" + Guid.NewGuid().ToString("N");

    private string KeyPrefix { get; } = Guid.NewGuid().ToString("N") + "|";

    /// <summary>A queue over fresh storage that reads time from <paramref name="clock"/>.</summary>
    protected abstract Task<IWorkQueue> CreateQueueAsync(TimeProvider clock);

    /// <summary>Delivers every item due at the clock's time to <paramref name="handler"/> (one attempt each); returns the attempts made.</summary>
    protected abstract Task<int> DeliverDueAsync(IWorkQueue queue, IWorkHandler handler);

    /// <summary>
    /// A consumer that dies mid-item: takes the items due now, hands each to <paramref name="handler"/> when given,
    /// and then neither acknowledges nor fails them. Returns how many it took.
    /// </summary>
    protected abstract Task<int> CrashWhileHandlingAsync(IWorkQueue queue, IWorkHandler? handler);

    /// <summary>How long a taken item stays hidden from other consumers.</summary>
    protected abstract TimeSpan ClaimLease { get; }

    /// <summary>
    /// The adapter's wait after failed attempt number <paramref name="attempt"/> (1-based); must be more than a second.
    /// Its shape is the adapter's: the embedded queue doubles it, the Functions host retries a Storage queue message after
    /// host.json's fixed <c>visibilityTimeout</c>.
    /// </summary>
    protected abstract TimeSpan RetryDelayAfter(int attempt);

    /// <summary>The host's real mail port, for the end-to-end promise: one email however often an item is delivered.</summary>
    protected abstract Task<(IMailer Mailer, IMailbox Mailbox)> CreateMailAsync();

    [Fact]
    public async Task An_enqueued_item_is_delivered_once_with_every_value_intact()
    {
        var queue = await CreateQueueAsync(Clock);
        var handler = new RecordingHandler();
        var item = Item("full") with
        {
            ParticipantId = "p-1",
            MatchId = "m-1",
            DueAt = new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.FromHours(1)),
            Data = new Dictionary<string, string> { ["round"] = "2", ["wording"] = "ünïcødé \"quoted\"" },
        };

        Assert.True(await queue.EnqueueAsync(item));
        Assert.Equal(1, await DeliverDueAsync(queue, handler));
        Assert.Equal(0, await DeliverDueAsync(queue, handler));

        var delivered = Assert.Single(handler.Delivered);
        Assert.Equal(item.IdempotencyKey, delivered.IdempotencyKey);
        Assert.Equal(item.Purpose, delivered.Purpose);
        Assert.Equal(item.ProgramId, delivered.ProgramId);
        Assert.Equal("p-1", delivered.ParticipantId);
        Assert.Equal("m-1", delivered.MatchId);
        Assert.Equal(item.DueAt, delivered.DueAt);
        Assert.Equal(item.Data.OrderBy(p => p.Key), delivered.Data.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task Enqueueing_a_key_twice_is_one_delivery_and_the_second_call_returns_false()
    {
        var queue = await CreateQueueAsync(Clock);
        var handler = new RecordingHandler();

        Assert.True(await queue.EnqueueAsync(Item("twice") with { Data = new Dictionary<string, string> { ["v"] = "first" } }));
        Assert.False(await queue.EnqueueAsync(Item("twice") with { Data = new Dictionary<string, string> { ["v"] = "second" } }));
        await DeliverDueAsync(queue, handler);

        Assert.Equal("first", Assert.Single(handler.Delivered).Data["v"]);
    }

    [Fact]
    public async Task A_key_stays_taken_after_its_item_was_handled()
    {
        var queue = await CreateQueueAsync(Clock);
        var handler = new RecordingHandler();
        await queue.EnqueueAsync(Item("done"));
        await DeliverDueAsync(queue, handler);
        Clock.Advance(TimeSpan.FromDays(30));

        Assert.False(await queue.EnqueueAsync(Item("done")));
        Assert.Equal(0, await DeliverDueAsync(queue, handler));
        Assert.Single(handler.Delivered);
    }

    [Fact]
    public async Task Fifty_concurrent_enqueues_of_one_key_are_one_delivery()
    {
        var queue = await CreateQueueAsync(Clock);
        var handler = new RecordingHandler();
        using var start = new ManualResetEventSlim();

        var enqueues = Enumerable.Range(0, ConcurrentEnqueuers).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await queue.EnqueueAsync(Item("race"));
        })).ToArray();
        start.Set();
        var accepted = await Task.WhenAll(enqueues);
        await DeliverDueAsync(queue, handler);

        Assert.Equal(1, accepted.Count(a => a));
        Assert.Single(handler.Delivered);
    }

    [Fact]
    public async Task Concurrent_consumers_deliver_each_item_once()
    {
        var queue = await CreateQueueAsync(Clock);
        var handler = new RecordingHandler();
        for (var i = 0; i < 30; i++)
        {
            await queue.EnqueueAsync(Item($"many-{i}"));
        }

        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => DeliverDueAsync(queue, handler))));

        Assert.Equal(30, attempts.Sum());
        Assert.Equal(30, handler.Delivered.Select(d => d.IdempotencyKey).Distinct().Count());
    }

    [Fact]
    public async Task A_failed_item_is_redelivered_after_its_backoff_and_not_before()
    {
        var queue = await CreateQueueAsync(Clock);
        var handler = new RecordingHandler { FailuresToInject = 2 };
        await queue.EnqueueAsync(Item("flaky"));

        Assert.Equal(1, await DeliverDueAsync(queue, handler));
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var delay = RetryDelayAfter(attempt);
            Assert.True(delay > TimeSpan.FromSeconds(1), "a retry must wait");
            Clock.Advance(delay - TimeSpan.FromSeconds(1));
            Assert.Equal(0, await DeliverDueAsync(queue, handler));
            Clock.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(1, await DeliverDueAsync(queue, handler));
        }

        Assert.Equal(3, handler.Delivered.Count);
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await DeliverDueAsync(queue, handler));
        Assert.Empty(await queue.ListPoisonAsync(ProgramId));
    }

    [Fact]
    public async Task Five_failures_poison_the_item_with_the_last_error_and_stop_delivery()
    {
        var queue = await CreateQueueAsync(Clock);
        var handler = new RecordingHandler { FailuresToInject = int.MaxValue };
        await queue.EnqueueAsync(Item("doomed"));
        await queue.EnqueueAsync(Item("other-program", program: OtherProgramId));

        await FailEveryAttemptAsync(queue, handler);

        var poisoned = Assert.Single(await queue.ListPoisonAsync(ProgramId));
        Assert.Equal(Key("doomed"), poisoned.Item.IdempotencyKey);
        Assert.Equal(IWorkQueue.MaxAttempts, poisoned.Attempts);
        Assert.Contains($"injected failure on delivery {IWorkQueue.MaxAttempts} of {Key("doomed")}", poisoned.LastError, StringComparison.Ordinal);
        Assert.Equal(Clock.GetUtcNow(), poisoned.PoisonedAt);
        Assert.Equal(IWorkQueue.MaxAttempts, handler.Delivered.Count(d => d.IdempotencyKey == Key("doomed")));

        Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(0, await DeliverDueAsync(queue, handler));
        Assert.False(await queue.EnqueueAsync(Item("doomed")));
        Assert.Contains(await queue.ListPoisonAsync(), p => p.Item.IdempotencyKey == Key("doomed"));
        Assert.DoesNotContain(await queue.ListPoisonAsync(OtherProgramId), p => p.Item.IdempotencyKey == Key("doomed"));
    }

    [Fact]
    public async Task A_poisoned_item_retried_is_delivered_again_with_fresh_attempts()
    {
        var queue = await CreateQueueAsync(Clock);
        var handler = new RecordingHandler { FailuresToInject = int.MaxValue };
        await queue.EnqueueAsync(Item("revived"));
        await FailEveryAttemptAsync(queue, handler);
        Assert.Single(await queue.ListPoisonAsync(ProgramId));

        Assert.True(await queue.RetryPoisonAsync(Key("revived")));
        Assert.False(await queue.RetryPoisonAsync(Key("revived")));
        Assert.Empty(await queue.ListPoisonAsync(ProgramId));

        // Fresh attempts: it may fail again four times and still not be poisoned.
        handler.FailuresToInject = IWorkQueue.MaxAttempts - 1;
        Assert.Equal(1, await DeliverDueAsync(queue, handler));
        for (var attempt = 1; attempt < IWorkQueue.MaxAttempts; attempt++)
        {
            Clock.Advance(RetryDelayAfter(attempt));
            Assert.Equal(1, await DeliverDueAsync(queue, handler));
        }

        Assert.Empty(await queue.ListPoisonAsync(ProgramId));
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await DeliverDueAsync(queue, handler));
        Assert.Equal(2 * IWorkQueue.MaxAttempts, handler.Delivered.Count);
    }

    [Fact]
    public async Task Retrying_a_key_that_is_not_poisoned_returns_false()
    {
        var queue = await CreateQueueAsync(Clock);
        var handler = new RecordingHandler();
        await queue.EnqueueAsync(Item("queued"));
        await queue.EnqueueAsync(Item("handled"));
        await DeliverDueAsync(queue, handler);
        await queue.EnqueueAsync(Item("queued-later"));

        Assert.False(await queue.RetryPoisonAsync(Key("nobody")));
        Assert.False(await queue.RetryPoisonAsync(Key("handled")));
        Assert.False(await queue.RetryPoisonAsync(Key("queued-later")));
        Assert.Equal(1, await DeliverDueAsync(queue, handler));
    }

    [Fact]
    public async Task An_item_taken_by_a_consumer_that_died_is_delivered_again_after_the_lease()
    {
        var queue = await CreateQueueAsync(Clock);
        var handler = new RecordingHandler();
        await queue.EnqueueAsync(Item("orphan"));

        Assert.Equal(1, await CrashWhileHandlingAsync(queue, null));
        Assert.Equal(0, await DeliverDueAsync(queue, handler));
        Clock.Advance(ClaimLease - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await DeliverDueAsync(queue, handler));
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, await DeliverDueAsync(queue, handler));
        Assert.Equal(Key("orphan"), Assert.Single(handler.Delivered).IdempotencyKey);
        Clock.Advance(ClaimLease + TimeSpan.FromDays(1));
        Assert.Equal(0, await DeliverDueAsync(queue, handler));
    }

    [Fact]
    public async Task An_item_whose_every_attempt_dies_ends_in_the_poison_list()
    {
        var queue = await CreateQueueAsync(Clock);
        await queue.EnqueueAsync(Item("always-crashes"));

        for (var attempt = 1; attempt <= IWorkQueue.MaxAttempts; attempt++)
        {
            Assert.Equal(1, await CrashWhileHandlingAsync(queue, null));
            Clock.Advance(ClaimLease);
        }

        Assert.Equal(0, await DeliverDueAsync(queue, new RecordingHandler()));
        var poisoned = Assert.Single(await queue.ListPoisonAsync(ProgramId));
        Assert.Equal(Key("always-crashes"), poisoned.Item.IdempotencyKey);
        Assert.False(string.IsNullOrWhiteSpace(poisoned.LastError));
    }

    [Fact]
    public async Task A_mail_sent_with_the_item_key_is_one_message_however_often_the_item_is_delivered()
    {
        var queue = await CreateQueueAsync(Clock);
        var (mailer, mailbox) = await CreateMailAsync();
        // First delivery sends, then dies before acknowledging; the next one (after the lease) sends again.
        var handler = new RecordingHandler { Action = item => mailer.SendAsync(Mail(item)) };
        await queue.EnqueueAsync(Item("nudge:ana@example.com"));
        await queue.EnqueueAsync(Item("nudge:bo@example.com"));

        Assert.Equal(2, await CrashWhileHandlingAsync(queue, handler));
        Clock.Advance(ClaimLease);
        Assert.Equal(2, await DeliverDueAsync(queue, handler));
        // And a handler failure after the send: retried, sent a third time.
        await queue.EnqueueAsync(Item("nudge:cy@example.com"));
        handler.FailuresToInject = 1;
        Assert.Equal(1, await DeliverDueAsync(queue, handler));
        Clock.Advance(RetryDelayAfter(1));
        Assert.Equal(1, await DeliverDueAsync(queue, handler));

        Assert.Equal(6, handler.Delivered.Count);
        var mails = await mailbox.ListAsync(new MailboxQuery { ProgramId = ProgramId });
        Assert.Equal(3, mails.Count);
        Assert.Equal(
            new[] { Key("nudge:ana@example.com"), Key("nudge:bo@example.com"), Key("nudge:cy@example.com") },
            mails.Select(m => m.Message.IdempotencyKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_item_without_a_key_is_refused()
    {
        var queue = await CreateQueueAsync(Clock);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => queue.EnqueueAsync(Item("x") with { IdempotencyKey = " " }));
    }

    private async Task FailEveryAttemptAsync(IWorkQueue queue, RecordingHandler handler)
    {
        await DeliverDueAsync(queue, handler);
        for (var attempt = 1; attempt < IWorkQueue.MaxAttempts; attempt++)
        {
            Clock.Advance(RetryDelayAfter(attempt));
            Assert.True(await DeliverDueAsync(queue, handler) >= 1);
        }
    }

    private string Key(string name) => KeyPrefix + name;

    private WorkItem Item(string name, string? program = null) => new()
    {
        IdempotencyKey = Key(name),
        Purpose = WorkPurposes.CheckInNudge,
        ProgramId = program ?? ProgramId,
        DueAt = T0,
    };

    private static MailMessage Mail(WorkItem item) => new()
    {
        IdempotencyKey = item.IdempotencyKey,
        ProgramId = item.ProgramId,
        Category = "checkin",
        To = [new MailAddress(item.IdempotencyKey[(item.IdempotencyKey.IndexOf("nudge:", StringComparison.Ordinal) + 6)..])],
        Subject = "How is it going?",
        TextBody = "text",
        HtmlBody = "<p>html</p>",
    };
}
