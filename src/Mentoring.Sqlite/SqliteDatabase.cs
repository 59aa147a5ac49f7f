using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Mentoring.Sqlite;

/// <summary>
/// One SQLite file as one embedded adapter uses it: the folder is created and the file switched to WAL on first use,
/// the adapter's schema step runs once (under <c>BEGIN IMMEDIATE</c>, so processes that start together take turns),
/// and operations borrow open connections from a pool of the adapter's own.
/// </summary>
/// <remarks>
/// Thread-safe. Each pooled connection had its pragmas (<c>busy_timeout</c>, <c>synchronous = NORMAL</c>) applied once
/// when it was opened and keeps the statements prepared through <see cref="SqlitePooledConnection.PreparedCommand"/>;
/// the driver's own pool is off, since it would neither keep those statements nor tell a new physical connection
/// from a reused one. A borrowed connection is used by its borrower alone until it is given back.
/// </remarks>
internal sealed class SqliteDatabase : IDisposable
{
    /// <summary>Open connections kept between operations; more may be open while busy, the surplus is closed on return.</summary>
    private const int MaxIdleConnections = 32;

    private readonly Type _owner;
    private readonly Func<SqliteConnection, SqliteTransaction, CancellationToken, Task> _initializeSchema;
    private readonly string _connectionString;
    private readonly string _connectionPragmas;
    private readonly SemaphoreSlim _initializeLock = new(1, 1);
    private readonly ConcurrentStack<SqlitePooledConnection> _idle = new();
    private int _idleCount;
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <param name="options">The file and the busy timeout.</param>
    /// <param name="owner">The adapter, named by <see cref="ObjectDisposedException"/> once disposed.</param>
    /// <param name="initializeSchema">
    /// Creates or migrates the adapter's tables; runs once per instance, inside an immediate transaction it must not end.
    /// </param>
    public SqliteDatabase(
        SqliteStoreOptions options,
        Type owner,
        Func<SqliteConnection, SqliteTransaction, CancellationToken, Task> initializeSchema)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabasePath, nameof(options));
        if (options.BusyTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "BusyTimeout must be positive.");
        }

        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(initializeSchema);
        _owner = owner;
        _initializeSchema = initializeSchema;
        DatabasePath = Path.GetFullPath(options.DatabasePath);
        var busyTimeoutMs = (int)Math.Min(int.MaxValue, options.BusyTimeout.TotalMilliseconds);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            // This class keeps its own open connections (with their prepared statements), so no driver pool underneath.
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
        // Per-connection settings, applied once when a connection is opened.
        _connectionPragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {busyTimeoutMs}; PRAGMA synchronous = NORMAL;");
    }

    /// <summary>A database whose schema is one idempotent script (<c>CREATE ... IF NOT EXISTS</c>).</summary>
    public SqliteDatabase(SqliteStoreOptions options, Type owner, string schemaScript)
        : this(options, owner, (connection, transaction, cancellationToken) => RunScriptAsync(connection, transaction, schemaScript, cancellationToken))
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schemaScript);
    }

    /// <summary>The database file, as a full path.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// An open, initialized connection for this caller alone until it is given back: with <c>await using</c>
    /// (<see cref="SqlitePooledConnection.DisposeAsync"/>) or with <see cref="Return"/>.
    /// </summary>
    public ValueTask<SqlitePooledConnection> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, _owner);
        cancellationToken.ThrowIfCancellationRequested();
        if (_initialized && _idle.TryPop(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            connection.MarkRented();
            return ValueTask.FromResult(connection);
        }

        return RentSlowAsync(cancellationToken);
    }

    /// <summary>
    /// Keeps the connection for the next caller, or closes it: when it is not <paramref name="healthy"/> (after an
    /// unexpected failure its state is unknown), when enough are idle already, or once this database is disposed.
    /// </summary>
    public void Return(SqlitePooledConnection connection, bool healthy)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!connection.MarkReturned())
        {
            throw new InvalidOperationException("The connection was given back twice.");
        }

        GiveBack(connection, healthy);
    }

    /// <summary>Closes the kept connections; in-flight operations finish normally and close theirs when they give them back.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        CloseIdleConnections();
        _initializeLock.Dispose();
    }

    /// <summary><see cref="Return"/> for a connection already marked as returned.</summary>
    internal void GiveBack(SqlitePooledConnection connection, bool healthy)
    {
        if (!healthy || _disposed)
        {
            connection.Close();
            return;
        }

        if (Interlocked.Increment(ref _idleCount) > MaxIdleConnections)
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Close();
            return;
        }

        _idle.Push(connection);
        if (_disposed)
        {
            // Dispose ran between the check above and the push: close what it may have missed.
            CloseIdleConnections();
        }
    }

    private async ValueTask<SqlitePooledConnection> RentSlowAsync(CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            await InitializeAsync(cancellationToken);
        }

        if (_idle.TryPop(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            idle.MarkRented();
            return idle;
        }

        var connection = new SqlitePooledConnection(this, await OpenConnectionAsync(cancellationToken));
        connection.MarkRented();
        return connection;
    }

    private void CloseIdleConnections()
    {
        while (_idle.TryPop(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Close();
        }
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

    /// <summary>Creates the folder, switches the file to WAL and runs the schema step, once per instance.</summary>
    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _initializeLock.WaitAsync(cancellationToken);
        try
        {
            if (_initialized)
            {
                return;
            }

            var folder = Path.GetDirectoryName(DatabasePath);
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
                    throw new InvalidOperationException($"SQLite refused WAL journal mode for {DatabasePath} (got '{mode}').");
                }
            }

            // BEGIN IMMEDIATE: concurrent initializers (other processes) take turns instead of racing.
            await using var transaction = connection.BeginTransaction(deferred: false);
            await _initializeSchema(connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            _initialized = true;
        }
        finally
        {
            _initializeLock.Release();
        }
    }

    private static async Task RunScriptAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string script,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = script;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// An open connection of a <see cref="SqliteDatabase"/> pool and its prepared statements. Used by one operation at a
