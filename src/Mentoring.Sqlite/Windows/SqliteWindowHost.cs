using System.Globalization;
using System.Text.Json;
using Mentoring.Core.Common;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;
using Microsoft.Data.Sqlite;

namespace Mentoring.Sqlite.Windows;

/// <summary>
/// The embedded workflow host: interprets <see cref="MatchingWindowDecider"/> with state, an event inbox, timers and
/// pending commands in SQLite. Each event is decided in one transaction that also records the commands it produced,
/// so a restart at any point resumes: undecided events are decided, unfinished commands run again (they are
/// idempotent), and timers that fell due while the server was down fire on the next run.
/// </summary>
public sealed class SqliteWindowHost : IWindowHost, IDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS window_instances (
            instance_id TEXT PRIMARY KEY,
            program_id  TEXT NOT NULL,
            window_id   TEXT NOT NULL,
            phase       TEXT NOT NULL,
            state_json  TEXT NOT NULL,
            updated_at  INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS window_instances_program ON window_instances (program_id);
        CREATE TABLE IF NOT EXISTS window_inbox (
            seq          INTEGER PRIMARY KEY AUTOINCREMENT,
            instance_id  TEXT NOT NULL,
            dedupe_key   TEXT UNIQUE,
            event_json   TEXT NOT NULL,
            enqueued_at  INTEGER NOT NULL,
            processed_at INTEGER,
            refusal      TEXT
        );
        CREATE INDEX IF NOT EXISTS window_inbox_pending ON window_inbox (processed_at, seq);
        CREATE TABLE IF NOT EXISTS window_timers (
            instance_id TEXT NOT NULL,
            timer_id    TEXT NOT NULL,
            due_at      INTEGER NOT NULL,
            PRIMARY KEY (instance_id, timer_id)
        );
        CREATE TABLE IF NOT EXISTS window_commands (
            instance_id     TEXT NOT NULL,
            command_key     TEXT NOT NULL,
            command_json    TEXT NOT NULL,
            seq             INTEGER NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            last_error      TEXT,
            PRIMARY KEY (instance_id, command_key)
        );
        """;

    private readonly SqliteDatabase database;
    private readonly IWindowActivities activities;
    private readonly TimeProvider clock;
    private readonly Action<string, Exception>? onCommandFailed;
    private readonly SemaphoreSlim gate = new(1, 1);

    public SqliteWindowHost(SqliteStoreOptions options, IWindowActivities activities, TimeProvider clock,
        Action<string, Exception>? onCommandFailed = null)
    {
        database = new SqliteDatabase(options, typeof(SqliteWindowHost), Schema);
        this.activities = activities;
        this.clock = clock;
        this.onCommandFailed = onCommandFailed;
    }

    public static string InstanceId(string programId, string windowId) => $"{programId}:{windowId}";

    public async Task<bool> StartAsync(WindowOpened opened, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opened);
        var instance = InstanceId(opened.ProgramId, opened.WindowId);
        bool inserted;
        await using (var lease = await database.RentAsync(cancellationToken))
        {
            inserted = await EnqueueAsync(lease.Connection, null, instance, opened, $"{instance}#opened", cancellationToken);
        }
        await RunDueAsync(cancellationToken);
        return inserted;
    }

    public async Task RaiseAsync(string programId, string windowId, WindowEvent windowEvent, CancellationToken cancellationToken = default)
    {
        await using (var lease = await database.RentAsync(cancellationToken))
        {
            await EnqueueAsync(lease.Connection, null, InstanceId(programId, windowId), windowEvent, null, cancellationToken);
        }
        await RunDueAsync(cancellationToken);
    }

    public async Task<WindowState?> GetAsync(string programId, string windowId, CancellationToken cancellationToken = default)
    {
        await using var lease = await database.RentAsync(cancellationToken);
        return await LoadStateAsync(lease.Connection, null, InstanceId(programId, windowId), cancellationToken);
    }

    public async Task<IReadOnlyList<WindowState>> ListAsync(string programId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT state_json FROM window_instances WHERE program_id = @p ORDER BY window_id;";
        command.Parameters.AddWithValue("@p", programId);
        var states = new List<WindowState>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            states.Add(Deserialize<WindowState>(reader.GetString(0)));
        }
        return states;
    }

    /// <summary>The pending commands of an instance, for the admin view (what is still to do, and why it failed).</summary>
    public async Task<IReadOnlyList<(string Key, int Attempts, string? LastError)>> PendingCommandsAsync(string programId, string windowId,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT command_key, attempts, last_error FROM window_commands WHERE instance_id = @i ORDER BY seq;";
        command.Parameters.AddWithValue("@i", InstanceId(programId, windowId));
        var pending = new List<(string, int, string?)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            pending.Add((reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }
        return pending;
    }

    /// <summary>The earliest instant at which a timer or a command retry is due, if any (the background loop sleeps until then).</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT min(t) FROM (SELECT min(due_at) AS t FROM window_timers UNION ALL SELECT min(next_attempt_at) FROM window_commands);";
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    /// <summary>Fires due timers, decides every pending event, runs every due command, until nothing is left to do now.</summary>
    public async Task RunDueAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var lease = await database.RentAsync(cancellationToken);
            var connection = lease.Connection;
            await FireDueTimersAsync(connection, cancellationToken);
            while (await DecideNextAsync(connection, cancellationToken) || await ExecuteNextAsync(connection, cancellationToken))
            {
                // keep going: a command's result is a new event, an event's decision new commands
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private long Now => clock.GetUtcNow().UtcTicks;

    private async Task FireDueTimersAsync(SqliteConnection connection, CancellationToken ct)
    {
        var due = new List<(string Instance, string Timer, long DueAt)>();
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT instance_id, timer_id, due_at FROM window_timers WHERE due_at <= @now ORDER BY due_at;";
            select.Parameters.AddWithValue("@now", Now);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                due.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
            }
        }
        foreach (var (instance, timer, dueAt) in due)
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            await EnqueueAsync(connection, transaction, instance, new TimerFired(timer, clock.GetUtcNow()),
                string.Create(CultureInfo.InvariantCulture, $"{instance}#timer#{timer}#{dueAt}"), ct);
            await ExecuteAsync(connection, transaction, "DELETE FROM window_timers WHERE instance_id = @i AND timer_id = @t;", ct,
                ("@i", instance), ("@t", timer));
            await transaction.CommitAsync(ct);
        }
    }

    private async Task<bool> DecideNextAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using var transaction = connection.BeginTransaction(deferred: false);
        long seq;
        string instance;
        WindowEvent windowEvent;
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT seq, instance_id, event_json FROM window_inbox WHERE processed_at IS NULL ORDER BY seq LIMIT 1;";
            await using var reader = await select.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return false;
            }
            (seq, instance, windowEvent) = (reader.GetInt64(0), reader.GetString(1), Deserialize<WindowEvent>(reader.GetString(2)));
        }

        var state = await LoadStateAsync(connection, transaction, instance, ct);
        var decision = MatchingWindowDecider.Decide(state, windowEvent);
        if (!decision.Refused && decision.State is { } next)
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO window_instances (instance_id, program_id, window_id, phase, state_json, updated_at)
                VALUES (@i, @p, @w, @phase, @state, @now)
                ON CONFLICT (instance_id) DO UPDATE SET phase = excluded.phase, state_json = excluded.state_json, updated_at = excluded.updated_at;
                """, ct, ("@i", instance), ("@p", next.ProgramId), ("@w", next.WindowId), ("@phase", next.Phase.ToString()),
                ("@state", JsonSerializer.Serialize(next, MentoringJson.Options)), ("@now", Now));
            // The state names the one pending timer; any other is superseded.
            await ExecuteAsync(connection, transaction, "DELETE FROM window_timers WHERE instance_id = @i AND timer_id IS NOT @t;", ct,
                ("@i", instance), ("@t", next.Timer?.TimerId));
            var order = 0;
            foreach (var command in decision.Commands)
            {
                if (command is ScheduleTimer timer)
                {
                    await ExecuteAsync(connection, transaction,
                        "INSERT OR REPLACE INTO window_timers (instance_id, timer_id, due_at) VALUES (@i, @t, @due);", ct,
                        ("@i", instance), ("@t", timer.TimerId), ("@due", timer.DueAt.UtcTicks));
                    continue;
                }
                await ExecuteAsync(connection, transaction, """
                    INSERT OR IGNORE INTO window_commands (instance_id, command_key, command_json, seq, next_attempt_at)
                    VALUES (@i, @k, @c, @seq, @now);
                    """, ct, ("@i", instance), ("@k", command.Key), ("@c", JsonSerializer.Serialize(command, MentoringJson.Options)),
                    ("@seq", seq * 100 + order++), ("@now", Now));
            }
        }
        await ExecuteAsync(connection, transaction, "UPDATE window_inbox SET processed_at = @now, refusal = @r WHERE seq = @seq;", ct,
            ("@now", Now), ("@r", decision.Refusal), ("@seq", seq));
        await transaction.CommitAsync(ct);
        return true;
    }

    private async Task<bool> ExecuteNextAsync(SqliteConnection connection, CancellationToken ct)
    {
        string instance;
        string key;
        WindowCommand command;
        int attempts;
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = """
                SELECT instance_id, command_key, command_json, attempts FROM window_commands
                WHERE next_attempt_at <= @now ORDER BY seq LIMIT 1;
                """;
            select.Parameters.AddWithValue("@now", Now);
            await using var reader = await select.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return false;
            }
            (instance, key, command, attempts) = (reader.GetString(0), reader.GetString(1), Deserialize<WindowCommand>(reader.GetString(2)), reader.GetInt32(3));
        }

        var state = await LoadStateAsync(connection, null, instance, ct)
            ?? throw new InvalidOperationException($"Window instance {instance} has commands but no state.");
        WindowEvent? result;
        try
        {
            result = command is CompleteWindow ? null : await activities.ExecuteAsync(state, command, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            onCommandFailed?.Invoke($"{instance} {key}", e);
            var backoff = Backoff.After(attempts + 1, FirstBackoff, MaxBackoff);
            await ExecuteAsync(connection, null, """
                UPDATE window_commands SET attempts = attempts + 1, next_attempt_at = @next, last_error = @error
                WHERE instance_id = @i AND command_key = @k;
                """, ct, ("@next", (clock.GetUtcNow() + backoff).UtcTicks), ("@error", e.Message), ("@i", instance), ("@k", key));
            return true;
        }

        await using var transaction = connection.BeginTransaction(deferred: false);
        if (result is WindowOpened next)
        {
            await EnqueueAsync(connection, transaction, InstanceId(next.ProgramId, next.WindowId), next,
                $"{InstanceId(next.ProgramId, next.WindowId)}#opened", ct);
        }
        else if (result is not null)
        {
            await EnqueueAsync(connection, transaction, instance, result, $"{instance}#{key}#result", ct);
        }
        await ExecuteAsync(connection, transaction, "DELETE FROM window_commands WHERE instance_id = @i AND command_key = @k;", ct,
            ("@i", instance), ("@k", key));
        await transaction.CommitAsync(ct);
        return true;
    }

    private async Task<bool> EnqueueAsync(SqliteConnection connection, SqliteTransaction? transaction, string instance, WindowEvent windowEvent,
        string? dedupeKey, CancellationToken ct) =>
        await ExecuteAsync(connection, transaction, """
            INSERT OR IGNORE INTO window_inbox (instance_id, dedupe_key, event_json, enqueued_at) VALUES (@i, @d, @e, @now);
            """, ct, ("@i", instance), ("@d", dedupeKey), ("@e", JsonSerializer.Serialize(windowEvent, MentoringJson.Options)), ("@now", Now)) == 1;

    private static async Task<WindowState?> LoadStateAsync(SqliteConnection connection, SqliteTransaction? transaction, string instance, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT state_json FROM window_instances WHERE instance_id = @i;";
        command.Parameters.AddWithValue("@i", instance);
        return await command.ExecuteScalarAsync(ct) is string json ? Deserialize<WindowState>(json) : null;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken ct,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, MentoringJson.Options) ?? throw new InvalidOperationException($"Stored {typeof(T).Name} is null.");

    public void Dispose()
    {
        database.Dispose();
        gate.Dispose();
    }
}
