using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using LoadGen;
using Microsoft.Data.Sqlite;

// Registrations benchmark driver. run.sh starts the servers; this program creates the program, pre-signs the
// deliveries, loads each target in turn with the same closed-loop generator, counts what each stored, and prints
// the markdown table. Options:
//   --server <url>  --server-db <file>  --admin-key <key>     the real server (Mentoring.Server)
//   --bare <name>=<url>=<file>                                a bare endpoint (repeatable; the first is the ratio's baseline)
//   --pid <name>=<pid>                                        a target's process, for its CPU time per request (optional)
//   --concurrency 32  --warmup 3  --duration 15 (measured seconds per target)  --rounds 3  --pool 400000  --out <file.md>
var options = Options.Parse(args);
var invariant = CultureInfo.InvariantCulture;
var runTag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
var programId = "bench-" + runTag;
var secret = "whsec-bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

Console.Error.WriteLine($"[loadgen] signing {options.Pool:N0} deliveries up front...");
var pool = Deliveries.Generate(options.Pool, runTag, secret);
Console.Error.WriteLine($"[loadgen] body size {pool.Average(d => d.Body.Length):F0} bytes on average");

using var admin = LoadRunner.NewClient(4);
using (var create = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Server, "/api/programs")))
{
    create.Headers.Add("x-functions-key", options.AdminKey);
    create.Content = new StringContent(Deliveries.ProgramJson(programId, secret), Encoding.UTF8, "application/json");
    using var created = await admin.SendAsync(create);
    if (created.StatusCode != HttpStatusCode.Created)
    {
        throw new InvalidOperationException($"Creating the program answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
    }
}

var targets = new List<Target>
{
    new("server", new Uri(options.Server, $"/api/programs/{programId}/webhooks/{Deliveries.Provider}"), options.ServerDb, IsServer: true,
        options.Pids.GetValueOrDefault("server")),
};
targets.AddRange(options.Bares.Select(b => new Target(b.Name, new Uri(b.Url, "/ingest"), b.Db, IsServer: false, options.Pids.GetValueOrDefault(b.Name))));

// Warm-up per target, then the measured time in rounds, alternating the order of the targets each round, so that
// whatever else runs on the machine (builds, tests) weighs on every target alike.
var cursors = targets.ToDictionary(t => t.Name, _ => new Cursor());
var clients = targets.ToDictionary(t => t.Name, _ => LoadRunner.NewClient(options.Concurrency));
var warm = new Dictionary<string, PhaseResult>();
var measured = targets.ToDictionary(t => t.Name, _ => new List<PhaseResult>());
foreach (var target in targets)
{
    Console.Error.WriteLine($"[loadgen] {target.Name}: warm-up {options.Warmup}s at {options.Concurrency} connections");
    warm[target.Name] = await LoadRunner.RunAsync(target.Name, clients[target.Name], target.Url, pool, cursors[target.Name],
        options.Concurrency, TimeSpan.FromSeconds(options.Warmup), target.Pid);
}
var slice = TimeSpan.FromSeconds((double)options.Duration / options.Rounds);
for (var round = 0; round < options.Rounds; round++)
{
    var order = round % 2 == 0 ? targets : Enumerable.Reverse(targets).ToList();
    foreach (var target in order)
    {
        var phase = await LoadRunner.RunAsync(target.Name, clients[target.Name], target.Url, pool, cursors[target.Name],
            options.Concurrency, slice, target.Pid);
        measured[target.Name].Add(phase);
        Console.Error.WriteLine(string.Create(invariant,
            $"[loadgen] round {round + 1}/{options.Rounds} {target.Name}: {phase.PerSecond:F0}/s, p99 {phase.Percentile(99):F1} ms, machine busy {phase.MachineBusy.TotalSeconds / phase.Seconds / Environment.ProcessorCount:P0}"));
    }
}
foreach (var client in clients.Values)
{
    client.Dispose();
}

var rows = new List<Row>();
foreach (var target in targets)
{
    var run = LoadRunner.Merge(measured[target.Name]);
    var warmup = warm[target.Name];
    if (run.FirstError is not null)
    {
        Console.Error.WriteLine($"[loadgen] {target.Name}: first error {run.FirstError}");
    }
    var ok = warmup.OkIndices.Concat(run.OkIndices).ToList();
    var sent = warmup.SentIndices.Concat(run.SentIndices).ToList();
    var uniqueEmailsSent = sent.Select(i => pool[i].Email).Distinct(StringComparer.OrdinalIgnoreCase).Count();
    HashSet<string> stored;
    int sqliteRows;
    if (target.IsServer)
    {
        stored = await Deliveries.ListParticipantEmailsAsync(admin, options.Server, programId, options.AdminKey);
        sqliteRows = CountRows(target.Db, programId, "participant");
        Console.Error.WriteLine($"[loadgen] server: admin API lists {stored.Count:N0} participants; SQLite has {sqliteRows:N0} participant rows");
    }
    else
    {
        stored = ReadIds(target.Db);
        sqliteRows = stored.Count;
    }
    var key = target.IsServer ? (Func<int, string>)(i => pool[i].Email) : i => pool[i].BareId;
    var lost = ok.Count(i => !stored.Contains(key(i)));
    var extra = stored.Count - ok.Select(key).Count(stored.Contains);
    rows.Add(new Row(target, warmup, run, ok.Count, uniqueEmailsSent, stored.Count, sqliteRows, lost, extra));
}

var report = Report(rows);
Console.WriteLine(report);
if (options.Out is not null)
{
    await File.WriteAllTextAsync(options.Out, report);
}
return rows.Any(r => r.Lost > 0) ? 3 : 0;

string Report(List<Row> all)
{
    var text = new StringBuilder();
    text.AppendLine(invariant, $"Registrations benchmark: {Environment.ProcessorCount} cores, {options.Concurrency} connections, {options.Warmup}s warm-up + {options.Duration}s measured per target in {options.Rounds} alternating rounds, generic webhook bodies of ~{pool.Average(d => d.Body.Length):F0} B, HMAC-SHA256 signed up front.");
    text.AppendLine();
    text.AppendLine("| target | requests | 2xx | errors | req/s | p50 ms | p99 ms | rows stored | lost | target CPU ms/req | others' CPU |");
    text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var row in all)
    {
        var r = row.Run;
        var cpu = r.TargetCpu > TimeSpan.Zero && r.Ok > 0 ? (r.TargetCpu.TotalMilliseconds / r.Ok).ToString("F3", invariant) : "n/a";
        // Busy CPU of every process other than the target and the generator, as a share of the machine.
        var others = (r.MachineBusy - r.TargetCpu - r.GeneratorCpu).TotalSeconds / (r.Seconds * Environment.ProcessorCount);
        text.AppendLine(invariant, $"| {row.Target.Name} | {r.Requests:N0} | {r.Ok:N0} | {r.Errors:N0} | {r.PerSecond:F0} | {r.Percentile(50):F2} | {r.Percentile(99):F2} | {row.Stored:N0} | {row.Lost:N0} | {cpu} | {Math.Max(0, others):P0} |");
    }
    text.AppendLine();
    var server = all.First(r => r.Target.IsServer);
    var baseline = all.FirstOrDefault(r => !r.Target.IsServer);
    if (baseline is not null)
    {
        var ratio = server.Run.PerSecond / baseline.Run.PerSecond;
        text.AppendLine(invariant, $"**server / {baseline.Target.Name} throughput: {ratio:P1}** (target >= 50%: {(ratio >= 0.5 ? "met" : "NOT met")}); lost registrations: {all.Sum(r => r.Lost)}.");
        foreach (var other in all.Where(r => !r.Target.IsServer).Skip(1))
        {
            text.AppendLine(invariant, $"server / {other.Target.Name}: {server.Run.PerSecond / other.Run.PerSecond:P1}.");
        }
        text.AppendLine();
    }
    text.AppendLine("requests, 2xx, errors, req/s (2xx per second) and latencies are the measured rounds; rows stored and lost cover warm-up + measured. "
        + "target CPU ms/req: CPU time of the target's process per 2xx. others' CPU: machine busy time not spent in the target or the generator, "
        + "as a share of all cores (other builds and tests on the machine).");
    foreach (var row in all)
    {
        var how = row.Target.IsServer
            ? $"participants listed by GET /api/programs/{{id}}/participants (SQLite file: {row.SqliteRows:N0})"
            : "rows in its SQLite file";
        text.AppendLine(invariant, $"- {row.Target.Name}: warm-up {row.Warm.Requests:N0} requests ({row.Warm.Ok:N0} 2xx); {row.OkAll:N0} 2xx in all for {row.UniqueSent:N0} unique emails sent; {row.Stored:N0} {how}; lost {row.Lost}, stored without a 2xx {row.Extra}; outcomes {Outcomes(row.Run)}{(row.Run.PoolExhausted ? "; delivery pool ran out early (raise --pool)" : "")}.");
    }
    return text.ToString();
}