/// time (the pool hands it out exclusively), since SQLite statements belong to their connection and hold their
/// bindings between steps.
/// </summary>
internal sealed class SqlitePooledConnection : IAsyncDisposable
{
    /// <summary>Statement texts are a component's fixed ones plus a few query shapes per filtered property.</summary>
    private const int MaxPreparedCommands = 32;

    private readonly SqliteDatabase _owner;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private int _rented;

    internal SqlitePooledConnection(SqliteDatabase owner, SqliteConnection connection)
    {
        _owner = owner;
        Connection = connection;
    }

    public SqliteConnection Connection { get; }

    /// <summary>A new command on this connection; the caller disposes it.</summary>
    public SqliteCommand CreateCommand() => Connection.CreateCommand();

    /// <summary>
    /// The command for this SQL text, prepared on first use and kept with the connection (the caller does not dispose
    /// it); its parameters are created in the order of <paramref name="parameterNames"/> and keep the previous call's
    /// values until set again.
    /// </summary>
    public SqliteCommand PreparedCommand(string sql, ReadOnlySpan<string> parameterNames)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            return command;
        }

        if (_commands.Count >= MaxPreparedCommands)
        {
            DisposeCommands();
        }

        command = Connection.CreateCommand();
        try
        {
            command.CommandText = sql;
            foreach (var name in parameterNames)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            command.Prepare();
        }
        catch
        {
            command.Dispose();
            throw;
        }

        _commands.Add(sql, command);
        return command;
    }

    /// <summary>
    /// Gives the connection back to its pool (once; later calls do nothing), which keeps it only when it is open and outside a transaction (a
    /// transaction left open by a failure is rolled back by closing the connection).
    /// </summary>
    public ValueTask DisposeAsync()
    {
        if (!MarkReturned())
        {
            return ValueTask.CompletedTask;
        }

        var clean = Connection.State == System.Data.ConnectionState.Open
            && raw.sqlite3_get_autocommit(Connection.Handle) != 0;
        _owner.GiveBack(this, clean);
        return ValueTask.CompletedTask;
    }

    internal void MarkRented() => Volatile.Write(ref _rented, 1);

    /// <summary>False when the connection was not out (given back twice).</summary>
    internal bool MarkReturned() => Interlocked.Exchange(ref _rented, 0) == 1;

    /// <summary>Closes the connection for good (the pool no longer holds it).</summary>
    internal void Close()
    {
        DisposeCommands();
        Connection.Dispose();
    }

    private void DisposeCommands()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}
