namespace Mentoring.Server;

/// <summary>
/// The background loop of a dispatcher (<see cref="Mail.OutboxDispatcher"/>, <see cref="Work.WorkDispatcher"/>): runs
/// a pass, then sleeps until it is signalled (<see cref="Signal"/>: something was queued), until the next due instant
/// (a retry or a lease ending), or for the poll interval, whichever comes first. All waiting uses the
/// <see cref="TimeProvider"/>. A failed pass is logged and tried again after the wait; the loop ends when stopped.
/// Passes never overlap (<see cref="OnePassAtATimeAsync"/>).
/// </summary>
internal sealed class DispatchLoop : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly string _name;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="name">Names the dispatcher in the log ("Outbox", "Work").</param>
    public DispatchLoop(string name, TimeProvider time, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _name = name;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Runs <paramref name="passAsync"/> until <paramref name="stoppingToken"/> is cancelled, sleeping between passes
    /// until a signal, the instant <paramref name="nextDueAsync"/> names (none: nothing is pending), or
    /// <paramref name="pollInterval"/>, whichever comes first.
    /// </summary>
    public async Task RunAsync(
        Func<CancellationToken, Task> passAsync,
        Func<CancellationToken, Task<DateTimeOffset?>> nextDueAsync,
        TimeSpan pollInterval,
        CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(passAsync);
        ArgumentNullException.ThrowIfNull(nextDueAsync);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = pollInterval;
            try
            {
                await passAsync(stoppingToken);
                if (await nextDueAsync(stoppingToken) is { } next)
                {
                    var untilNext = next - _time.GetUtcNow();
                    wait = untilNext < TimeSpan.Zero ? TimeSpan.Zero : untilNext < wait ? untilNext : wait;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "{Dispatcher} dispatch pass failed; trying again in {Wait}.", _name, wait);
            }

            try
            {
                await WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Runs one pass when no other pass of this dispatcher runs (the loop's, a test's, an admin's), then the next.</summary>
    public async Task<TReport> OnePassAtATimeAsync<TReport>(Func<CancellationToken, Task<TReport>> passAsync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(passAsync);
        await _pass.WaitAsync(cancellationToken);
        try
        {
            return await passAsync(cancellationToken);
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>Wakes the loop for a pass now (signals do not pile up). Safe from any thread, also once disposed.</summary>
    public void Signal()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
        catch (ObjectDisposedException)
        {
            // Shutting down.
        }
    }

    public void Dispose()
    {
        _wake.Dispose();
        _pass.Dispose();
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var done = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var woken = _wake.WaitAsync(done.Token);
        var timer = Task.Delay(wait, _time, done.Token);
        await Task.WhenAny(woken, timer);
        await done.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();
    }
}
