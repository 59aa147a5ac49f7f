namespace Mentoring.Server.Mail;

/// <summary>The embedded outbox and its dispatcher (section "Mentoring:Outbox").</summary>
public sealed class OutboxOptions
{
    public const string Section = "Mentoring:Outbox";

    /// <summary>Serve the /outbox pages. Unset: on in Development only.</summary>
    public bool? Enabled { get; set; }
    /// <summary>Attempts per message before it is marked Failed.</summary>
    public int MaxAttempts { get; set; } = 5;
    /// <summary>Wait after the first failed attempt; doubles after each further failure (capped at <see cref="MaxRetryDelay"/>).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);
    /// <summary>How often the dispatcher looks for due messages when nothing wakes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>How long a claimed message stays hidden from other dispatchers while it is being sent.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);
    public int BatchSize { get; set; } = 20;
}
