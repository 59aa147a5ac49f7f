using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LoadGen;
using Mentoring.Core.Common;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;
using Mentoring.Core.Registration.Webhooks;
using Mentoring.Sqlite;
using Microsoft.Data.Sqlite;
using Profile;

// In-process breakdown of a webhook registration (no HTTP): which store calls WebhookIntake makes, what each costs,
// what the same SQLite file costs when used the bare way, and the CPU spent outside the store.
//   dotnet Profile.dll [--seconds 5] [--concurrency 32]
var seconds = Arg("--seconds", 5);
var concurrency = Arg("--concurrency", 32);
var root = Path.Combine(Path.GetTempPath(), "mentoring-profile-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
Directory.CreateDirectory(root);
var culture = CultureInfo.InvariantCulture;
try
{
    Console.WriteLine($"# Registration profile ({Environment.ProcessorCount} cores, .NET {Environment.Version})");
    Console.WriteLine();

    // 1: the real use case on the real store, counted; then the same deliveries through the what-if prototypes.
    Console.WriteLine("## Registrations in process (no HTTP): today's path against the proposed fixes");
    Console.WriteLine();
    var summary = new List<string>();
    foreach (var workers in new[] { 1, concurrency })
    {
        var count = workers == 1 ? 15_000 : 250_000;
        {
            using var sqlite = new SqliteDocumentStore(new SqliteStoreOptions(Path.Combine(root, $"today-{workers}.db")));
            var counting = new CountingStore(sqlite);
            var (intake, programId, secret) = await NewProgramAsync(counting);
            var deliveries = Deliveries.Generate(count, "t" + workers, secret);
            var result = await Measure($"today: WebhookIntake + SqliteDocumentStore, {workers} worker(s)", workers, deliveries,
                d => intake.ReceiveAsync(programId, Deliveries.Provider, ToDelivery(d)), counting.Reset);
            summary.Add(result.Line);
            Console.WriteLine($"### {result.Label}: {result.PerSecond:F0}/s, {result.CpuMicros:F0} µs CPU per registration");
            Console.WriteLine();
            counting.Print(result.Count, result.WallMicros);
            Console.WriteLine();
        }
        {
            using var connections = new PreparedConnections(Path.Combine(root, $"fix2-{workers}.db"));
            using (var sqlite = new SqliteDocumentStore(new SqliteStoreOptions(Path.Combine(root, $"fix2-{workers}.db"))))
            {
                await sqlite.ReadAsync<JsonElement>(new DocumentKey("x", "y", "z")); // creates the schema, WAL
            }
            var store = new PreparedReadCreateStore(connections);
            var (intake, programId, secret) = await NewProgramAsync(store);
            var deliveries = Deliveries.Generate(count, "f" + workers, secret);
            var result = await Measure($"fix 2: WebhookIntake + kept connections, pragmas once, prepared statements, {workers} worker(s)", workers, deliveries,
                d => intake.ReceiveAsync(programId, Deliveries.Provider, ToDelivery(d)), () => { });
            summary.Add(result.Line);
        }
        {
            var path = Path.Combine(root, $"fix12-{workers}.db");
            using var connections = new PreparedConnections(path);
            using var sqlite = new SqliteDocumentStore(new SqliteStoreOptions(path));
            var (_, programId, secret) = await NewProgramAsync(sqlite);
            var program = (await new ProgramCatalog(sqlite, TimeProvider.System).GetAsync(programId)).Value;
            var intake = new OneTransactionIntake(connections, program, TimeProvider.System);
            var deliveries = Deliveries.Generate(count, "o" + workers, secret);
            var result = await Measure($"fix 1+2: cached program, participant + receipt in one transaction, {workers} worker(s)", workers, deliveries,
                d => { intake.Receive(Deliveries.Provider, ToDelivery(d)); return Task.CompletedTask; }, () => { });
            summary.Add(result.Line);
        }
        {
            var path = Path.Combine(root, $"bare-{workers}.db");
            using var connections = new PreparedConnections(path);
            using (var sqlite = new SqliteDocumentStore(new SqliteStoreOptions(path)))
            {
                await sqlite.ReadAsync<JsonElement>(new DocumentKey("x", "y", "z"));
            }
            var deliveries = Deliveries.Generate(count, "b" + workers, "whsec-unused-0123456789");
            var result = await Measure($"bare: one prepared INSERT of the body, {workers} worker(s)", workers, deliveries, d =>
            {
                connections.Use(slot =>
                {
                    var command = slot.Command("INSERT INTO documents (program_id, kind, id, etag, body, updated_at) VALUES ('bench', 'participant', @1, @2, @3, @4);", 4);
                    command.Parameters[0].Value = d.BareId;
                    command.Parameters[1].Value = $"\"{Guid.NewGuid():N}\"";
                    command.Parameters[2].Value = System.Text.Encoding.UTF8.GetString(d.Body);
                    command.Parameters[3].Value = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
                    return command.ExecuteNonQuery();
                });
                return Task.CompletedTask;
            }, () => { });
            summary.Add(result.Line);
        }
    }
    Console.WriteLine("### Summary");
    Console.WriteLine();
    Console.WriteLine("| path | registrations/s | CPU µs per registration | wall µs per registration per worker |");
    Console.WriteLine("|---|---:|---:|---:|");
    summary.ForEach(Console.WriteLine);
    Console.WriteLine();

    // 3: what one store call costs, against the bare way of talking to the same file.
    Console.WriteLine("## One statement, sequential, µs per call");
    Console.WriteLine();
    Console.WriteLine("| call | µs |");
    Console.WriteLine("|---|---:|");
    {
        using var store = new SqliteDocumentStore(new SqliteStoreOptions(Path.Combine(root, "ops.db")));
        var (_, programId, _) = await NewProgramAsync(store);
        var programKey = ProgramCatalog.KeyOf(programId);
        var n = 0;
        Participant NewParticipant() => Sample(programId, Interlocked.Increment(ref n));
        await Row("SqliteDocumentStore.ReadAsync<MentoringProgram> (program)", 20_000, async _ => await store.ReadAsync<MentoringProgram>(programKey));
        await Row("SqliteDocumentStore.ReadAsync<Participant> (missing)", 20_000, async i => await store.ReadAsync<Participant>(new DocumentKey(programId, DocumentKinds.Participant, "nope" + i)));
        await Row("SqliteDocumentStore.CreateAsync<Participant>", 20_000, async _ =>
        {
            var p = NewParticipant();
            await store.CreateAsync(new DocumentKey(programId, DocumentKinds.Participant, p.Id), p);
        });

        var path = Path.Combine(root, "ops.db");
        var pooled = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 }.ToString();
        await Row("raw: pooled Open + Close only", 20_000, _ =>
        {
            using var c = new SqliteConnection(pooled);
            c.Open();
            return Task.CompletedTask;
        });
        await Row("raw: pooled Open + the store's two PRAGMAs + Close", 20_000, _ =>
        {
            using var c = new SqliteConnection(pooled);
            c.Open();
            using var pragma = c.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";
            pragma.ExecuteNonQuery();
            return Task.CompletedTask;
        });
        await Row("raw: pooled Open + SELECT by key (new command) + Close", 20_000, i =>
        {
            using var c = new SqliteConnection(pooled);
            c.Open();
            using var select = c.CreateCommand();
            select.CommandText = "SELECT etag, body FROM documents WHERE program_id = @p AND kind = @k AND id = @id;";
            select.Parameters.AddWithValue("@p", programId);
            select.Parameters.AddWithValue("@k", DocumentKinds.Participant);
            select.Parameters.AddWithValue("@id", "nope" + i);
            using var r = select.ExecuteReader();
            r.Read();
            return Task.CompletedTask;
        });
        using var held = new SqliteConnection(pooled);
        held.Open();
        using (var pragma = held.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";
            pragma.ExecuteNonQuery();
        }
        using var insert = held.CreateCommand();
        insert.CommandText = "INSERT INTO documents (program_id, kind, id, etag, body, updated_at) VALUES (@p, @k, @id, @e, @b, @u);";
        foreach (var name in new[] { "@p", "@k", "@id", "@e", "@b", "@u" })
        {
            insert.Parameters.Add(name, SqliteType.Text);
        }
        insert.Prepare();
        await Row("raw: prepared INSERT of a serialized participant on a held connection", 20_000, _ =>
        {
            var p = NewParticipant();
            insert.Parameters[0].Value = programId;
            insert.Parameters[1].Value = DocumentKinds.Participant;
            insert.Parameters[2].Value = "raw" + p.Id;
            insert.Parameters[3].Value = "\"" + Guid.NewGuid().ToString("N") + "\"";
            insert.Parameters[4].Value = JsonSerializer.Serialize(p, MentoringJson.Options);
            insert.Parameters[5].Value = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            insert.ExecuteNonQuery();
            return Task.CompletedTask;
        });
        var programJson = (await store.ReadAsync<JsonElement>(programKey))!.Value.GetRawText();
        await Row($"JSON: deserialize the program document ({programJson.Length} chars)", 20_000, _ =>
        {
            JsonSerializer.Deserialize<MentoringProgram>(programJson, MentoringJson.Options);
            return Task.CompletedTask;
        });
        var sample = NewParticipant();
        await Row($"JSON: serialize a participant ({JsonSerializer.Serialize(sample, MentoringJson.Options).Length} chars)", 20_000, _ =>
        {
            JsonSerializer.Serialize(sample, MentoringJson.Options);
            return Task.CompletedTask;
        });
    }
    Console.WriteLine();

    // 4: the same writes under concurrency: the store's connection-per-call pattern against a held connection.
    Console.WriteLine($"## Inserts only, {concurrency} concurrent workers, {seconds}s each");
    Console.WriteLine();
    Console.WriteLine("| writer | inserts/s |");
    Console.WriteLine("|---|---:|");
    {
        using var store = new SqliteDocumentStore(new SqliteStoreOptions(Path.Combine(root, "conc.db")));
        var n = 0;
        await Concurrent("SqliteDocumentStore.CreateAsync (1 write per call)", async () =>
        {
            var p = Sample("conc", Interlocked.Increment(ref n));
            await store.CreateAsync(new DocumentKey("conc", DocumentKinds.Participant, p.Id), p);
        });
        await Concurrent("SqliteDocumentStore: Read + Create + Read + Read + Create (the intake's 5 calls, no domain work)", async () =>
        {
            var i = Interlocked.Increment(ref n);
            var p = Sample("conc", i);
            await store.ReadAsync<Participant>(new DocumentKey("conc", DocumentKinds.Participant, "x" + (i % 7)));
            await store.ReadAsync<Participant>(new DocumentKey("conc", DocumentKinds.Submission, "r" + p.Id));
            await store.ReadAsync<Participant>(new DocumentKey("conc", DocumentKinds.Participant, p.Id));
            await store.CreateAsync(new DocumentKey("conc", DocumentKinds.Participant, p.Id), p);
            await store.CreateAsync(new DocumentKey("conc", DocumentKinds.Submission, "r" + p.Id), new { p.Id });
        });
        await Concurrent("SqliteDocumentStore: 2 Creates per call (participant + receipt), no reads", async () =>
        {
            var p = Sample("conc", Interlocked.Increment(ref n));
            await store.CreateAsync(new DocumentKey("conc", DocumentKinds.Participant, "w" + p.Id), p);
            await store.CreateAsync(new DocumentKey("conc", DocumentKinds.Submission, "w" + p.Id), new { p.Id });
        });
    }
}
finally
{
    SqliteConnection.ClearAllPools();
    Directory.Delete(root, recursive: true);
}

