using Mentoring.Core.Work;
using NCrontab;

namespace Mentoring.Server.Work;

/// <summary>Remembers when each scheduled job last ran, so a restart neither replays nor loses an occurrence.</summary>
public interface IScheduleStatusStore
{
    Task<DateTimeOffset?> GetLastRunAsync(string jobName, CancellationToken cancellationToken = default);

    /// <summary>Records a run; a store never moves a job's last run back in time.</summary>
    Task SetLastRunAsync(string jobName, DateTimeOffset at, CancellationToken cancellationToken = default);
}

/// <summary>
/// Runs every registered <see cref="IScheduledJob"/> on its six-field NCrontab schedule (seconds first, as Azure
/// Functions timer triggers), read from <c>Mentoring:Schedules:{job.Name}</c>, in UTC. Defaults: CheckIns
/// <c>0 0 9 * * *</c>, SurveyReminders <c>0 30 9 * * *</c>. A missing or invalid schedule stops the host at start-up.
/// Occurrences missed while the host was down are not replayed one by one: if at least one was missed, the job runs
/// once. Jobs only enqueue work (the <see cref="WorkDispatcher"/> sends), so running one twice at an instant is harmless.
/// </summary>
public sealed class ScheduledJobRunner : BackgroundService
{
    public const string Section = "Mentoring:Schedules";

    /// <summary>The schedules used when configuration names none.</summary>
    // Literal names, not CheckInJob.JobName: Mentoring.Deployment.Tests reads them from this file to compare with api.bicep.
    public static IReadOnlyDictionary<string, string> DefaultSchedules { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CheckIns"] = "0 0 9 * * *",
        ["SurveyReminders"] = "0 30 9 * * *",
    };

    private static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    private readonly IServiceScopeFactory _scopes;
    private readonly IScheduleStatusStore _status;
    private readonly TimeProvider _time;
    private readonly ILogger<ScheduledJobRunner> _logger;
    private readonly Dictionary<string, Entry> _entries;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _loaded;

    public ScheduledJobRunner(
        IServiceScopeFactory scopes,
        IConfiguration configuration,
        IScheduleStatusStore status,
        TimeProvider time,
        ILogger<ScheduledJobRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(status);
        _scopes = scopes;
        _status = status;
        _time = time ?? TimeProvider.System;
        _logger = logger;
        using var scope = scopes.CreateScope();
        var names = scope.ServiceProvider.GetServices<IScheduledJob>().Select(j => j.Name).ToList();
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two scheduled jobs are named '{duplicate.Key}'; each job needs its own name (and setting {Section}:{duplicate.Key}).");
        }

