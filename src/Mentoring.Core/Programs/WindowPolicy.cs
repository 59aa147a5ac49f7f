namespace Mentoring.Core.Programs;

/// <summary>How a program's matching windows run: approval reminders, expiry, and the evergreen cadence.</summary>
public sealed record WindowPolicy
{
    /// <summary>While a draft waits for a decision, admins are reminded this often.</summary>
    public int ReminderIntervalHours { get; init; } = 48;

    /// <summary>After this many reminders without a decision, the window expires at the next interval (admins are told).</summary>
    public int RemindersBeforeExpiry { get; init; } = 3;

    /// <summary>Evergreen programs: a new matching window closes this many days after the previous one completed.</summary>
    public int EvergreenRoundDays { get; init; } = 28;
}
