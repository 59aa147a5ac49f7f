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
[JsonDerivedType(typeof(InviteToChoose), "inviteToChoose")]
[JsonDerivedType(typeof(MailPairRequest), "mailPairRequest")]
[JsonDerivedType(typeof(MailPairFormed), "mailPairFormed")]
[JsonDerivedType(typeof(MailRequestLapsed), "mailRequestLapsed")]
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

/// <summary>User-led: snapshot the registrations, mail everyone their link to choose until <paramref name="EndsAt"/>, report <see cref="ChoosingOpened"/>.</summary>
public sealed record InviteToChoose(DateTimeOffset EndsAt) : WindowCommand
{
    public override string Key => "choose-invite";
}

/// <summary>User-led: ask <paramref name="To"/> whether they want to pair with <paramref name="From"/> (accept and decline links).</summary>
public sealed record MailPairRequest(string From, string To) : WindowCommand
{
    public override string Key => $"request:{PairRequest.RequestId(From, To)}";
}

/// <summary>User-led: tell both people they are a pair (the intro follows once the draft is approved).</summary>
public sealed record MailPairFormed(string A, string B, PairFormedBy By) : WindowCommand
{
    public override string Key => $"formed:{string.Join("+", new[] { A, B }.Order(StringComparer.Ordinal))}";
}

/// <summary>User-led: tell <paramref name="From"/> kindly that <paramref name="To"/> has no room left, so the request closed.</summary>
public sealed record MailRequestLapsed(string From, string To) : WindowCommand
{
    /// <summary>Roles programs: <see cref="To"/>, an "either" person, paired on the other side than the one the request asked for.</summary>
    public bool OtherSide { get; init; }

    public override string Key => $"lapsed:{PairRequest.RequestId(From, To)}";
}
