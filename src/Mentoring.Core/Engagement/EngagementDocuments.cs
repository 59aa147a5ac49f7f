using Mentoring.Core.Persistence;

namespace Mentoring.Core.Engagement;

/// <summary>Documents engagement writes, all in the program's partition, with deterministic ids.</summary>
public static class EngagementDocuments
{
    public const string CheckInKind = "checkin";
    public const string SurveyKind = "survey";
    public const string SuppressionKind = "suppression";
    /// <summary>Suppressions are global (an address that bounced or asked to be forgotten gets nothing from any program).</summary>
    public const string SuppressionPartition = "_mail";

    public static DocumentKey CheckIn(string programId, string matchId, int round, string participantId) =>
        new(programId, CheckInKind, $"{matchId}-r{round:D3}-{participantId}");

    public static DocumentKey Survey(string programId, string surveyKey, string participantId) =>
        new(programId, SurveyKind, $"{surveyKey}-{participantId}");

    /// <summary>The suppression of an address; <paramref name="emailDigest"/> is <c>EmailAddress.Digest(email)</c>.</summary>
    public static DocumentKey Suppression(string emailDigest) => new(SuppressionPartition, SuppressionKind, emailDigest);
}

public enum CheckInAnswer
{
    None,
    Met,
    NotYet,
    NeedHelp,
}

/// <summary>One member's check-in for one round of one match: the nudge and the one-click answer.</summary>
public sealed record CheckInRecord
{
    public required string ProgramId { get; init; }
    public required string MatchId { get; init; }
    public required string ParticipantId { get; init; }
    /// <summary>1 for the first nudge after the intro.</summary>
    public required int Round { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public CheckInAnswer Answer { get; init; }
    /// <summary>Minutes met (for "we met"), adding up to mentoring hours.</summary>
    public int? Minutes { get; init; }
    public DateTimeOffset? AnsweredAt { get; init; }
    /// <summary>"Need help": what the participant said would help (optional free text; erased with the person).</summary>
    public string? Note { get; init; }
}

/// <summary>One participant's copy of one survey: when it went out, reminders, and the answers.</summary>
public sealed record SurveyRecord
{
    public required string ProgramId { get; init; }
    public required string SurveyKey { get; init; }
    public required string ParticipantId { get; init; }
    public string? MatchId { get; init; }
    /// <summary>Roles programs: the role the respondent holds in <see cref="MatchId"/> ("mentor", "mentee"), so the report
    /// splits answers by role even for people who said "either". Null for peers.</summary>
    public string? Role { get; init; }
    public required DateTimeOffset SentAt { get; init; }
    public required DateTimeOffset ClosesAt { get; init; }
    public int RemindersSent { get; init; }
    public DateTimeOffset? LastReminderAt { get; init; }
    public DateTimeOffset? RespondedAt { get; init; }
    public IReadOnlyDictionary<string, string> Answers { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>An address no mail may go to (bounce, spam report, unsubscribe at the provider, erasure, an address our rule refuses).</summary>
/// <param name="Detail">More about the reason, never the address itself: for an undeliverable address, the rule it breaks.</param>
public sealed record Suppression(string EmailDigest, string Reason, DateTimeOffset At, string? Detail = null);
