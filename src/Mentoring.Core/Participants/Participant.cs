namespace Mentoring.Core.Participants;

public enum ParticipantStatus
{
    Registered,
    Withdrawn,
}

/// <summary>Who withdrew a participant, which decides whether a later form submission registers them again.</summary>
public enum Withdrawal
{
    /// <summary>An admin removed them (DELETE): later deliveries are acknowledged and ignored.</summary>
    Admin,
    /// <summary>They left through their own link: a new submission sent after that registers them again.</summary>
    Self,
    /// <summary>Their form submission was edited to another address: the participant lives on at <see cref="Participant.MovedTo"/>.</summary>
    Moved,
}

/// <summary>Where a registration came from: the JSON API, or a forms provider and its submission id.</summary>
public sealed record RegistrationSource(string Channel, string? SubmissionId = null)
{
    public const string Api = "api";
}

/// <summary>A person in one program. Answers are keyed by question key; every answer is a list of strings.</summary>
public sealed record Participant
{
    public required string Id { get; init; }
    public required string ProgramId { get; init; }
    /// <summary>Normalised (trimmed, lower-case); one participant per email per program.</summary>
    public required string Email { get; init; }
    public required string Name { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Answers { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();
    public ParticipantStatus Status { get; init; } = ParticipantStatus.Registered;
    public DateTimeOffset? ConsentedAt { get; init; }
    public required RegistrationSource Source { get; init; }
    /// <summary>
    /// Forms submissions applied before the submission ledger existed ("provider:submissionId"). Read only, so a
    /// redelivery of one of them is still recognised; the ledger (one document per submission) replaced it.
    /// </summary>
    public IReadOnlyList<string> Submissions { get; init; } = [];
    /// <summary>The revision of <see cref="Source"/>'s submission these answers come from (the ledger counts edits); 0 for the JSON API.</summary>
    public int SourceRevision { get; init; }
    /// <summary>When the person was withdrawn, and by whom (null for records withdrawn before this was kept: treated as an admin's).</summary>
    public DateTimeOffset? WithdrawnAt { get; init; }
    public Withdrawal? WithdrawnBy { get; init; }
    /// <summary>Set on the old record when an edit of the person's submission changed their address: the participant id they moved to.</summary>
    public string? MovedTo { get; init; }
    /// <summary>Set on the new record: the participant id at the previous address.</summary>
    public string? MovedFrom { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Set when the person unsubscribed: no nudges, reminders or surveys after that.</summary>
    public DateTimeOffset? UnsubscribedAt { get; init; }
    /// <summary>No program mail until this instant.</summary>
    public DateTimeOffset? PausedUntil { get; init; }
    /// <summary>Evergreen: asked for a new partner in the next round.</summary>
    public DateTimeOffset? RematchRequestedAt { get; init; }
    /// <summary>Personal data removed; the record keeps only what aggregates need.</summary>
    public DateTimeOffset? ErasedAt { get; init; }

    /// <summary>Whether engagement mail (nudges, surveys, reminders) may go to this person at <paramref name="now"/>.</summary>
    public bool AcceptsEngagementMail(DateTimeOffset now) =>
        Status == ParticipantStatus.Registered && UnsubscribedAt is null && ErasedAt is null && (PausedUntil is null || now >= PausedUntil);

    /// <summary>This participant, withdrawn now by <paramref name="by"/>.</summary>
    public Participant Withdraw(Withdrawal by, DateTimeOffset now) =>
        this with { Status = ParticipantStatus.Withdrawn, WithdrawnAt = now, WithdrawnBy = by, UpdatedAt = now };

    public IReadOnlyList<string> Answer(string key) => Answers.TryGetValue(key, out var v) ? v : [];
    public string? SingleAnswer(string key) => Answers.TryGetValue(key, out var v) && v.Count > 0 ? v[0] : null;
}
