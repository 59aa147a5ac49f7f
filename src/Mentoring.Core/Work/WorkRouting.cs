namespace Mentoring.Core.Work;

/// <summary>Handles the work items of some purposes (for example check-in nudges).</summary>
public interface IWorkPurposeHandler
{
    IReadOnlyCollection<string> Purposes { get; }
    Task HandleAsync(WorkItem item, CancellationToken cancellationToken = default);
}

/// <summary>The one <see cref="IWorkHandler"/> hosts call: routes each item to the handler of its purpose.</summary>
public sealed class WorkRouter(IEnumerable<IWorkPurposeHandler> handlers) : IWorkHandler
{
    private readonly Dictionary<string, IWorkPurposeHandler> byPurpose =
        handlers.SelectMany(h => h.Purposes.Select(p => (p, h))).ToDictionary(x => x.p, x => x.h, StringComparer.Ordinal);

    public Task HandleAsync(WorkItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        return byPurpose.TryGetValue(item.Purpose, out var handler)
            ? handler.HandleAsync(item, cancellationToken)
            : throw new InvalidOperationException($"No handler for work purpose '{item.Purpose}'.");
    }
}

/// <summary>
/// A timer job: finds what is due at <c>now</c> and enqueues it; it never sends mail itself. Hosts run each job on
/// its cron schedule (six-field NCrontab, as Azure Functions timer triggers use). Running twice at the same instant
/// enqueues nothing new the second time.
/// </summary>
public interface IScheduledJob
{
    /// <summary>The schedule's configuration name, e.g. "CheckIns" or "SurveyReminders".</summary>
    string Name { get; }
    Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
