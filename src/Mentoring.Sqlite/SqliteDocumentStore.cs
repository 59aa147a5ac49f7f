using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
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
/// Thread-safe; register one instance per database file. Every operation borrows a pooled connection,
/// runs autocommit statements (no read-then-write transactions, so WAL snapshot upgrades cannot fail)
/// and waits on SQLite's busy handler when another writer holds the lock.
/// </remarks>
public sealed class SqliteDocumentStore : IDocumentStore, IDisposable
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;
    private const int MaxPropertyNameLength = 64;
    private const string ContinuationPrefix = "v1:";

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

    private readonly string _databasePath;
    private readonly string _connectionString;
    private readonly string _connectionPragmas;
    private readonly SemaphoreSlim _initializeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, bool> _indexedProperties = new(StringComparer.Ordinal);
    private volatile bool _initialized;
    private volatile bool _disposed;

    public SqliteDocumentStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabasePath, nameof(options));
        if (options.BusyTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "BusyTimeout must be positive.");
        }

        _databasePath = Path.GetFullPath(options.DatabasePath);
        var busyTimeoutMs = (int)Math.Min(int.MaxValue, options.BusyTimeout.TotalMilliseconds);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
        // Per-connection settings: pooled connections keep them, but a fresh one needs them.
        _connectionPragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {busyTimeoutMs}; PRAGMA synchronous = NORMAL;");
    }

    public async Task<StoredDocument<T>?> ReadAsync<T>(DocumentKey key, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, body FROM documents WHERE program_id = @p AND kind = @k AND id = @id;";
        AddKey(command, key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredDocument<T>(key, Deserialize<T>(reader.GetString(1), key), reader.GetString(0));
    }

    public async Task<StoredDocument<T>> CreateAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        var body = Serialize(value);
        var etag = NewETag();
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO documents (program_id, kind, id, etag, body, updated_at)
            VALUES (@p, @k, @id, @etag, @body, @now);
            """;
        AddKey(command, key);
        AddWrite(command, etag, body);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException ex) when (IsKeyViolation(ex))
        {
            throw new DocumentConflictException(key);
        }

        return new StoredDocument<T>(key, value, etag);
    }

    public async Task<StoredDocument<T>> ReplaceAsync<T>(DocumentKey key, T value, string ifMatch, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        ArgumentNullException.ThrowIfNull(ifMatch);
        var body = Serialize(value);
        var etag = NewETag();
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE documents SET etag = @etag, body = @body, updated_at = @now
            WHERE program_id = @p AND kind = @k AND id = @id AND etag = @ifMatch;
            """;
        AddKey(command, key);
        AddWrite(command, etag, body);
        command.Parameters.AddWithValue("@ifMatch", ifMatch);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw await ExistsAsync(connection, key, cancellationToken)
                ? new DocumentPreconditionFailedException(key)
                : new DocumentNotFoundException(key);
        }

        return new StoredDocument<T>(key, value, etag);
    }

    public async Task<StoredDocument<T>> UpsertAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        var body = Serialize(value);
        var etag = NewETag();
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO documents (program_id, kind, id, etag, body, updated_at)
            VALUES (@p, @k, @id, @etag, @body, @now)
            ON CONFLICT (program_id, kind, id) DO UPDATE
            SET etag = excluded.etag, body = excluded.body, updated_at = excluded.updated_at;
            """;
        AddKey(command, key);
        AddWrite(command, etag, body);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new StoredDocument<T>(key, value, etag);
    }

    public async Task<bool> DeleteAsync(DocumentKey key, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM documents
            WHERE program_id = @p AND kind = @k AND id = @id AND (@ifMatch IS NULL OR etag = @ifMatch);
            """;
        AddKey(command, key);
        command.Parameters.AddWithValue("@ifMatch", (object?)ifMatch ?? DBNull.Value);
        if (await command.ExecuteNonQueryAsync(cancellationToken) > 0)
        {
            return true;
        }

        if (ifMatch is not null && await ExistsAsync(connection, key, cancellationToken))
        {
            throw new DocumentPreconditionFailedException(key);
        }

        return false;
    }

    public async Task<DocumentPage<T>> QueryAsync<T>(DocumentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrEmpty(query.ProgramId, nameof(query));
        ArgumentException.ThrowIfNullOrEmpty(query.Kind, nameof(query));
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1, nameof(query));
        if ((query.WhereProperty is null) != (query.WhereEquals is null))
        {
            throw new ArgumentException("WhereProperty and WhereEquals go together.", nameof(query));
        }

        if (query.WhereProperty is not null)
        {
            ValidatePropertyName(query.WhereProperty);
        }

        var afterId = query.ContinuationToken is null ? null : DecodeContinuation(query.ContinuationToken);

        await using var connection = await OpenAsync(cancellationToken);
        if (query.WhereProperty is not null)
        {
            await EnsurePropertyIndexAsync(connection, query.WhereProperty, cancellationToken);
        }

        await using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT id, etag, body FROM documents WHERE program_id = @p AND kind = @k");
        command.Parameters.AddWithValue("@p", query.ProgramId);
        command.Parameters.AddWithValue("@k", query.Kind);
        if (afterId is not null)
        {
            sql.Append(" AND id > @after");
            command.Parameters.AddWithValue("@after", afterId);
        }

        if (query.WhereProperty is not null)
        {
            // The name is validated (ASCII letters and digits), so it cannot break out of the JSON path literal.
            sql.Append(" AND ").Append(JsonPropertyExpression(query.WhereProperty)).Append(" = @value");
            command.Parameters.AddWithValue("@value", query.WhereEquals);
        }

        sql.Append(" ORDER BY id LIMIT @limit;");
        // One row more than the page tells whether another page follows, so the last page has no token.
        command.Parameters.AddWithValue("@limit", (long)query.PageSize + 1);
        command.CommandText = sql.ToString();

        var items = new List<StoredDocument<T>>(Math.Min(query.PageSize, 1000));
        var more = false;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (items.Count == query.PageSize)
                {
                    more = true;
                    break;
                }

                var key = new DocumentKey(query.ProgramId, query.Kind, reader.GetString(0));
                items.Add(new StoredDocument<T>(key, Deserialize<T>(reader.GetString(2), key), reader.GetString(1)));
            }
        }

        return new DocumentPage<T>(items, more ? EncodeContinuation(items[^1].Key.Id) : null);
    }

    /// <summary>Returns the pooled connections of this database file; in-flight operations finish normally.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _initializeLock.Dispose();
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            await InitializeAsync(cancellationToken);
        }

        return await OpenConnectionAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = _connectionPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates the folder, switches the file to WAL and applies pending migrations, once per instance.</summary>
    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _initializeLock.WaitAsync(cancellationToken);
        try
        {
            if (_initialized)
            {
                return;
            }

            var folder = Path.GetDirectoryName(_databasePath);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            await using var connection = await OpenConnectionAsync(cancellationToken);
            await using (var walCommand = connection.CreateCommand())
            {
                // Persistent in the file; a no-op once the file is in WAL mode.
                walCommand.CommandText = "PRAGMA journal_mode = WAL;";
                var mode = (string?)await walCommand.ExecuteScalarAsync(cancellationToken);
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"SQLite refused WAL journal mode for {_databasePath} (got '{mode}').");
                }
            }

            // BEGIN IMMEDIATE: concurrent initializers (other processes) take turns instead of racing.
            await using var transaction = connection.BeginTransaction(deferred: false);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "PRAGMA user_version;";
            var version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            if (version > Migrations.Length)
            {
                throw new InvalidOperationException(
                    $"{_databasePath} has schema version {version}; this build knows up to {Migrations.Length}.");
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

            await transaction.CommitAsync(cancellationToken);
            _initialized = true;
        }
        finally
        {
            _initializeLock.Release();
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

    private static async Task<bool> ExistsAsync(SqliteConnection connection, DocumentKey key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM documents WHERE program_id = @p AND kind = @k AND id = @id;";
        AddKey(command, key);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static void AddKey(SqliteCommand command, DocumentKey key)
    {
        command.Parameters.AddWithValue("@p", key.ProgramId);
        command.Parameters.AddWithValue("@k", key.Kind);
        command.Parameters.AddWithValue("@id", key.Id);
    }

    private static void AddWrite(SqliteCommand command, string etag, string body)
    {
        command.Parameters.AddWithValue("@etag", etag);
        command.Parameters.AddWithValue("@body", body);
        command.Parameters.AddWithValue("@now", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
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

    private static void ValidatePropertyName(string property)
    {
        if (property.Length is 0 or > MaxPropertyNameLength
            || !char.IsAsciiLetter(property[0])
            || !property.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException(
                $"'{property}' is not a filterable property name: ASCII letters and digits, starting with a letter.",
                nameof(property));
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
