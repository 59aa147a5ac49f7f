namespace Mentoring.Core.Participants;

public enum ParticipantStatus
{
    Registered,
    Withdrawn,
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
    /// The forms submissions already applied ("provider:submissionId", newest last, at most
    /// <see cref="MaxRememberedSubmissions"/>): a redelivery finds its id here and changes nothing.
    /// </summary>
    public IReadOnlyList<string> Submissions { get; init; } = [];

    public const int MaxRememberedSubmissions = 20;
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

    public IReadOnlyList<string> Answer(string key) => Answers.TryGetValue(key, out var v) ? v : [];
    public string? SingleAnswer(string key) => Answers.TryGetValue(key, out var v) && v.Count > 0 ? v[0] : null;
}
