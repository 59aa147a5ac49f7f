using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace LoadGen;

/// <summary>What one phase (warm-up or measured) of one target did.</summary>
internal sealed class PhaseResult
{
    public required string Target { get; init; }
    public int Requests { get; init; }
    public int Ok { get; init; }
    public int Errors => Requests - Ok;
    public double Seconds { get; init; }
    public double PerSecond => Seconds > 0 ? Ok / Seconds : 0;
    /// <summary>Latency of every completed request (2xx or not), ascending, in milliseconds.</summary>
    public required double[] SortedMs { get; init; }
    /// <summary>Pool indices of the deliveries answered 2xx.</summary>
    public required List<int> OkIndices { get; init; }
    /// <summary>Pool indices of the deliveries sent (answered or not).</summary>
    public required List<int> SentIndices { get; init; }
    public required SortedDictionary<string, int> Outcomes { get; init; }
    public string? FirstError { get; init; }
    public bool PoolExhausted { get; init; }

    /// <summary>CPU time the target's process used during the phase (zero when its pid is unknown).</summary>
    public TimeSpan TargetCpu { get; init; }
    /// <summary>CPU time the load generator used during the phase.</summary>
    public TimeSpan GeneratorCpu { get; init; }
    /// <summary>Busy CPU time of the whole machine during the phase (all processes).</summary>
    public TimeSpan MachineBusy { get; init; }

    public double Percentile(double p) =>
        SortedMs.Length == 0 ? double.NaN : SortedMs[Math.Clamp((int)Math.Ceiling(p / 100 * SortedMs.Length) - 1, 0, SortedMs.Length - 1)];
}

/// <summary>A shared position in the delivery pool: each delivery is sent once per target.</summary>
internal sealed class Cursor
{
    private int _next;
    public int Take() => Interlocked.Increment(ref _next) - 1;
}

/// <summary>Closed-loop load: N workers, each sending its next delivery as soon as the previous answer arrived.</summary>
internal static class LoadRunner
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static HttpClient NewClient(int connections) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        {
            Timeout = TimeSpan.FromSeconds(60),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

    /// <summary>The phases of one target as one: counts and times added, latencies pooled.</summary>
    public static PhaseResult Merge(IReadOnlyList<PhaseResult> phases)
    {
        var ms = phases.SelectMany(p => p.SortedMs).ToArray();
        Array.Sort(ms);
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, count) in phases.SelectMany(p => p.Outcomes))
        {
            outcomes[name] = outcomes.GetValueOrDefault(name) + count;
        }
        return new PhaseResult
        {
            Target = phases[0].Target,
            Requests = phases.Sum(p => p.Requests),
            Ok = phases.Sum(p => p.Ok),
            Seconds = phases.Sum(p => p.Seconds),
            SortedMs = ms,
            OkIndices = [.. phases.SelectMany(p => p.OkIndices)],
            SentIndices = [.. phases.SelectMany(p => p.SentIndices)],
            Outcomes = outcomes,
            FirstError = phases.Select(p => p.FirstError).FirstOrDefault(e => e is not null),
            PoolExhausted = phases.Any(p => p.PoolExhausted),
            TargetCpu = phases.Aggregate(TimeSpan.Zero, (t, p) => t + p.TargetCpu),
            GeneratorCpu = phases.Aggregate(TimeSpan.Zero, (t, p) => t + p.GeneratorCpu),
            MachineBusy = phases.Aggregate(TimeSpan.Zero, (t, p) => t + p.MachineBusy),
        };
    }

    public static async Task<PhaseResult> RunAsync(string target, HttpClient client, Uri url, Delivery[] pool, Cursor cursor,
        int concurrency, TimeSpan duration, int? pid = null)
    {
        var targetCpu0 = Cpu.OfProcess(pid);
        var generatorCpu0 = Cpu.OfProcess(Environment.ProcessId);
        var machine0 = Cpu.MachineBusy();
        var start = Stopwatch.GetTimestamp();
        var exhausted = 0;
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var mine = new WorkerLog();
            while (Stopwatch.GetElapsedTime(start) < duration)
            {
                var index = cursor.Take();
                if (index >= pool.Length)
                {
                    Interlocked.Exchange(ref exhausted, 1);
                    break;
                }
                var delivery = pool[index];
                mine.Sent.Add(index);
                var sentAt = Stopwatch.GetTimestamp();
                string outcome;
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(delivery.Body) };
                    request.Content.Headers.ContentType = Json;
                    request.Headers.TryAddWithoutValidation(Deliveries.SignatureHeader, delivery.Signature);
                    request.Headers.TryAddWithoutValidation("X-Bench-Id", delivery.BareId);
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    var code = (int)response.StatusCode;
                    outcome = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    if (code is >= 200 and < 300)
                    {
                        mine.Ok.Add(index);
                    }
                    else if (mine.FirstError is null)
                    {
                        var text = await response.Content.ReadAsStringAsync();
                        mine.FirstError = $"{code}: {text[..Math.Min(300, text.Length)]}";
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    outcome = e.GetType().Name;
                    mine.FirstError ??= $"{e.GetType().Name}: {e.Message}";
                }
                mine.Ticks.Add(Stopwatch.GetTimestamp() - sentAt);
                mine.Outcomes[outcome] = mine.Outcomes.GetValueOrDefault(outcome) + 1;
            }
            return mine;
        })).ToArray();
        var logs = await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var targetCpu = Cpu.OfProcess(pid) - targetCpu0;
        var generatorCpu = Cpu.OfProcess(Environment.ProcessId) - generatorCpu0;
        var machine = Cpu.MachineBusy() - machine0;

        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, count) in logs.SelectMany(l => l.Outcomes))
        {
            outcomes[name] = outcomes.GetValueOrDefault(name) + count;
        }
        var ms = logs.SelectMany(l => l.Ticks).Select(t => t * 1000.0 / Stopwatch.Frequency).ToArray();
        Array.Sort(ms);
        var ok = logs.SelectMany(l => l.Ok).ToList();
        return new PhaseResult
        {
            Target = target,
            Requests = ms.Length,
            Ok = ok.Count,
            Seconds = seconds,
            SortedMs = ms,
            OkIndices = ok,
            SentIndices = [.. logs.SelectMany(l => l.Sent)],
            Outcomes = outcomes,
            FirstError = logs.Select(l => l.FirstError).FirstOrDefault(e => e is not null),
            PoolExhausted = exhausted == 1,
            TargetCpu = targetCpu,
            GeneratorCpu = generatorCpu,
            MachineBusy = machine,
        };
    }

    private sealed class WorkerLog
    {
        public List<long> Ticks { get; } = new(1 << 14);
        public List<int> Ok { get; } = new(1 << 14);
        public List<int> Sent { get; } = new(1 << 14);
        public Dictionary<string, int> Outcomes { get; } = new(StringComparer.Ordinal);
        public string? FirstError { get; set; }
    }
}

/// <summary>CPU time from /proc (Linux): per process, and busy time of the whole machine.</summary>
internal static class Cpu
{
    public static TimeSpan OfProcess(int? pid)
    {
        if (pid is null)
        {
            return TimeSpan.Zero;
        }
        try
        {
            using var process = Process.GetProcessById(pid.Value);
            return process.TotalProcessorTime;
        }
        catch (ArgumentException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>user + nice + system + irq + softirq + steal of all cores, from the first line of /proc/stat.</summary>
    public static TimeSpan MachineBusy()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long Field(int i) => fields.Length > i ? long.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture) : 0;
            var ticks = Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
            return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }
}