async Task<Measured> Measure(string label, int workers, Delivery[] deliveries, Func<Delivery, Task> register, Action reset)
{
    var cursor = 0;
    async Task<int> Drive(TimeSpan duration, int max)
    {
        var watch = Stopwatch.StartNew();
        var done = 0;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (watch.Elapsed < duration)
            {
                var i = Interlocked.Increment(ref cursor) - 1;
                if (i >= max || i >= deliveries.Length)
                {
                    return;
                }
                await register(deliveries[i]);
                Interlocked.Increment(ref done);
            }
        })));
        return done;
    }
    await Drive(TimeSpan.FromSeconds(2), Math.Min(deliveries.Length / 5, 20_000));
    reset();
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var registrations = await Drive(TimeSpan.FromSeconds(seconds), int.MaxValue);
    var elapsed = clock.Elapsed;
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
    var measured = new Measured(label, registrations, registrations / elapsed.TotalSeconds, cpu.TotalMicroseconds / registrations,
        elapsed.TotalMicroseconds * workers / registrations);
    Console.Error.WriteLine($"[profile] {measured.Line}");
    return measured;
}

async Task Row(string label, int count, Func<int, Task> action)
{
    for (var i = 0; i < count / 10; i++)
    {
        await action(-i - 1);
    }
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        await action(i);
    }
    Console.WriteLine(string.Create(culture, $"| {label} | {watch.Elapsed.TotalMicroseconds / count:F1} |"));
}

