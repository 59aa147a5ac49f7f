using System.Text.Json.Serialization;

namespace Mentoring.Core.Windows;

/// <summary>
/// Something the host must do for a window. Hosts execute commands at least once, so every command is idempotent
/// by (window, kind, version[, number]); commands that produce a result report it back as an event.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ScheduleTimer), "scheduleTimer")]
[JsonDerivedType(typeof(ComputeDraft), "computeDraft")]
[JsonDerivedType(typeof(MailDraft), "mailDraft")]
[JsonDerivedType(typeof(MailReminder), "mailReminder")]
[JsonDerivedType(typeof(MailExpiry), "mailExpiry")]
[JsonDerivedType(typeof(PublishPairs), "publishPairs")]
[JsonDerivedType(typeof(MailIntros), "mailIntros")]
[JsonDerivedType(typeof(OpenNextWindow), "openNextWindow")]
[JsonDerivedType(typeof(CompleteWindow), "complete")]
public abstract record WindowCommand
{
    /// <summary>Stable id of this command within its window, for idempotent execution.</summary>
    [JsonIgnore]
    public abstract string Key { get; }
}

/// <summary>Deliver <see cref="TimerFired"/> with this id at <paramref name="DueAt"/>. A newer timer supersedes older ones.</summary>
public sealed record ScheduleTimer(string TimerId, DateTimeOffset DueAt) : WindowCommand
{
    public override string Key => $"timer:{TimerId}";
}

/// <summary>Snapshot (first version) or reload the registrations, run the engine with the edits, save draft <paramref name="Version"/>, report <see cref="DraftComputed"/>.</summary>
public sealed record ComputeDraft(int Version, DraftEditSet Edits) : WindowCommand
{
    public override string Key => $"compute:v{Version}";
}

public sealed record MailDraft(int Version) : WindowCommand
{
    public override string Key => $"mail-draft:v{Version}";
}

public sealed record MailReminder(int Version, int Number, int Of) : WindowCommand
{
    public override string Key => $"mail-reminder:v{Version}:{Number}";
}

public sealed record MailExpiry(int Version) : WindowCommand
{
    public override string Key => $"mail-expiry:v{Version}";
}

/// <summary>Store the approved draft's pairs as published pair documents, report <see cref="PairsPublished"/>.</summary>
public sealed record PublishPairs(int Version) : WindowCommand
{
    public override string Key => $"publish:v{Version}";
}

/// <summary>One intro email per published pair (or group), report <see cref="IntrosSent"/>.</summary>
public sealed record MailIntros(int Version) : WindowCommand
{
    public override string Key => $"intros:v{Version}";
}

/// <summary>Evergreen programs: open the next window, closing at <paramref name="ClosesAt"/>.</summary>
public sealed record OpenNextWindow(DateTimeOffset ClosesAt) : WindowCommand
{
    public override string Key => "next-window";
}

public sealed record CompleteWindow(WindowPhase Outcome) : WindowCommand
{
    public override string Key => "complete";
}
