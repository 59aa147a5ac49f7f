using System.Globalization;
using System.Text;
using System.Text.Json;
using Mentoring.Core.Common;
using Mentoring.Core.Work;
using Microsoft.Data.Sqlite;

namespace Mentoring.Sqlite;

/// <summary>How long claims last and how failed attempts back off.</summary>
public sealed record WorkQueueTimings
{
    /// <summary>Wait after the first failed attempt; doubles after each further failure, capped at <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a claimed item stays hidden while it is handled; a consumer that dies leaves it due again after this.</summary>
    public TimeSpan ClaimLease { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan RetryDelayAfter(int attempt) => Backoff.After(attempt, RetryDelay, MaxRetryDelay);

    internal void Validate()
    {
        if (RetryDelay <= TimeSpan.Zero || MaxRetryDelay < RetryDelay || ClaimLease <= TimeSpan.Zero)
        {
            throw new ArgumentException("Work queue timings need a positive RetryDelay, MaxRetryDelay >= RetryDelay and a positive ClaimLease.");
        }
    }
}

/// <summary>One item claimed for one attempt. <see cref="Attempt"/> is 1 for the first attempt.</summary>
public sealed record WorkClaim(WorkItem Item, int Attempt, string ClaimId);

/// <summary>An attempt that threw: retried at <see cref="RetryAt"/>, or poisoned when that is null.</summary>
public sealed record WorkAttemptFailure(string IdempotencyKey, string Purpose, int Attempt, string Error, DateTimeOffset? RetryAt, Exception Exception)
{
    public bool Poisoned => RetryAt is null;
}

/// <summary>What one <see cref="SqliteWorkQueue.DeliverDueAsync"/> pass did.</summary>
public sealed record WorkDeliveryReport(int Completed, IReadOnlyList<WorkAttemptFailure> Failures)
{
    public int Retrying => Failures.Count(f => !f.Poisoned);
    public int Poisoned => Failures.Count(f => f.Poisoned);
    public int Attempted => Completed + Failures.Count;
}

/// <summary>
/// The embedded <see cref="IWorkQueue"/>: a table of its own in the SQLite file the document store and the mail outbox
/// use (WAL, synchronous NORMAL, busy timeout). <c>INSERT ... ON CONFLICT DO NOTHING</c> on the idempotency key decides
/// deduplication, and finished items stay (status done), so a key is accepted once, ever.
/// Consumers claim due items with a lease (a crash mid-handle leaves the item due again when the lease ends), then
/// complete them or fail them: a failure is retried with exponential backoff, and the attempt number
/// <see cref="IWorkQueue.MaxAttempts"/> that fails (or never finishes) poisons the item until an admin retries it.
/// Also keeps the last run of each scheduled job (<see cref="GetScheduleLastRunAsync"/>), so timers survive restarts.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue.")]
public sealed class SqliteWorkQueue : IWorkQueue, IDisposable
{
    private const int DefaultBatchSize = 20;
    private const string Queued = "queued";
    private const string Poison = "poisoned";

    /// <summary>Created once per instance (idempotent DDL, any start-up order).</summary>
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS work_items (
            idempotency_key TEXT    NOT NULL PRIMARY KEY,
            purpose         TEXT    NOT NULL,
            program_id      TEXT    NOT NULL,
            item_json       TEXT    NOT NULL,
            enqueued_at     INTEGER NOT NULL,
            status          TEXT    NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER,
            claim_id        TEXT,
            last_error      TEXT,
            completed_at    INTEGER,
            poisoned_at     INTEGER
        );
        CREATE INDEX IF NOT EXISTS ix_work_items_due ON work_items (status, next_attempt_at);
        CREATE INDEX IF NOT EXISTS ix_work_items_poison ON work_items (status, program_id, poisoned_at);
        CREATE TABLE IF NOT EXISTS work_schedules (
            name        TEXT    NOT NULL PRIMARY KEY,
            last_run_at INTEGER NOT NULL
        );
        """;

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;

    public SqliteWorkQueue(SqliteStoreOptions options, TimeProvider? timeProvider = null, WorkQueueTimings? timings = null)
    {
        _database = new SqliteDatabase(options, typeof(SqliteWorkQueue), Schema);
        Timings = timings ?? new WorkQueueTimings();
        Timings.Validate();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Raised after an item became due now: a new key was enqueued, or a poisoned item was retried.</summary>
    public event EventHandler? ItemQueued;

    public WorkQueueTimings Timings { get; }

    public async Task<bool> EnqueueAsync(WorkItem item, CancellationToken cancellationToken = default)
    {
        WorkItem.Validate(item);
        var now = _time.GetUtcNow().UtcTicks;
        await using var connection = await _database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO work_items (idempotency_key, purpose, program_id, item_json, enqueued_at, status, attempts, next_attempt_at)
            VALUES (@key, @purpose, @program, @json, @now, 'queued', 0, @now)
            ON CONFLICT (idempotency_key) DO NOTHING;
            """;
        command.Parameters.AddWithValue("@key", item.IdempotencyKey);
        command.Parameters.AddWithValue("@purpose", item.Purpose);
        command.Parameters.AddWithValue("@program", item.ProgramId);
        command.Parameters.AddWithValue("@json", JsonSerializer.Serialize(item, MentoringJson.Options));
        command.Parameters.AddWithValue("@now", now);
        var accepted = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        if (accepted)
        {
            ItemQueued?.Invoke(this, EventArgs.Empty);
        }