async Task Concurrent(string label, Func<Task> action)
{
    var watch = Stopwatch.StartNew();
    var done = 0;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            await action();
            Interlocked.Increment(ref done);
        }
    })));
    Console.WriteLine(string.Create(culture, $"| {label} | {done / watch.Elapsed.TotalSeconds:F0} calls/s |"));
}

static Participant Sample(string programId, int i) => new()
{
    Id = "p_" + Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i)).AsSpan(0, 12)),
    ProgramId = programId,
    Email = $"bench-{i}@example.com",
    Name = $"Bench Person {i}",
    Answers = new Dictionary<string, IReadOnlyList<string>>
    {
        ["department"] = ["Engineering"], ["level"] = ["Senior"], ["timeZone"] = ["Europe/Berlin"], ["goals"] = ["Leadership", "SQL"],
    },
    ConsentedAt = DateTimeOffset.UtcNow,
    Source = new RegistrationSource("generic", $"sub-{i}"),
    CreatedAt = DateTimeOffset.UtcNow,
    UpdatedAt = DateTimeOffset.UtcNow,
};

static WebhookDelivery ToDelivery(Delivery d) => new(
    d.Body, "application/json",
    new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [Deliveries.SignatureHeader] = d.Signature, ["Content-Type"] = "application/json" },
    new Dictionary<string, string>());