        _entries = names.ToDictionary(n => n, n => new Entry(n, ParseSchedule(n, configuration)), StringComparer.Ordinal);
    }

    /// <summary>The names of the jobs this runner runs.</summary>
    public IReadOnlyCollection<string> JobNames => _entries.Keys;

    /// <summary>
    /// Parses <c>Mentoring:Schedules:{name}</c> (or its default) as a six-field NCrontab expression. Throws an
    /// <see cref="InvalidOperationException"/> naming the setting when it is missing or invalid.
    /// </summary>
    public static CrontabSchedule ParseSchedule(string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configuration);
        var setting = $"{Section}:{name}";
        var expression = configuration[setting] is { Length: > 0 } configured ? configured
            : DefaultSchedules.TryGetValue(name, out var fallback) ? fallback
            : throw new InvalidOperationException($"Scheduled job '{name}' has no schedule: set {setting} to a six-field cron expression (seconds minutes hours day month weekday), e.g. \"0 0 9 * * *\".");
        try
        {
            return CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        }
        catch (CrontabException e)
        {
            throw new InvalidOperationException(
                $"{setting} = \"{expression}\" is not a valid six-field cron expression (seconds minutes hours day month weekday, e.g. \"0 0 9 * * *\"): {e.Message}", e);
        }
    }

    /// <summary>When <paramref name="jobName"/> runs next (UTC); null before the runner has loaded its state.</summary>
    public DateTimeOffset? NextRunOf(string jobName) => _entries.TryGetValue(jobName, out var entry) ? entry.Next : null;

    /// <summary>
    /// Runs each job whose next occurrence is due (once, however many occurrences passed) and schedules its next one.
    /// Returns the names of the jobs run. The first call loads each job's last run: a job that never ran starts
    /// counting from now; one whose next occurrence after its last run has passed runs now.
    /// </summary>
    public async Task<IReadOnlyList<string>> RunDueAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await LoadAsync(cancellationToken);
            var ran = new List<string>();
            foreach (var entry in _entries.Values)
            {
                var now = _time.GetUtcNow();
                if (entry.Next is { } next && next <= now && await RunAsync(entry, now, cancellationToken))
                {
                    ran.Add(entry.Name);
                }
            }

            return ran;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs one job now, whatever its schedule (tests, admin "run now"). Its next scheduled occurrence stays.</summary>
    public async Task RunNowAsync(string jobName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobName);
        if (!_entries.TryGetValue(jobName, out var entry))
        {
            throw new ArgumentException($"No scheduled job is named '{jobName}'; known: {string.Join(", ", _entries.Keys)}.", nameof(jobName));
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await LoadAsync(cancellationToken);
            var next = entry.Next;
            var now = _time.GetUtcNow();
            await ExecuteJobAsync(entry.Name, now, cancellationToken);
            await _status.SetLastRunAsync(entry.Name, now, cancellationToken);
            entry.Next = next;
        }
        finally
        {
            _gate.Release();
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var entry in _entries.Values)
        {
            _logger.LogInformation("Scheduled job {Job}: {Setting} (UTC).", entry.Name, $"{Section}:{entry.Name}");
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var sleep = MaxSleep;
            try
            {
                await RunDueAsync(stoppingToken);
                var now = _time.GetUtcNow();
                foreach (var entry in _entries.Values)
                {
                    if (entry.Next is { } next && next - now < sleep)
                    {
                        sleep = next - now;
                    }
                }

                await Task.Delay(sleep < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : sleep, _time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogError(e, "The scheduled job runner failed; retrying shortly.");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), _time, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        var now = _time.GetUtcNow();
        foreach (var entry in _entries.Values)
        {
            var lastRun = await _status.GetLastRunAsync(entry.Name, cancellationToken);
            if (lastRun is null)
            {
                // First start: nothing was missed; count from now.
                await _status.SetLastRunAsync(entry.Name, now, cancellationToken);
            }

            entry.Next = NextAfter(entry.Schedule, lastRun ?? now);
            if (entry.Next <= now)
            {
                _logger.LogInformation("Scheduled job {Job} missed its occurrence at {Due:O} (last run {LastRun:O}); running it once now.",
                    entry.Name, entry.Next, lastRun);
            }
        }

        _loaded = true;
    }

    /// <returns>True when the job ran; false when it failed (it is retried shortly, its run not recorded).</returns>
    private async Task<bool> RunAsync(Entry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteJobAsync(entry.Name, now, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogError(e, "Scheduled job {Job} failed; retrying in {Retry}.", entry.Name, RetryAfterFailure);
            entry.Next = now + RetryAfterFailure;
            return false;
        }

        await _status.SetLastRunAsync(entry.Name, now, cancellationToken);
        entry.Next = NextAfter(entry.Schedule, now);
        return true;
    }

    private async Task ExecuteJobAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var job = scope.ServiceProvider.GetServices<IScheduledJob>().First(j => string.Equals(j.Name, name, StringComparison.Ordinal));
        _logger.LogInformation("Running scheduled job {Job} at {Now:O}.", name, now);
        await job.RunAsync(now, cancellationToken);
    }

    private static DateTimeOffset NextAfter(CrontabSchedule schedule, DateTimeOffset at) =>
        new(DateTime.SpecifyKind(schedule.GetNextOccurrence(at.UtcDateTime), DateTimeKind.Utc));

    private sealed class Entry(string name, CrontabSchedule schedule)
    {
        public string Name { get; } = name;
        public CrontabSchedule Schedule { get; } = schedule;
        public DateTimeOffset? Next { get; set; }
    }
}
