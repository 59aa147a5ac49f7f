using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Mentoring.Core.Common;
using Mentoring.Core.Persistence;
using Microsoft.Data.Sqlite;

namespace Mentoring.Sqlite;

/// <summary>
/// <see cref="IDocumentStore"/> on one SQLite file: one row per document, the JSON body as text,
/// a fresh random ETag per write and conditional single-statement writes for optimistic concurrency.
/// </summary>
/// <remarks>
/// Thread-safe; register one instance per database file. Every operation borrows one of the store's own open
/// connections (a <see cref="SqliteDatabase"/> pool, exclusively, for the length of the operation), runs autocommit
/// statements (no read-then-write transactions, so WAL snapshot upgrades cannot fail) and waits on SQLite's busy handler when another writer holds
/// the lock. Each kept connection had its pragmas applied once when opened and keeps its statements prepared, one
/// command per SQL text, so a call parses no SQL; Microsoft.Data.Sqlite keeps no statement cache across commands.
/// </remarks>
public sealed class SqliteDocumentStore : IDocumentStore, IDisposable
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;
    private const string ContinuationPrefix = "v1:";

    private const string SelectSql = "SELECT etag, body FROM documents WHERE program_id = @p AND kind = @k AND id = @id;";
    private const string ExistsSql = "SELECT 1 FROM documents WHERE program_id = @p AND kind = @k AND id = @id;";
    private const string InsertSql = """
        INSERT INTO documents (program_id, kind, id, etag, body, updated_at)
        VALUES (@p, @k, @id, @etag, @body, @now);
        """;
    private const string ReplaceSql = """
        UPDATE documents SET etag = @etag, body = @body, updated_at = @now
        WHERE program_id = @p AND kind = @k AND id = @id AND etag = @ifMatch;
        """;
    private const string UpsertSql = """
        INSERT INTO documents (program_id, kind, id, etag, body, updated_at)
        VALUES (@p, @k, @id, @etag, @body, @now)
        ON CONFLICT (program_id, kind, id) DO UPDATE
        SET etag = excluded.etag, body = excluded.body, updated_at = excluded.updated_at;
        """;
    private const string DeleteSql = """
        DELETE FROM documents
        WHERE program_id = @p AND kind = @k AND id = @id AND (@ifMatch IS NULL OR etag = @ifMatch);
        """;

    // Parameter order of the statements above: values are set by position, in this order.
    private static readonly string[] KeyParameters = ["@p", "@k", "@id"];
    private static readonly string[] WriteParameters = ["@p", "@k", "@id", "@etag", "@body", "@now"];
    private static readonly string[] ReplaceParameters = ["@p", "@k", "@id", "@etag", "@body", "@now", "@ifMatch"];
    private static readonly string[] DeleteParameters = ["@p", "@k", "@id", "@ifMatch"];

    /// <summary>Schema migrations; entry i moves <c>PRAGMA user_version</c> from i to i + 1.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS documents (
            program_id TEXT NOT NULL,
            kind       TEXT NOT NULL,
            id         TEXT NOT NULL,
            etag       TEXT NOT NULL,
            body       TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (program_id, kind, id)
        );
        """,
    ];

    private readonly SqliteDatabase _database;
    private readonly ConcurrentDictionary<string, bool> _indexedProperties = new(StringComparer.Ordinal);

    public SqliteDocumentStore(SqliteStoreOptions options)
    {
        _database = new SqliteDatabase(options, typeof(SqliteDocumentStore), MigrateAsync);
    }

    public async Task<StoredDocument<T>?> ReadAsync<T>(DocumentKey key, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        string etag;
        string body;
        var connection = await _database.RentAsync(cancellationToken);
        var healthy = false;
        try
        {
            var command = connection.PreparedCommand(SelectSql, KeyParameters);
            BindKey(command, key);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken))
                {
                    healthy = true;
                    return null;
                }

                etag = reader.GetString(0);
                body = reader.GetString(1);
            }

            healthy = true;
        }
        finally
        {
            _database.Return(connection, healthy);
        }

        return new StoredDocument<T>(key, Deserialize<T>(body, key), etag);
    }

    public async Task<StoredDocument<T>> CreateAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        var body = Serialize(value);
        var etag = NewETag();
        var connection = await _database.RentAsync(cancellationToken);
        var healthy = false;
        try
        {
            var command = connection.PreparedCommand(InsertSql, WriteParameters);
            BindWrite(command, key, etag, body);
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (SqliteException ex) when (IsKeyViolation(ex))
            {
                healthy = true;
                throw new DocumentConflictException(key);
            }

            healthy = true;
        }
        finally
        {
            _database.Return(connection, healthy);
        }

        return new StoredDocument<T>(key, value, etag);
    }

    public async Task<StoredDocument<T>> ReplaceAsync<T>(DocumentKey key, T value, string ifMatch, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        ArgumentNullException.ThrowIfNull(ifMatch);
        var body = Serialize(value);
        var etag = NewETag();
        var connection = await _database.RentAsync(cancellationToken);
        var healthy = false;
        bool replaced;
        bool exists = false;
        try
        {
            var command = connection.PreparedCommand(ReplaceSql, ReplaceParameters);
            BindWrite(command, key, etag, body);
            command.Parameters[6].Value = ifMatch;
            replaced = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
            if (!replaced)
            {
                exists = await ExistsAsync(connection, key, cancellationToken);
            }

            healthy = true;
        }
        finally
        {
            _database.Return(connection, healthy);
        }

        if (!replaced)
        {
            throw exists ? new DocumentPreconditionFailedException(key) : new DocumentNotFoundException(key);
        }

        return new StoredDocument<T>(key, value, etag);
    }

    public async Task<StoredDocument<T>> UpsertAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        var body = Serialize(value);
        var etag = NewETag();
        var connection = await _database.RentAsync(cancellationToken);
        var healthy = false;
        try
        {
            var command = connection.PreparedCommand(UpsertSql, WriteParameters);
            BindWrite(command, key, etag, body);
            await command.ExecuteNonQueryAsync(cancellationToken);
            healthy = true;
        }
        finally
        {
            _database.Return(connection, healthy);
        }

        return new StoredDocument<T>(key, value, etag);
    }

    public async Task<bool> DeleteAsync(DocumentKey key, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        var connection = await _database.RentAsync(cancellationToken);
        var healthy = false;
        bool deleted;
        var exists = false;
        try
        {
            var command = connection.PreparedCommand(DeleteSql, DeleteParameters);
            BindKey(command, key);
            command.Parameters[3].Value = (object?)ifMatch ?? DBNull.Value;
            deleted = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
            if (!deleted && ifMatch is not null)
            {
                exists = await ExistsAsync(connection, key, cancellationToken);
            }

            healthy = true;
        }
        finally
        {
            _database.Return(connection, healthy);
        }

        if (exists)
        {
            throw new DocumentPreconditionFailedException(key);
        }

        return deleted;
    }

    public async Task<DocumentPage<T>> QueryAsync<T>(DocumentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();

        var afterId = query.ContinuationToken is null ? null : DecodeContinuation(query.ContinuationToken);

        var sql = new StringBuilder("SELECT id, etag, body FROM documents WHERE program_id = @p AND kind = @k");
        List<string> names = ["@p", "@k"];
        List<object> values = [query.ProgramId, query.Kind];
        if (afterId is not null)
        {
            sql.Append(" AND id > @after");
            names.Add("@after");
            values.Add(afterId);
        }

        if (query.WhereProperty is not null)
        {
            // The name is validated (ASCII letters and digits), so it cannot break out of the JSON path literal.
            sql.Append(" AND ").Append(JsonPropertyExpression(query.WhereProperty)).Append(" = @value");
            names.Add("@value");
            values.Add(query.WhereEquals!);
        }

        sql.Append(" ORDER BY id LIMIT @limit;");
        // One row more than the page tells whether another page follows, so the last page has no token.
        names.Add("@limit");
        values.Add((long)query.PageSize + 1);

        var rows = new List<(string Id, string ETag, string Body)>(Math.Min(query.PageSize, 1000));
        var more = false;
        var connection = await _database.RentAsync(cancellationToken);
        var healthy = false;
        try
        {
            if (query.WhereProperty is not null)
            {
                await EnsurePropertyIndexAsync(connection.Connection, query.WhereProperty, cancellationToken);
            }

            var command = connection.PreparedCommand(sql.ToString(), CollectionsMarshal.AsSpan(names));
            for (var i = 0; i < values.Count; i++)
            {
                command.Parameters[i].Value = values[i];
            }

            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (rows.Count == query.PageSize)
                    {
                        more = true;
                        break;
                    }

                    rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
                }
            }

            healthy = true;
        }
        finally
        {
            _database.Return(connection, healthy);
        }

        var items = new List<StoredDocument<T>>(rows.Count);
        foreach (var (id, etag, body) in rows)
        {
            var key = new DocumentKey(query.ProgramId, query.Kind, id);
            items.Add(new StoredDocument<T>(key, Deserialize<T>(body, key), etag));
        }

        return new DocumentPage<T>(items, more ? EncodeContinuation(items[^1].Key.Id) : null);
    }

    /// <summary>Closes the kept connections of this database file; in-flight operations finish normally.</summary>
    public void Dispose() => _database.Dispose();

    /// <summary>Applies pending migrations (<c>PRAGMA user_version</c> counts those applied), inside the initializing transaction.</summary>
    private async Task MigrateAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        if (version > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"{_database.DatabasePath} has schema version {version}; this build knows up to {Migrations.Length}.");
        }

        for (var step = version; step < Migrations.Length; step++)
        {
            command.CommandText = Migrations[step];
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (version < Migrations.Length)
        {
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {Migrations.Length};");
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// An expression index per filtered property, so an equality filter plus keyset paging is an index range scan.
    /// Created on the first query that filters on the property.
    /// </summary>
    private async Task EnsurePropertyIndexAsync(SqliteConnection connection, string property, CancellationToken cancellationToken)
    {
        if (_indexedProperties.ContainsKey(property))
        {
            return;
        }

        // Index names are case-insensitive in SQLite while JSON names are not: hex keeps "status" and "Status" apart.
        var indexName = "ix_documents_prop_" + Convert.ToHexStringLower(Encoding.ASCII.GetBytes(property));
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"CREATE INDEX IF NOT EXISTS {indexName} ON documents (program_id, kind, {JsonPropertyExpression(property)}, id);";
        await command.ExecuteNonQueryAsync(cancellationToken);
        _indexedProperties.TryAdd(property, true);
    }

    private static string JsonPropertyExpression(string property) => $"json_extract(body, '$.{property}')";

    private static async Task<bool> ExistsAsync(SqlitePooledConnection connection, DocumentKey key, CancellationToken cancellationToken)
    {
        var command = connection.PreparedCommand(ExistsSql, KeyParameters);
        BindKey(command, key);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>Sets parameters 0-2 (@p, @k, @id).</summary>
    private static void BindKey(SqliteCommand command, DocumentKey key)
    {
        var parameters = command.Parameters;
        parameters[0].Value = key.ProgramId;
        parameters[1].Value = key.Kind;
        parameters[2].Value = key.Id;
    }

    /// <summary>Sets parameters 0-5 (@p, @k, @id, @etag, @body, @now).</summary>
    private static void BindWrite(SqliteCommand command, DocumentKey key, string etag, string body)
    {
        BindKey(command, key);
        var parameters = command.Parameters;
        parameters[3].Value = etag;
        parameters[4].Value = body;
        parameters[5].Value = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
    }

    private static bool IsKeyViolation(SqliteException ex) =>
        ex.SqliteErrorCode == SqliteConstraint
        && ex.SqliteExtendedErrorCode is SqliteConstraintPrimaryKey or SqliteConstraintUnique;

    private static void ValidateKey(DocumentKey key)
    {
        if (string.IsNullOrEmpty(key.ProgramId) || string.IsNullOrEmpty(key.Kind) || string.IsNullOrEmpty(key.Id))
        {
            throw new ArgumentException($"Document key '{key}' needs a program id, a kind and an id.", nameof(key));
        }
    }


    private static string Serialize<T>(T value)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value), "A document cannot be null.");
        }

        return JsonSerializer.Serialize(value, MentoringJson.Options);
    }

    private static T Deserialize<T>(string body, DocumentKey key) =>
        JsonSerializer.Deserialize<T>(body, MentoringJson.Options)
        ?? throw new InvalidOperationException($"Document {key} has a null body.");

    /// <summary>Opaque to callers, quoted like an HTTP entity tag.</summary>
    private static string NewETag() => $"\"{Guid.NewGuid():N}\"";

    private static string EncodeContinuation(string lastId) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(ContinuationPrefix + lastId));

    private static string DecodeContinuation(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (text.StartsWith(ContinuationPrefix, StringComparison.Ordinal))
            {
                return text[ContinuationPrefix.Length..];
            }
        }
        catch (FormatException)
        {
        }

        throw new ArgumentException("The continuation token is not one this store issued.", nameof(token));
    }
}
