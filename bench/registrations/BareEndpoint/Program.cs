using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;

// The baseline of the registrations benchmark: what one SQLite file with SqliteDocumentStore's schema and pragmas
// (WAL, synchronous=NORMAL, busy_timeout) takes when every request is a single INSERT of its JSON body.
// No signature check, no parsing, no reads: the store's limit. Settings (command line or environment):
//   --db <file>                 the SQLite file (created)
//   --serialize-writes true     one writer at a time through an in-process lock (no SQLite busy waits)
//   --urls http://127.0.0.1:0   where to listen; the bound address is printed as "BARE_LISTENING <url>".
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var databasePath = Path.GetFullPath(builder.Configuration["db"] ?? throw new InvalidOperationException("--db <file> is required."));
var serializeWrites = string.Equals(builder.Configuration["serialize-writes"], "true", StringComparison.OrdinalIgnoreCase);
using var store = new BareStore(databasePath, serializeWrites);
builder.Services.AddSingleton(store);

var app = builder.Build();

app.MapPost("/ingest", async (HttpRequest request, BareStore rows) =>
{
    using var reader = new StreamReader(request.Body, Encoding.UTF8);
    var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
    var id = request.Headers["X-Bench-Id"].ToString();
    if (id.Length == 0)
    {
        id = Guid.NewGuid().ToString("N");
    }
    var etag = rows.Insert(id, body);
    request.HttpContext.Response.Headers.ETag = etag;
    // Echo the stored document, as the real server answers with the participant it stored.
    return Results.Text(body, "application/json", Encoding.UTF8, StatusCodes.Status201Created);
});
app.MapGet("/health", () => Results.Ok());

await app.StartAsync();
var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
foreach (var address in addresses)
{
    Console.WriteLine($"BARE_LISTENING {address}");
}
Console.Out.Flush();
await app.WaitForShutdownAsync();

/// <summary>A pool of open connections, each with its INSERT prepared once and the per-connection pragmas applied once.</summary>
internal sealed class BareStore : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS documents (
            program_id TEXT NOT NULL,
            kind       TEXT NOT NULL,
            id         TEXT NOT NULL,
            etag       TEXT NOT NULL,
            body       TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (program_id, kind, id)
        );
        """;

    private readonly string _connectionString;
    private readonly ConcurrentBag<Slot> _idle = [];
    private readonly Lock _writeLock = new();
    private readonly bool _serializeWrites;

    public BareStore(string databasePath, bool serializeWrites)
    {
        _serializeWrites = serializeWrites;
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var first = NewSlot();
        using (var command = first.Connection.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode = WAL;";
            var mode = (string?)command.ExecuteScalar();
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused WAL for {databasePath} (got '{mode}').");
            }
            command.CommandText = Schema;
            command.ExecuteNonQuery();
        }
        first.Prepare();
        _idle.Add(first);
    }

    public string Insert(string id, string body)
    {
        var etag = $"\"{Guid.NewGuid():N}\"";
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        if (!_idle.TryTake(out var slot))
        {
            slot = NewSlot();
            slot.Prepare();
        }
        try
        {
            slot.Bind(id, etag, body, now);
            if (_serializeWrites)
            {
                lock (_writeLock)
                {
                    slot.Insert!.ExecuteNonQuery();
                }
            }
            else
            {
                slot.Insert!.ExecuteNonQuery();
            }
        }
        finally
        {
            _idle.Add(slot);
        }
        return etag;
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var slot))
        {
            slot.Dispose();
        }
    }

    private Slot NewSlot()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";
        command.ExecuteNonQuery();
        return new Slot(connection);
    }

    private sealed class Slot(SqliteConnection connection) : IDisposable
    {
        public SqliteConnection Connection { get; } = connection;
        public SqliteCommand? Insert { get; private set; }

        public void Prepare()
        {
            Insert = Connection.CreateCommand();
            Insert.CommandText = """
                INSERT INTO documents (program_id, kind, id, etag, body, updated_at)
                VALUES ('bench', 'participant', @id, @etag, @body, @now);
                """;
            Insert.Parameters.Add("@id", SqliteType.Text);
            Insert.Parameters.Add("@etag", SqliteType.Text);
            Insert.Parameters.Add("@body", SqliteType.Text);
            Insert.Parameters.Add("@now", SqliteType.Text);
            Insert.Prepare();
        }

        public void Bind(string id, string etag, string body, string now)
        {
            Insert!.Parameters[0].Value = id;
            Insert.Parameters[1].Value = etag;
            Insert.Parameters[2].Value = body;
            Insert.Parameters[3].Value = now;
        }

        public void Dispose()
        {
            Insert?.Dispose();
            Connection.Dispose();
        }
    }
}
