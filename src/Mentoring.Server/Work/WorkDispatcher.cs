using Mentoring.Core.Work;
using Mentoring.Sqlite;
using Microsoft.Extensions.Options;

namespace Mentoring.Server.Work;

/// <summary>The embedded work queue and its dispatcher (section "Mentoring:Work").</summary>
public sealed class WorkOptions
{
    public const string Section = "Mentoring:Work";

    /// <summary>Wait after the first failed attempt; doubles after each further failure (capped at <see cref="MaxRetryDelay"/>).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);
    /// <summary>How long a claimed item stays hidden while it is handled; after a crash it is due again when this ends.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>The longest the dispatcher sleeps when nothing wakes it (an enqueue or a retry falling due wakes it sooner).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);
    public int BatchSize { get; set; } = 20;

    internal WorkQueueTimings Timings() => new() { RetryDelay = RetryDelay, MaxRetryDelay = MaxRetryDelay, ClaimLease = ClaimLease };
}

/// <summary>
/// Delivers due work items at least once to the host's <see cref="IWorkHandler"/> (resolved from DI in a scope per
/// pass): completes what the handler did, retries what it threw for with backoff, and leaves items that failed
/// <see cref="IWorkQueue.MaxAttempts"/> times in the poison list. Wakes when an item is queued, when the next retry or
/// lease falls due, and at least every <see cref="WorkOptions.PollInterval"/>. Time comes from <see cref="TimeProvider"/>.
/// </summary>
public sealed class WorkDispatcher : BackgroundService
{
    private readonly SqliteWorkQueue _queue;
    private readonly IServiceScopeFactory _scopes;
    private readonly WorkOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WorkDispatcher> _logger;
    private readonly DispatchLoop _loop;

    public WorkDispatcher(SqliteWorkQueue queue, IServiceScopeFactory scopes, IOptions<WorkOptions> options, TimeProvider time, ILogger<WorkDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(options);
        _queue = queue;
        _scopes = scopes;
        _options = options.Value;
        _time = time ?? TimeProvider.System;
        _logger = logger;
        if (_options.BatchSize < 1 || _options.PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{WorkOptions.Section}:BatchSize must be at least 1 and PollInterval positive.", nameof(options));
        }

        _loop = new DispatchLoop("Work", _time, logger);
        _queue.ItemQueued += OnQueued;
    }

    /// <summary>Raised after every pass that attempted at least one item (diagnostics and tests).</summary>
    public event EventHandler<WorkDeliveryReport>? Dispatched;

    /// <summary>Delivers every item due now (one attempt each) and returns what happened. Safe to call from tests and concurrently.</summary>
    public Task<WorkDeliveryReport> DispatchDueAsync(CancellationToken cancellationToken = default) =>
        _loop.OnePassAtATimeAsync(DispatchPassAsync, cancellationToken);

    public override void Dispose()
    {
        _queue.ItemQueued -= OnQueued;
        _loop.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _loop.RunAsync(DispatchDueAsync, _queue.NextDueAtAsync, _options.PollInterval, stoppingToken);
    }

    private void OnQueued(object? sender, EventArgs e) => _loop.Signal();

    private async Task<WorkDeliveryReport> DispatchPassAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<IWorkHandler>();
        var report = await _queue.DeliverDueAsync(handler, _options.BatchSize, cancellationToken);
        foreach (var failure in report.Failures)
        {
            if (failure.Poisoned)
            {
                _logger.LogError(failure.Exception, "Work item {Key} ({Purpose}) failed attempt {Attempt} of {Max} and is poisoned: {Error}",
                    failure.IdempotencyKey, failure.Purpose, failure.Attempt, IWorkQueue.MaxAttempts, failure.Error);
            }
            else
            {
                _logger.LogWarning("Work item {Key} ({Purpose}) attempt {Attempt} failed, retrying at {RetryAt:O}: {Error}",
                    failure.IdempotencyKey, failure.Purpose, failure.Attempt, failure.RetryAt, failure.Error);
            }
        }

        if (report.Attempted > 0)
        {
            Dispatched?.Invoke(this, report);
        }

        return report;
    }
}
