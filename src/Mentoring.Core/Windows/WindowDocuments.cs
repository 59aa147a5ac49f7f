using Mentoring.Core.Matching;
using Mentoring.Core.Persistence;

namespace Mentoring.Core.Windows;

/// <summary>Document kinds the window workflow writes. Ids are deterministic so every write is an idempotent upsert.</summary>
public static class WindowDocuments
{
    public const string DraftKind = "draft";
    public const string SnapshotKind = "snapshot";
    public const string MatchKind = "match";
    public const string RoundKind = "round";
    public const string DecisionKind = "decision";

    public static DocumentKey Draft(string programId, string windowId, int version) => new(programId, DraftKind, $"{windowId}-v{version}");
    public static DocumentKey Snapshot(string programId, string windowId) => new(programId, SnapshotKind, windowId);
    public static DocumentKey Match(string programId, string windowId, int index) => new(programId, MatchKind, $"{windowId}-{index:D5}");
    public static DocumentKey Round(string programId, string windowId) => new(programId, RoundKind, windowId);
    public static DocumentKey Decision(string programId, string windowId, int version) => new(programId, DecisionKind, $"{windowId}-v{version}");
    public const string IntroDeliveryKind = "intro-delivery";
    /// <summary>How one member's intro went, written when a send fails (and updated when a retry succeeds).</summary>
    public static DocumentKey IntroDelivery(string programId, string windowId, int matchIndex, string participantId) =>
        new(programId, IntroDeliveryKind, $"{windowId}-{matchIndex:D5}-{participantId}");
}

/// <summary>One computed draft version, with the edits it respected.</summary>
public sealed record StoredDraft(string ProgramId, string WindowId, int Version, PairDraft Draft, DraftEditSet Edits, DateTimeOffset ComputedAt);

/// <summary>Who was registered when the window closed: every draft version of the window works from this list.</summary>
public sealed record RegistrationSnapshot(string WindowId, IReadOnlyList<string> ParticipantIds, DateTimeOffset TakenAt);

public enum MatchStatus
{
    Active,
    Ended,
}

/// <summary>A member of a published match; <paramref name="Role"/> is the role held in it in roles programs ("mentor", "mentee"), null for peers.</summary>
public sealed record MatchMember(string ParticipantId, string Name, string Email, string? Role = null);

/// <summary>A published pair (or trio, or group): what later rounds must not repeat and what engagement follows up on.</summary>
public sealed record PublishedMatch
{
    public required string Id { get; init; }
    public required string ProgramId { get; init; }
    public required string WindowId { get; init; }
    public required int Version { get; init; }
    public required IReadOnlyList<MatchMember> Members { get; init; }
    public int Score { get; init; }
    public string Sentence { get; init; } = "";
    public DateTimeOffset PublishedAt { get; init; }
    public MatchStatus Status { get; init; } = MatchStatus.Active;
    public DateTimeOffset? IntroducedAt { get; init; }
    /// <summary>Set while the pair is at risk (quiet check-ins); cleared when they report meeting again.</summary>
    public DateTimeOffset? AtRiskSince { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? EndReason { get; init; }
    /// <summary>Led groups: the lead's participant id (the first member).</summary>
    public string? LeadId { get; init; }
    /// <summary>Buddies programs: the kind of buddy the first member is to the newcomer (the second).</summary>
    public string? BuddyKind { get; init; }
    /// <summary>User-led rounds: how the pair came about (null for admin-led rounds).</summary>
    public PairOrigin? FormedBy { get; init; }
    /// <summary>User-led rounds: when the pair formed while people chose; the choosing deadline for the engine's fallback pairs.</summary>
    public DateTimeOffset? FormedAt { get; init; }
}

/// <summary>How a pair of a user-led round came about.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<PairOrigin>))]
public enum PairOrigin
{
    /// <summary>Both picked each other.</summary>
    MutualPick,
    /// <summary>One asked, the other accepted.</summary>
    AcceptedRequest,
    /// <summary>The engine paired them at the choosing deadline (or an admin's later draft changed the pair).</summary>
    Fallback,
}

/// <summary>
/// One member's intro that failed at least once: how often, why (the mailer's error; never the address), and when a retry
/// got it out. The partner's intro does not wait for it.
/// </summary>
public sealed record IntroDelivery(string WindowId, string MatchId, string ParticipantId, int FailedAttempts, string? LastError,
    DateTimeOffset LastAttemptAt, DateTimeOffset? SentAt = null);

/// <summary>What a finished round leaves for the next one: who waited, so they do not wait twice in a row. User-led rounds
/// also keep what happened while people chose (<paramref name="Choosing"/>), for the report.</summary>
public sealed record RoundResult(string WindowId, int Version, DateTimeOffset PublishedAt, IReadOnlyList<string> WaitlistedParticipantIds,
    ChoosingRound? Choosing = null);

/// <summary>
/// A user-led round's choosing, as it stood when the round was published: when choosing opened (registration closed) and
/// its deadline, and how the requests ended. <paramref name="Accepted"/> counts requests accepted from the link or by
/// picking the requester back; <paramref name="Lapsed"/> those closed unanswered (someone's capacity filled, or the deadline).
/// </summary>
public sealed record ChoosingRound(DateTimeOffset OpenedAt, DateTimeOffset EndsAt, int Requests, int Accepted, int Declined, int Lapsed);

/// <summary>The one decision taken on a draft version. Creating it is the race two admins run; the store picks one winner.</summary>
public sealed record DecisionClaim(string WindowId, int Version, DecisionAction Action, string By, DateTimeOffset At, string TokenHash,
    string? Reason);
