using System.Text.Json.Serialization;
using Mentoring.Core.Matching.Rules;

namespace Mentoring.Core.Windows;

/// <summary>Something that happened to a matching window. Every event carries its instant: the decider never reads a clock.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(WindowOpened), "opened")]
[JsonDerivedType(typeof(CloseRequested), "closeRequested")]
[JsonDerivedType(typeof(TimerFired), "timerFired")]
[JsonDerivedType(typeof(DraftComputed), "draftComputed")]
[JsonDerivedType(typeof(DecisionReceived), "decisionReceived")]
[JsonDerivedType(typeof(PairsPublished), "pairsPublished")]
[JsonDerivedType(typeof(IntrosSent), "introsSent")]
[JsonDerivedType(typeof(CancelRequested), "cancelRequested")]
[JsonDerivedType(typeof(ChoosingOpened), "choosingOpened")]
[JsonDerivedType(typeof(PartnerPicked), "partnerPicked")]
[JsonDerivedType(typeof(RequestAnswered), "requestAnswered")]
public abstract record WindowEvent(DateTimeOffset At);

/// <summary>An admin opened the window; it closes at <paramref name="ClosesAt"/> (or at once when that is not later than <c>At</c>).</summary>
public sealed record WindowOpened(string ProgramId, string WindowId, DateTimeOffset ClosesAt, WindowTimings Timings, bool Evergreen, DateTimeOffset At)
    : WindowEvent(At)
{
    /// <summary>User-led programs: participants choose before the engine drafts. Null for admin-led windows.</summary>
    public ChoosingPlan? Choosing { get; init; }
}

/// <summary>User-led: the invitations to choose went out to these people, each with how many partners they may have.</summary>
public sealed record ChoosingOpened(IReadOnlyDictionary<string, int> Capacities, DateTimeOffset At) : WindowEvent(At)
{
    /// <summary>Roles programs: each person's registered side (mentees pick mentors, mentors pick mentees). Null for peers.</summary>
    public IReadOnlyDictionary<string, ChooserRole>? Roles { get; init; }
}

/// <summary>
/// User-led: a participant's choice, from their signed link: up to the plan's MaxPicks suggested partners in order (none
/// means "match me automatically"), and whether the engine may pair them if no pick works out.
/// </summary>
public sealed record PartnerPicked(string ParticipantId, IReadOnlyList<string> Picks, bool Fallback, DateTimeOffset At) : WindowEvent(At);

/// <summary>User-led: the answer of <paramref name="To"/> to the request from <paramref name="From"/>, from a signed link.</summary>
public sealed record RequestAnswered(string From, string To, bool Accepted, DateTimeOffset At) : WindowEvent(At);

/// <summary>An admin asked to close registration for this window now.</summary>
public sealed record CloseRequested(string By, DateTimeOffset At) : WindowEvent(At);

/// <summary>A timer the decider scheduled is due.</summary>
public sealed record TimerFired(string TimerId, DateTimeOffset At) : WindowEvent(At);

/// <summary>The engine computed draft <paramref name="Version"/> and it was saved.</summary>
public sealed record DraftComputed(int Version, DraftSummary Summary, DateTimeOffset At) : WindowEvent(At);

/// <summary>An admin's decision on draft <paramref name="Version"/>, from a signed link.</summary>
public sealed record DecisionReceived(int Version, DecisionAction Action, string By, DateTimeOffset At,
    string? Reason = null, ParticipantPair? Pair = null, string? ParticipantId = null) : WindowEvent(At);

public sealed record PairsPublished(int Version, int Published, DateTimeOffset At) : WindowEvent(At);

public sealed record IntrosSent(int Version, int Sent, DateTimeOffset At) : WindowEvent(At);

public sealed record CancelRequested(string By, DateTimeOffset At, string? Reason = null) : WindowEvent(At);

[JsonConverter(typeof(JsonStringEnumConverter<DecisionAction>))]
public enum DecisionAction
{
    Approve,
    /// <summary>Reject with a reason: a new version is computed.</summary>
    Reject,
    /// <summary>Forbid one pair in the next version.</summary>
    ForbidPair,
    /// <summary>Keep one pair in the next version.</summary>
    PinPair,
    /// <summary>Leave one participant out of the next version.</summary>
    ExcludeParticipant,
    /// <summary>Compute again with the same edits (for example after withdrawals).</summary>
    Rerun,
    /// <summary>Give a waitlisted participant priority in the next version (as if they had waited last round).</summary>
    IncludeParticipant,
}

/// <summary>The program's window policy, captured when the window opens so a later edit cannot change a running window.</summary>
public sealed record WindowTimings(TimeSpan ReminderInterval, int RemindersBeforeExpiry, TimeSpan EvergreenRound);

/// <summary>What the window needs to know about a draft; the draft itself is a document.</summary>
public sealed record DraftSummary(int People, int PeopleMatched, int PeopleWaitlisted, int Pairs, int Trios, int Groups,
    long TotalScore, double MeanScore, int MinScore, bool IsOptimal);
