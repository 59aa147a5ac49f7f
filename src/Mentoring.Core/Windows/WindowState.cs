using System.Text.Json.Serialization;
using Mentoring.Core.Matching.Rules;

namespace Mentoring.Core.Windows;

[JsonConverter(typeof(JsonStringEnumConverter<WindowPhase>))]
public enum WindowPhase
{
    /// <summary>Registrations are being collected until the window closes.</summary>
    Open,
    /// <summary>User-led: registration closed, participants pick partners until the choosing deadline.</summary>
    Choosing,
    /// <summary>A draft version is being computed.</summary>
    Drafting,
    /// <summary>A draft was mailed to the admins and waits for a decision.</summary>
    AwaitingDecision,
    /// <summary>Approved: pairs are being published.</summary>
    Publishing,
    /// <summary>Pairs published: intro emails are going out.</summary>
    Introducing,
    Completed,
    Expired,
    Cancelled,
}

/// <summary>Admin edits that every later draft version respects.</summary>
public sealed record DraftEditSet
{
    public IReadOnlyList<ParticipantPair> ForbiddenPairs { get; init; } = [];
    public IReadOnlyList<ParticipantPair> PinnedPairs { get; init; } = [];
    public IReadOnlyList<string> ExcludedParticipantIds { get; init; } = [];
    /// <summary>People an admin asked to include: they get the priority of someone who waited last round.</summary>
    public IReadOnlyList<string> IncludedParticipantIds { get; init; } = [];
    /// <summary>User-led roles programs: people who keep the partners they chose and take no others (they opted out of the engine's match).</summary>
    public IReadOnlyList<string> PinnedOnlyParticipantIds { get; init; } = [];
}

public sealed record DecisionRecord(int Version, DecisionAction Action, string By, DateTimeOffset At, string? Reason,
    ParticipantPair? Pair, string? ParticipantId);

public sealed record PendingTimer(string TimerId, DateTimeOffset DueAt);

/// <summary>A matching window's state: the decider's whole memory.</summary>
public sealed record WindowState
{
    public required string ProgramId { get; init; }
    public required string WindowId { get; init; }
    public required WindowPhase Phase { get; init; }
    public required WindowTimings Timings { get; init; }
    public bool Evergreen { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset ClosesAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    /// <summary>The version being computed or awaiting a decision; 0 before the first.</summary>
    public int DraftVersion { get; init; }
    public DraftSummary? Draft { get; init; }
    public DraftEditSet Edits { get; init; } = new();
    public int RemindersSent { get; init; }
    public PendingTimer? Timer { get; init; }
    public IReadOnlyList<DecisionRecord> Decisions { get; init; } = [];
    public int? ApprovedVersion { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>User-led windows only: the choosing rules and what happened while people chose.</summary>
    public ChoosingState? Choosing { get; init; }

    [JsonIgnore]
    public bool IsFinished => Phase is WindowPhase.Completed or WindowPhase.Expired or WindowPhase.Cancelled;

    /// <summary>The decision that ended the wait on <paramref name="version"/>, if any.</summary>
    public DecisionRecord? DecisionOn(int version) => Decisions.LastOrDefault(d => d.Version == version);
}
