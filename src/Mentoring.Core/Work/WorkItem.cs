namespace Mentoring.Core.Work;

/// <summary>What a work item is for. Each purpose has one handler; the queue does not care.</summary>
public static class WorkPurposes
{
    public const string CheckInNudge = "checkin-nudge";
    public const string SurveyInvite = "survey-invite";
    public const string SurveyReminder = "survey-reminder";
    public const string AtRiskDigest = "at-risk-digest";
    public const string NeedHelpAlert = "need-help-alert";
    public const string ProgramSummary = "program-summary";
}

/// <summary>
/// One piece of due work between "it is due" (a timer run) and "it was sent" (a handler). The idempotency key is
/// (recipient, purpose, due date): a timer running twice, a crash mid-send or a redelivery still yield one email.
/// </summary>
public sealed record WorkItem
{
    public required string IdempotencyKey { get; init; }
    public required string Purpose { get; init; }
    public required string ProgramId { get; init; }
    public string? ParticipantId { get; init; }
    public string? MatchId { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>What every queue checks before it accepts an item: an idempotency key, a purpose and a program id.</summary>
    public static void Validate(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (string.IsNullOrWhiteSpace(item.IdempotencyKey))
        {
            throw new ArgumentException("A work item needs an idempotency key.", nameof(item));
        }

        if (string.IsNullOrWhiteSpace(item.Purpose) || string.IsNullOrWhiteSpace(item.ProgramId))
        {
            throw new ArgumentException("A work item needs a purpose and a program id.", nameof(item));
        }
    }
}

/// <summary>A work item that failed every attempt; admins can list and retry it.</summary>
public sealed record PoisonedWork(WorkItem Item, int Attempts, string? LastError, DateTimeOffset PoisonedAt);

/// <summary>
/// The queue port: at-least-once delivery to <see cref="IWorkHandler"/>, retries with backoff, and a poison list after
/// <see cref="MaxAttempts"/> failed attempts. Enqueueing a key that was enqueued before changes nothing.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue, and Azure calls it one.")]
public interface IWorkQueue
{
    public const int MaxAttempts = 5;

    /// <returns>True when the item is new; false when its idempotency key was enqueued before.</returns>
    Task<bool> EnqueueAsync(WorkItem item, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<PoisonedWork>> ListPoisonAsync(string? programId = null, CancellationToken cancellationToken = default);

    /// <summary>Moves a poisoned item back to the queue with fresh attempts. False when no such poisoned item.</summary>
    Task<bool> RetryPoisonAsync(string idempotencyKey, CancellationToken cancellationToken = default);
}

/// <summary>Does the work of one item (usually: build and send one email). Must be idempotent; throw to retry.</summary>
public interface IWorkHandler
{
    Task HandleAsync(WorkItem item, CancellationToken cancellationToken = default);
}