static string Outcomes(PhaseResult r) => string.Join(", ", r.Outcomes.Select(o => $"{o.Key}: {o.Value}"));

static SqliteConnection OpenReadOnly(string path)
{
    var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
    connection.Open();
    return connection;
}

static int CountRows(string path, string programId, string kind)
{
    using var connection = OpenReadOnly(path);
    using var command = connection.CreateCommand();
    command.CommandText = "SELECT count(*) FROM documents WHERE program_id = @p AND kind = @k;";
    command.Parameters.AddWithValue("@p", programId);
    command.Parameters.AddWithValue("@k", kind);
    return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
}

static HashSet<string> ReadIds(string path)
{
    using var connection = OpenReadOnly(path);
    using var command = connection.CreateCommand();
    command.CommandText = "SELECT id FROM documents WHERE program_id = 'bench' AND kind = 'participant';";
    using var reader = command.ExecuteReader();
    var ids = new HashSet<string>(StringComparer.Ordinal);
    while (reader.Read())
    {
        ids.Add(reader.GetString(0));
    }
    return ids;
}

internal sealed record Target(string Name, Uri Url, string Db, bool IsServer, int? Pid);

internal sealed record Row(Target Target, PhaseResult Warm, PhaseResult Run, int OkAll, int UniqueSent, int Stored, int SqliteRows, int Lost, int Extra);