        return accepted;
    }

    public async Task<IReadOnlyList<PoisonedWork>> ListPoisonAsync(string? programId = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT item_json, attempts, last_error, poisoned_at FROM work_items WHERE status = 'poisoned'");
        if (programId is not null)
        {
            sql.Append(" AND program_id = @program");
            command.Parameters.AddWithValue("@program", programId);
        }

        command.CommandText = sql.Append(" ORDER BY poisoned_at, idempotency_key;").ToString();
        var items = new List<PoisonedWork>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new PoisonedWork(
                Deserialize(reader.GetString(0)),
                reader.GetInt32(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                new DateTimeOffset(reader.IsDBNull(3) ? 0 : reader.GetInt64(3), TimeSpan.Zero)));
        }

        return items;
    }

    public async Task<bool> RetryPoisonAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        await using var connection = await _database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE work_items SET status = 'queued', attempts = 0, next_attempt_at = @now, claim_id = NULL, poisoned_at = NULL
            WHERE idempotency_key = @key AND status = 'poisoned';
            """;
        command.Parameters.AddWithValue("@key", idempotencyKey);
        command.Parameters.AddWithValue("@now", _time.GetUtcNow().UtcTicks);
        var retried = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        if (retried)
        {
            ItemQueued?.Invoke(this, EventArgs.Empty);
        }

        return retried;
    }

    /// <summary>
    /// Claims up to <paramref name="max"/> items due now for one attempt each: counts the attempt and hides them for
    /// <see cref="WorkQueueTimings.ClaimLease"/> (one statement, so concurrent consumers never claim one item at once).
    /// Items whose last allowed attempt never finished (the lease ran out) are poisoned instead of claimed.
    /// </summary>
    public async Task<IReadOnlyList<WorkClaim>> ClaimDueAsync(int max = DefaultBatchSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var now = _time.GetUtcNow();
        await using var connection = await _database.RentAsync(cancellationToken);
        await using (var poison = connection.CreateCommand())
        {
            poison.CommandText = """
                UPDATE work_items SET status = 'poisoned', poisoned_at = @now, next_attempt_at = NULL, claim_id = NULL,
                    last_error = 'Attempt ' || attempts || ' did not finish within the claim lease (the consumer stopped or hung).'
                WHERE status = 'queued' AND next_attempt_at <= @now AND attempts >= @maxAttempts;
                """;
            poison.Parameters.AddWithValue("@now", now.UtcTicks);
            poison.Parameters.AddWithValue("@maxAttempts", IWorkQueue.MaxAttempts);
            await poison.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE work_items SET attempts = attempts + 1, next_attempt_at = @leaseUntil, claim_id = @claim
            WHERE idempotency_key IN (
                SELECT idempotency_key FROM work_items
                WHERE status = 'queued' AND next_attempt_at <= @now AND attempts < @maxAttempts
                ORDER BY next_attempt_at, enqueued_at LIMIT @max)
            RETURNING item_json, attempts, enqueued_at;
            """;
        var claimId = "c_" + Guid.NewGuid().ToString("N");
        command.Parameters.AddWithValue("@now", now.UtcTicks);
        command.Parameters.AddWithValue("@leaseUntil", (now + Timings.ClaimLease).UtcTicks);
        command.Parameters.AddWithValue("@claim", claimId);
        command.Parameters.AddWithValue("@maxAttempts", IWorkQueue.MaxAttempts);
        command.Parameters.AddWithValue("@max", max);
        var claimed = new List<(long EnqueuedAt, WorkClaim Claim)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add((reader.GetInt64(2), new WorkClaim(Deserialize(reader.GetString(0)), reader.GetInt32(1), claimId)));
            }
        }

        return [.. claimed.OrderBy(c => c.EnqueuedAt).Select(c => c.Claim)];
    }

    /// <summary>The item was handled: it is done for good (its key stays taken). False when it was no longer queued.</summary>
    public async Task<bool> CompleteAsync(WorkClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await using var connection = await _database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE work_items SET status = 'done', completed_at = @now, next_attempt_at = NULL, claim_id = NULL
            WHERE idempotency_key = @key AND status = 'queued';
            """;
        command.Parameters.AddWithValue("@key", claim.Item.IdempotencyKey);
        command.Parameters.AddWithValue("@now", _time.GetUtcNow().UtcTicks);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// The attempt failed: retry after the backoff for its attempt number, or poison the item when it was attempt
    /// <see cref="IWorkQueue.MaxAttempts"/>. Returns the retry time (null: poisoned). A stale claim (its lease ended and
    /// someone else claimed the item) changes nothing and returns the time it would have used.
    /// </summary>
    public async Task<DateTimeOffset?> FailAsync(WorkClaim claim, string error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(error);
        var now = _time.GetUtcNow();
        DateTimeOffset? retryAt = claim.Attempt >= IWorkQueue.MaxAttempts ? null : now + Timings.RetryDelayAfter(claim.Attempt);
        await using var connection = await _database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE work_items SET status = @status, next_attempt_at = @retryAt, last_error = @error, claim_id = NULL,
                poisoned_at = CASE WHEN @retryAt IS NULL THEN @now ELSE NULL END
            WHERE idempotency_key = @key AND status = 'queued' AND claim_id = @claim;
            """;
        command.Parameters.AddWithValue("@key", claim.Item.IdempotencyKey);
        command.Parameters.AddWithValue("@claim", claim.ClaimId);
        command.Parameters.AddWithValue("@status", retryAt is null ? Poison : Queued);
        command.Parameters.AddWithValue("@retryAt", retryAt is { } at ? at.UtcTicks : DBNull.Value);
        command.Parameters.AddWithValue("@error", error);
        command.Parameters.AddWithValue("@now", now.UtcTicks);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return retryAt;
    }

    /// <summary>Gives a claim back unattempted (the consumer is shutting down): due now, the attempt not counted.</summary>
    public async Task<bool> ReleaseAsync(WorkClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await using var connection = await _database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE work_items SET attempts = MAX(attempts - 1, 0), next_attempt_at = @now, claim_id = NULL
            WHERE idempotency_key = @key AND status = 'queued' AND claim_id = @claim;
            """;
        command.Parameters.AddWithValue("@key", claim.Item.IdempotencyKey);
        command.Parameters.AddWithValue("@claim", claim.ClaimId);
        command.Parameters.AddWithValue("@now", _time.GetUtcNow().UtcTicks);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Hands every item due now to <paramref name="handler"/> (one attempt each): completes those it handled, fails
    /// those it threw for. Items that fail are rescheduled into the future, so one pass ends. On cancellation the
    /// claims not yet handled are released.
    /// </summary>
    public async Task<WorkDeliveryReport> DeliverDueAsync(IWorkHandler handler, int batchSize = DefaultBatchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var completed = 0;
        var failures = new List<WorkAttemptFailure>();
        while (true)
        {
            var batch = await ClaimDueAsync(batchSize, cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                var claim = batch[i];
                if (cancellationToken.IsCancellationRequested)
                {
                    await ReleaseAllAsync(batch.Skip(i));
                    cancellationToken.ThrowIfCancellationRequested();
                }

                try
                {
                    await handler.HandleAsync(claim.Item, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    await ReleaseAllAsync(batch.Skip(i));
                    throw;
                }
                catch (Exception ex)
                {
                    var error = FailureText.Describe(ex);
                    var retryAt = await FailAsync(claim, error, CancellationToken.None);
                    failures.Add(new WorkAttemptFailure(claim.Item.IdempotencyKey, claim.Item.Purpose, claim.Attempt, error, retryAt, ex));
                    continue;
                }

                await CompleteAsync(claim, CancellationToken.None);
                completed++;
            }

            if (batch.Count < batchSize)
            {
                return new WorkDeliveryReport(completed, failures);
            }
        }
    }

    /// <summary>When the next queued item becomes due (or its lease ends); null when nothing is queued.</summary>
    public async Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(next_attempt_at) FROM work_items WHERE status = 'queued';";
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    /// <summary>When the scheduled job <paramref name="name"/> last ran; null when it never did.</summary>
    public async Task<DateTimeOffset?> GetScheduleLastRunAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var connection = await _database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT last_run_at FROM work_schedules WHERE name = @name;";
        command.Parameters.AddWithValue("@name", name);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    /// <summary>Records that the scheduled job <paramref name="name"/> ran at <paramref name="at"/>; never moves it back.</summary>
    public async Task SetScheduleLastRunAsync(string name, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var connection = await _database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO work_schedules (name, last_run_at) VALUES (@name, @at)
            ON CONFLICT (name) DO UPDATE SET last_run_at = MAX(last_run_at, excluded.last_run_at);
            """;
        command.Parameters.AddWithValue("@name", name);
        command.Parameters.AddWithValue("@at", at.UtcTicks);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Dispose() => _database.Dispose();

    private async Task ReleaseAllAsync(IEnumerable<WorkClaim> claims)
    {
        foreach (var claim in claims)
        {
            await ReleaseAsync(claim, CancellationToken.None);
        }
    }

    private static WorkItem Deserialize(string json) =>
        JsonSerializer.Deserialize<WorkItem>(json, MentoringJson.Options)
        ?? throw new InvalidOperationException("A work item has a null body.");
}
