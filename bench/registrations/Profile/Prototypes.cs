using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Mentoring.Core.Common;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;
using Mentoring.Core.Registration.Webhooks;
using Microsoft.Data.Sqlite;

namespace Profile;

/// <summary>
/// What-if prototypes (benchmark only, never used by the product) that bound the gain of the fixes proposed for src/:
/// the same file and schema, connections kept open with their pragmas applied once and their statements prepared once.
/// </summary>
internal sealed class PreparedConnections : IDisposable
{
    private readonly string _connectionString;
    private readonly ConcurrentBag<Slot> _idle = [];

    public PreparedConnections(string databasePath)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
    }

    public T Use<T>(Func<Slot, T> work)
    {
        if (!_idle.TryTake(out var slot))
        {
            var connection = new SqliteConnection(_connectionString);
            connection.Open();
            slot = new Slot(connection);
        }
        try
        {
            return work(slot);
        }
        finally
        {
            _idle.Add(slot);
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var slot))
        {
            slot.Dispose();
        }
    }

    internal sealed class Slot : IDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        public Slot(SqliteConnection connection)
        {
            Connection = connection;
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";
            pragma.ExecuteNonQuery();
        }

        public SqliteConnection Connection { get; }

        /// <summary>The statement, prepared on first use on this connection; parameters are positional, all text.</summary>
        public SqliteCommand Command(string sql, int parameters)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = Connection.CreateCommand();
                command.CommandText = sql;
                for (var i = 1; i <= parameters; i++)
                {
                    command.Parameters.Add("@" + i.ToString(CultureInfo.InvariantCulture), SqliteType.Text);
                }
                command.Prepare();
                _commands[sql] = command;
            }
            return command;
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }
            Connection.Dispose();
        }
    }
}

/// <summary>
/// Fix 2 alone: IDocumentStore's Read and Create as SqliteDocumentStore does them (same SQL, JSON, ETags, one autocommit
/// statement per call) but on kept connections: no PRAGMA per call, no statement preparation per call.
/// </summary>
internal sealed class PreparedReadCreateStore(PreparedConnections connections) : IDocumentStore
{
    private const string Select = "SELECT etag, body FROM documents WHERE program_id = @1 AND kind = @2 AND id = @3;";
    private const string Insert = "INSERT INTO documents (program_id, kind, id, etag, body, updated_at) VALUES (@1, @2, @3, @4, @5, @6);";

    public Task<StoredDocument<T>?> ReadAsync<T>(DocumentKey key, CancellationToken cancellationToken = default) =>
        Task.FromResult(connections.Use(slot =>
        {
            var command = slot.Command(Select, 3);
            command.Parameters[0].Value = key.ProgramId;
            command.Parameters[1].Value = key.Kind;
            command.Parameters[2].Value = key.Id;
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new StoredDocument<T>(key, JsonSerializer.Deserialize<T>(reader.GetString(1), MentoringJson.Options)!, reader.GetString(0))
                : null;
        }));

    public Task<StoredDocument<T>> CreateAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.Serialize(value, MentoringJson.Options);
        var etag = $"\"{Guid.NewGuid():N}\"";
        return Task.FromResult(connections.Use(slot =>
        {
            var command = slot.Command(Insert, 6);
            command.Parameters[0].Value = key.ProgramId;
            command.Parameters[1].Value = key.Kind;
            command.Parameters[2].Value = key.Id;
            command.Parameters[3].Value = etag;
            command.Parameters[4].Value = body;
            command.Parameters[5].Value = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            try
            {
                command.ExecuteNonQuery();
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19)
            {
                throw new DocumentConflictException(key);
            }
            return new StoredDocument<T>(key, value, etag);
        }));
    }

    public Task<StoredDocument<T>> ReplaceAsync<T>(DocumentKey key, T value, string ifMatch, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<StoredDocument<T>> UpsertAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<bool> DeleteAsync(DocumentKey key, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<DocumentPage<T>> QueryAsync<T>(DocumentQuery query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}

/// <summary>
/// Fix 1 (+2): the intake's happy path in one store round trip. The program comes from a cache; the participant and the
/// receipt are inserted in one transaction (create-first: a key conflict means a known person or a redelivery, which
/// would then take today's read-then-write path; the benchmark's deliveries never conflict).
/// </summary>
internal sealed class OneTransactionIntake(PreparedConnections connections, MentoringProgram program, TimeProvider clock)
{
    private const string Insert = "INSERT INTO documents (program_id, kind, id, etag, body, updated_at) VALUES (@1, @2, @3, @4, @5, @6);";

    public Participant Receive(string providerName, WebhookDelivery delivery)
    {
        var provider = FormsProviders.Find(providerName) ?? throw new InvalidOperationException(providerName);
        provider.Authenticate(delivery, program.WebhookSecrets);
        var submission = provider.Parse(delivery);
        var request = SubmissionMapper.ToRegistration(program, provider.Name, submission);
        var valid = RegistrationValidator.Validate(program, request);
        var now = clock.GetUtcNow();
        var participant = new Participant
        {
            Id = ParticipantIdentity.For(program.Id, valid.Email),
            ProgramId = program.Id,
            Email = valid.Email,
            Name = valid.Name,
            Answers = valid.Answers,
            ConsentedAt = now,
            Source = request.Source,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var receiptKey = WebhookIntake.ReceiptKey(program.Id, provider.Name, submission.SubmissionId);
        var receipt = new SubmissionReceipt(provider.Name, submission.SubmissionId, participant.Id, now);
        var participantBody = JsonSerializer.Serialize(participant, MentoringJson.Options);
        var receiptBody = JsonSerializer.Serialize(receipt, MentoringJson.Options);
        var stamp = now.ToString("O", CultureInfo.InvariantCulture);
        connections.Use(slot =>
        {
            slot.Command("BEGIN IMMEDIATE;", 0).ExecuteNonQuery();
            try
            {
                Bind(slot.Command(Insert, 6), DocumentKinds.Participant, participant.Id, participantBody, stamp).ExecuteNonQuery();
                Bind(slot.Command(Insert, 6), DocumentKinds.Submission, receiptKey.Id, receiptBody, stamp).ExecuteNonQuery();
                slot.Command("COMMIT;", 0).ExecuteNonQuery();
            }
            catch
            {
                slot.Command("ROLLBACK;", 0).ExecuteNonQuery();
                throw;
            }
            return 0;
        });
        return participant;
    }

    private SqliteCommand Bind(SqliteCommand command, string kind, string id, string body, string stamp)
    {
        command.Parameters[0].Value = program.Id;
        command.Parameters[1].Value = kind;
        command.Parameters[2].Value = id;
        command.Parameters[3].Value = $"\"{Guid.NewGuid():N}\"";
        command.Parameters[4].Value = body;
        command.Parameters[5].Value = stamp;
        return command;
    }
}
