using System.Globalization;
using System.Text;
using System.Text.Json;
using Mentoring.Core.Common;
using Mentoring.Core.Mail;
using Mentoring.Core.Privacy;
using Microsoft.Data.Sqlite;

namespace Mentoring.Sqlite;

/// <summary>A message claimed for one delivery attempt.</summary>
/// <param name="Attempt">1 for the first attempt.</param>
public sealed record OutboxDelivery(string Id, MailMessage Message, int Attempt);

/// <summary>
/// The embedded outbox: <see cref="IMailer"/> and <see cref="IMailbox"/> on the same SQLite file (WAL, busy timeout) as
/// <see cref="SqliteDocumentStore"/>, in a table of its own. <c>INSERT ... ON CONFLICT(idempotency_key) DO NOTHING</c>
/// decides deduplication, so a key is accepted once however many callers race. A dispatcher claims due messages,
/// delivers them and marks them delivered, or failed with a retry time (at-least-once: a claim is a lease, and a
/// dispatcher that dies mid-send leaves the message due again when the lease ends). It keeps every mail, so erasing a
/// person reaches it too (<see cref="IPersonalDataCopies"/>).
/// </summary>
public sealed class SqliteMailOutbox : IMailer, IMailbox, IPersonalDataCopies, IDisposable
{
    private const int MaxLimit = 1000;

    /// <summary>
    /// Created once per instance. Idempotent DDL rather than the document store's user_version migrations, so the two
    /// adapters can share the file in either start-up order.
    /// </summary>
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS outbox (
            id              TEXT    NOT NULL PRIMARY KEY,
            idempotency_key TEXT    NOT NULL UNIQUE,
            program_id      TEXT,
            category        TEXT    NOT NULL,
            recipients      TEXT    NOT NULL,
            subject         TEXT    NOT NULL,
            message_json    TEXT    NOT NULL,
            queued_at       INTEGER NOT NULL,
            status          TEXT    NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER,
            delivered_at    INTEGER,
            last_error      TEXT,
            delivery_note   TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_outbox_due ON outbox (status, next_attempt_at);
        CREATE INDEX IF NOT EXISTS ix_outbox_queued ON outbox (queued_at, id);
        """;

    private const string Columns =
        "id, message_json, queued_at, status, attempts, delivered_at, last_error, delivery_note";

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;

    public SqliteMailOutbox(SqliteStoreOptions options, TimeProvider? timeProvider = null)
    {
        _database = new SqliteDatabase(options, typeof(SqliteMailOutbox), Schema);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Raised after a new message was queued (not for a duplicate key), so a dispatcher can wake up.</summary>
    public event EventHandler? MessageQueued;

    public async Task<bool> SendAsync(MailMessage message, CancellationToken cancellationToken = default)
    {
        Validate(message);
        var recipients = Recipients(message);
        var now = _time.GetUtcNow().UtcTicks;
        await using var connection = await _database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO outbox (id, idempotency_key, program_id, category, recipients, subject, message_json,
                                queued_at, status, attempts, next_attempt_at)
            VALUES (@id, @key, @program, @category, @recipients, @subject, @json, @now, 'queued', 0, @now)
            ON CONFLICT (idempotency_key) DO NOTHING;
            """;
        command.Parameters.AddWithValue("@id", "m_" + Guid.NewGuid().ToString("N"));
        command.Parameters.AddWithValue("@key", message.IdempotencyKey);
        command.Parameters.AddWithValue("@program", (object?)message.ProgramId ?? DBNull.Value);
        command.Parameters.AddWithValue("@category", message.Category);
        command.Parameters.AddWithValue("@recipients", recipients);
        command.Parameters.AddWithValue("@subject", message.Subject);
        command.Parameters.AddWithValue("@json", JsonSerializer.Serialize(message, MentoringJson.Options));
        command.Parameters.AddWithValue("@now", now);
        var accepted = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        if (accepted)
        {
            MessageQueued?.Invoke(this, EventArgs.Empty);
        }

        return accepted;
    }