static async Task<(WebhookIntake Intake, string ProgramId, string Secret)> NewProgramAsync(IDocumentStore store)
{
    var secret = "whsec-bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    var programId = "bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    var catalog = new ProgramCatalog(store, TimeProvider.System);
    var definition = JsonSerializer.Deserialize<ProgramDefinition>(Deliveries.ProgramJson(programId, secret), MentoringJson.Strict)!;
    await catalog.CreateAsync(definition);
    var registry = new ParticipantRegistry(store, catalog, TimeProvider.System);
    return (new WebhookIntake(store, catalog, registry, TimeProvider.System), programId, secret);
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

internal sealed record Measured(string Label, int Count, double PerSecond, double CpuMicros, double WallMicros)
{
    public string Line => string.Create(CultureInfo.InvariantCulture, $"| {Label} | {PerSecond:F0} | {CpuMicros:F0} | {WallMicros:F0} |");
}

/// <summary>Counts and times every store call by operation and document kind (wall time, so waits on locks count too).</summary>
internal sealed class CountingStore(IDocumentStore inner) : IDocumentStore
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    public void Reset() => _counters.Clear();

    public void Print(int registrations, double wallMicrosPerRegistration)
    {
        Console.WriteLine("| store call | calls per registration | mean µs (wall) | µs per registration |");
        Console.WriteLine("|---|---:|---:|---:|");
        double inStore = 0, calls = 0;
        foreach (var (name, c) in _counters.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var perRegistration = (double)c.Count / registrations;
            var mean = Stopwatch.GetElapsedTime(0, c.Ticks).TotalMicroseconds / c.Count;
            inStore += perRegistration * mean;
            calls += perRegistration;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {perRegistration:F2} | {mean:F1} | {perRegistration * mean:F1} |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| **all store calls** | **{calls:F2}** | | **{inStore:F1}** ({inStore / wallMicrosPerRegistration:P0} of the wall time) |"));
    }

    public Task<StoredDocument<T>?> ReadAsync<T>(DocumentKey key, CancellationToken cancellationToken = default) =>
        Time($"ReadAsync {key.Kind}", () => inner.ReadAsync<T>(key, cancellationToken));

    public Task<StoredDocument<T>> CreateAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default) =>
        Time($"CreateAsync {key.Kind}", () => inner.CreateAsync(key, value, cancellationToken));

    public Task<StoredDocument<T>> ReplaceAsync<T>(DocumentKey key, T value, string ifMatch, CancellationToken cancellationToken = default) =>
        Time($"ReplaceAsync {key.Kind}", () => inner.ReplaceAsync(key, value, ifMatch, cancellationToken));

    public Task<StoredDocument<T>> UpsertAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default) =>
        Time($"UpsertAsync {key.Kind}", () => inner.UpsertAsync(key, value, cancellationToken));

    public Task<bool> DeleteAsync(DocumentKey key, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        Time($"DeleteAsync {key.Kind}", () => inner.DeleteAsync(key, ifMatch, cancellationToken));

    public Task<DocumentPage<T>> QueryAsync<T>(DocumentQuery query, CancellationToken cancellationToken = default) =>
        Time($"QueryAsync {query.Kind}", () => inner.QueryAsync<T>(query, cancellationToken));

    private async Task<TResult> Time<TResult>(string name, Func<Task<TResult>> call)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await call();
        }
        finally
        {
            var counter = _counters.GetOrAdd(name, _ => new Counter());
            Interlocked.Increment(ref counter.Count);
            Interlocked.Add(ref counter.Ticks, Stopwatch.GetTimestamp() - start);
        }
    }

    private sealed class Counter
    {
        public long Count;
        public long Ticks;
    }
}
