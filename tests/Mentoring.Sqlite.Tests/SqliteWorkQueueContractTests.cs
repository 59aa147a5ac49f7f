using Mentoring.Contracts;
using Mentoring.Core.Mail;
using Mentoring.Core.Work;

namespace Mentoring.Sqlite.Tests;

/// <summary>The work-queue contract on a real SQLite file, shared with a document store and the mail outbox as in the embedded host.</summary>
public sealed class SqliteWorkQueueContractTests : WorkQueueContract, IDisposable
{
    private static readonly WorkQueueTimings Timings = new();
    private readonly TempDatabaseFolder _folder = new();
    private readonly List<IDisposable> _owned = [];

    protected override TimeSpan ClaimLease => Timings.ClaimLease;

    protected override TimeSpan RetryDelayAfter(int attempt) => Timings.RetryDelayAfter(attempt);

    protected override Task<IWorkQueue> CreateQueueAsync(TimeProvider clock)
    {
        // The document store opens the file first, as the host does; the queue adds its own tables to it.
        _folder.OpenStore();
        var queue = new SqliteWorkQueue(new SqliteStoreOptions(_folder.DatabasePath), clock, Timings);
        _owned.Add(queue);
        return Task.FromResult<IWorkQueue>(queue);
    }

    protected override async Task<int> DeliverDueAsync(IWorkQueue queue, IWorkHandler handler) =>
        (await ((SqliteWorkQueue)queue).DeliverDueAsync(handler, batchSize: 7)).Attempted;

    protected override async Task<int> CrashWhileHandlingAsync(IWorkQueue queue, IWorkHandler? handler)
    {
        var claims = await ((SqliteWorkQueue)queue).ClaimDueAsync(100);
        foreach (var claim in claims)
        {
            if (handler is not null)
            {
                await handler.HandleAsync(claim.Item);
            }
        }

        return claims.Count;
    }

    protected override Task<(IMailer Mailer, IMailbox Mailbox)> CreateMailAsync()
    {
        var outbox = new SqliteMailOutbox(new SqliteStoreOptions(_folder.DatabasePath), Clock);
        _owned.Add(outbox);
        return Task.FromResult<(IMailer, IMailbox)>((outbox, outbox));
    }

    [Fact]
    public void Backoff_starts_at_thirty_seconds_doubles_and_is_capped()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Timings.RetryDelayAfter(1));
        Assert.Equal(TimeSpan.FromSeconds(60), Timings.RetryDelayAfter(2));
        Assert.Equal(TimeSpan.FromSeconds(240), Timings.RetryDelayAfter(4));
        Assert.Equal(TimeSpan.FromHours(1), Timings.RetryDelayAfter(40));
    }

    [Fact]
    public async Task Queue_state_survives_a_restart()
    {
        var first = (SqliteWorkQueue)await CreateQueueAsync(Clock);
        await first.EnqueueAsync(new WorkItem { IdempotencyKey = "k", Purpose = "p", ProgramId = ProgramId });
        await first.SetScheduleLastRunAsync("CheckIns", T0);
        first.Dispose();

        var second = (SqliteWorkQueue)await CreateQueueAsync(Clock);
        Assert.False(await second.EnqueueAsync(new WorkItem { IdempotencyKey = "k", Purpose = "p", ProgramId = ProgramId }));
        Assert.Equal(T0, await second.GetScheduleLastRunAsync("CheckIns"));
        Assert.Null(await second.GetScheduleLastRunAsync("SurveyReminders"));
        await second.SetScheduleLastRunAsync("CheckIns", T0.AddDays(-1));
        Assert.Equal(T0, await second.GetScheduleLastRunAsync("CheckIns"));
        Assert.Equal(T0, await second.NextDueAtAsync());
        Assert.Single((await second.ClaimDueAsync()));
        Assert.Equal(T0 + Timings.ClaimLease, await second.NextDueAtAsync());
    }

    [Fact]
    public async Task Enqueue_and_retry_raise_the_wake_up_event_but_a_duplicate_does_not()
    {
        var queue = (SqliteWorkQueue)await CreateQueueAsync(Clock);
        var raised = 0;
        queue.ItemQueued += (_, _) => Interlocked.Increment(ref raised);

        await queue.EnqueueAsync(new WorkItem { IdempotencyKey = "wake", Purpose = "p", ProgramId = ProgramId });
        await queue.EnqueueAsync(new WorkItem { IdempotencyKey = "wake", Purpose = "p", ProgramId = ProgramId });

        Assert.Equal(1, raised);
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _folder.Dispose();
    }
}