    public async Task<IReadOnlyList<StoredMail>> ListAsync(MailboxQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        await using var connection = await _database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT ").Append(Columns).Append(" FROM outbox WHERE 1 = 1");
        if (query.ProgramId is not null)
        {
            sql.Append(" AND program_id = @program");
            command.Parameters.AddWithValue("@program", query.ProgramId);
        }

        if (query.Category is not null)
        {
            sql.Append(" AND category = @category");
            command.Parameters.AddWithValue("@category", query.Category);
        }

        if (query.Recipient is not null)
        {
            sql.Append(" AND EXISTS (SELECT 1 FROM json_each(outbox.recipients) WHERE json_each.value = @recipient)");
            command.Parameters.AddWithValue("@recipient", EmailAddress.Normalise(query.Recipient));
        }

        sql.Append(" ORDER BY queued_at DESC, rowid DESC LIMIT @limit;");
        command.Parameters.AddWithValue("@limit", Math.Min(query.Limit, MaxLimit));
        command.CommandText = sql.ToString();
        var items = new List<StoredMail>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader));
        }

        return items;
    }

    public async Task<StoredMail?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM outbox WHERE id = @id;";
        command.Parameters.AddWithValue("@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>
    /// Claims up to <paramref name="max"/> queued messages due at <paramref name="now"/> for one attempt each:
    /// counts the attempt and hides them until <paramref name="lease"/> has passed (one statement, so concurrent
    /// dispatchers never claim the same message at once).
    /// </summary>
    public async Task<IReadOnlyList<OutboxDelivery>> ClaimDueAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        await using var connection = await _database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE outbox SET attempts = attempts + 1, next_attempt_at = @leaseUntil
            WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= @now
                         ORDER BY next_attempt_at, queued_at LIMIT @max)
            RETURNING id, message_json, attempts, queued_at;
            """;
        command.Parameters.AddWithValue("@now", now.UtcTicks);
        command.Parameters.AddWithValue("@leaseUntil", (now + lease).UtcTicks);
        command.Parameters.AddWithValue("@max", max);
        var claimed = new List<(long QueuedAt, OutboxDelivery Delivery)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var message = Deserialize(reader.GetString(1), reader.GetString(0));
                claimed.Add((reader.GetInt64(3), new OutboxDelivery(reader.GetString(0), message, reader.GetInt32(2))));
            }
        }

        return [.. claimed.OrderBy(c => c.QueuedAt).Select(c => c.Delivery)];
    }

    /// <summary>The message was handed over (SMTP accepted it) or kept locally; <paramref name="note"/> says which.</summary>
    public async Task<bool> MarkDeliveredAsync(string id, DateTimeOffset at, string note, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE outbox SET status = 'delivered', delivered_at = @at, delivery_note = @note, next_attempt_at = NULL
            WHERE id = @id AND status = 'queued';
            """;
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@at", at.UtcTicks);
        command.Parameters.AddWithValue("@note", note);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>An attempt failed: retry at <paramref name="retryAt"/>, or give up (status Failed) when it is null.</summary>
    public async Task<bool> MarkAttemptFailedAsync(string id, string error, DateTimeOffset? retryAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE outbox SET status = @status, next_attempt_at = @retryAt, last_error = @error
            WHERE id = @id AND status = 'queued';
            """;
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@status", retryAt is null ? "failed" : "queued");
        command.Parameters.AddWithValue("@retryAt", retryAt is { } at ? at.UtcTicks : DBNull.Value);
        command.Parameters.AddWithValue("@error", error);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>When the next queued message becomes due (or its lease ends); null when nothing is queued.</summary>
    public async Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.RentAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'queued';";
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    /// <summary>
    /// Erases the person from the program's mail. A mail sent to them keeps only its key, category and program, so its
    /// key is never taken again; one still queued is marked failed and never sent. The others (the admins' drafts, a
    /// partner's intro) keep their text with the name and address replaced. Each row is read and rewritten in one short
    /// write transaction (BEGIN IMMEDIATE), so two erasures scrubbing one draft mail at once both land.
    /// </summary>
    public async Task EraseAsync(ErasedPerson person, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(person);
        var ids = new List<string>();
        await using var lease = await _database.RentAsync(cancellationToken);
        var connection = lease.Connection;
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT id FROM outbox WHERE program_id = @program;";
            select.Parameters.AddWithValue("@program", person.ProgramId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetString(0));
            }
        }

        foreach (var id in ids)
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT message_json FROM outbox WHERE id = @id;";
            command.Parameters.AddWithValue("@id", id);
            if (await command.ExecuteScalarAsync(cancellationToken) is string json && Erasing(Deserialize(json, id), person) is { } sql)
            {
                command.CommandText = sql.Statement;
                command.Parameters.AddWithValue("@json", JsonSerializer.Serialize(sql.Message, MentoringJson.Options));
                command.Parameters.AddWithValue("@subject", sql.Message.Subject);
                command.Parameters.AddWithValue("@recipients", Recipients(sql.Message));
                command.Parameters.AddWithValue("@erased", "Not sent: the recipient was erased.");
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>The row's new message and the statement that writes it; null when the mail does not mention the person.</summary>
    private static (string Statement, MailMessage Message)? Erasing(MailMessage message, ErasedPerson person)
    {
        if (MailScrubber.IsTo(message, person))
        {
            // The relay's answers may quote the address (550 ... ann@example.com): they go too.
            return ("""
                UPDATE outbox SET message_json = @json, subject = @subject, recipients = @recipients,
                    status = CASE status WHEN 'queued' THEN 'failed' ELSE status END, next_attempt_at = NULL,
                    last_error = CASE status WHEN 'queued' THEN @erased ELSE NULL END, delivery_note = NULL
                WHERE id = @id;
                """, MailScrubber.Erased(message, person));
        }
        var scrubbed = MailScrubber.Scrub(message, person);
        return ReferenceEquals(scrubbed, message) ? null
            : ("UPDATE outbox SET message_json = @json, subject = @subject, recipients = @recipients WHERE id = @id;", scrubbed);
    }

    public void Dispose() => _database.Dispose();

    private static string Recipients(MailMessage message) =>
        JsonSerializer.Serialize(message.To.Select(a => EmailAddress.Normalise(a.Email)).Distinct(StringComparer.Ordinal).ToArray());

    private static void Validate(MailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrWhiteSpace(message.IdempotencyKey))
        {
            throw new ArgumentException("A message needs an idempotency key.", nameof(message));
        }

        if (message.To is null || message.To.Count == 0 || message.To.Any(a => a is null || string.IsNullOrWhiteSpace(a.Email)))
        {
            throw new ArgumentException("A message needs at least one recipient, each with an email address.", nameof(message));
        }
    }

    private static StoredMail Read(SqliteDataReader reader)
    {
        var id = reader.GetString(0);
        return new StoredMail(
            id,
            Deserialize(reader.GetString(1), id),
            new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero),
            reader.GetString(3) switch
            {
                "delivered" => MailDeliveryStatus.Delivered,
                "failed" => MailDeliveryStatus.Failed,
                _ => MailDeliveryStatus.Queued,
            },
            reader.GetInt32(4),
            reader.IsDBNull(5) ? null : new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7));
    }

    private static MailMessage Deserialize(string json, string id) =>
        JsonSerializer.Deserialize<MailMessage>(json, MentoringJson.Options)
        ?? throw new InvalidOperationException($"Outbox message {id} has a null body.");
}