internal sealed record BareTarget(string Name, Uri Url, string Db);

internal sealed class Options
{
    public required Uri Server { get; init; }
    public required string ServerDb { get; init; }
    public required string AdminKey { get; init; }
    public required IReadOnlyList<BareTarget> Bares { get; init; }
    public required IReadOnlyDictionary<string, int?> Pids { get; init; }
    public int Concurrency { get; init; } = 32;
    public int Rounds { get; init; } = 3;
    public int Warmup { get; init; } = 3;
    public int Duration { get; init; } = 15;
    public int Pool { get; init; } = 400_000;
    public string? Out { get; init; }

    public static Options Parse(string[] args)
    {
        var single = new Dictionary<string, string>(StringComparer.Ordinal);
        var bares = new List<BareTarget>();
        var pids = new Dictionary<string, int?>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--bare")
            {
                var parts = args[i + 1].Split('=', 3);
                if (parts.Length != 3)
                {
                    throw new ArgumentException($"--bare wants <name>=<url>=<db file>, got '{args[i + 1]}'.");
                }
                bares.Add(new BareTarget(parts[0], new Uri(parts[1]), parts[2]));
            }
            else if (args[i] == "--pid")
            {
                var parts = args[i + 1].Split('=', 2);
                pids[parts[0]] = int.Parse(parts[1], CultureInfo.InvariantCulture);
            }
            else
            {
                single[args[i].TrimStart('-')] = args[i + 1];
            }
        }
        string Need(string name) => single.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required.");
        int Int(string name, int fallback) => single.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new Options
        {
            Server = new Uri(Need("server")),
            ServerDb = Need("server-db"),
            AdminKey = Need("admin-key"),
            Bares = bares,
            Pids = pids,
            Concurrency = Int("concurrency", 32),
            Rounds = Math.Max(1, Int("rounds", 3)),
            Warmup = Int("warmup", 3),
            Duration = Int("duration", 15),
            Pool = Int("pool", 400_000),
            Out = single.GetValueOrDefault("out"),
        };
    }
}
