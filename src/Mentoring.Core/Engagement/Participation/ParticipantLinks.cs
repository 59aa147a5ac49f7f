using System.Text.Json.Serialization;
using Mentoring.Core.Decisions;
using Mentoring.Core.Links;

namespace Mentoring.Core.Engagement.Participation;

/// <summary>What a participant's one-click link does.</summary>
public enum ParticipantAction
{
    [JsonStringEnumMemberName("checkin-met")] CheckInMet,
    [JsonStringEnumMemberName("checkin-not-yet")] CheckInNotYet,
    [JsonStringEnumMemberName("checkin-need-help")] CheckInNeedHelp,
    [JsonStringEnumMemberName("unsubscribe")] Unsubscribe,
    [JsonStringEnumMemberName("pause")] Pause,
    [JsonStringEnumMemberName("withdraw")] Withdraw,
    [JsonStringEnumMemberName("rematch")] Rematch,
}

/// <summary>What a signed participant link authorises: one action, for one participant of one program, until it expires.</summary>
public sealed record ParticipantGrant
{
    /// <summary>Marks participant grants, so no other kind of signed token (an admin's decision link) passes for one.</summary>
    public const string KindValue = "pl";

    [JsonPropertyName("k")] public string Kind { get; init; } = KindValue;
    [JsonPropertyName("p")] public required string ProgramId { get; init; }
    [JsonPropertyName("pid")] public required string ParticipantId { get; init; }
    [JsonPropertyName("act")] public required ParticipantAction Action { get; init; }
    /// <summary>Check-ins and rematch: the match the link was mailed about.</summary>
    [JsonPropertyName("m")] public string? MatchId { get; init; }
    /// <summary>Check-ins: the round answered.</summary>
    [JsonPropertyName("r")] public int? Round { get; init; }
    /// <summary>"We met": the minutes chosen in the mail (the confirmation page can change them).</summary>
    [JsonPropertyName("min")] public int? Minutes { get; init; }
    [JsonPropertyName("exp")] public required long ExpiresAtUnix { get; init; }

    [JsonIgnore]
    public DateTimeOffset ExpiresAt => DateTimeOffset.FromUnixTimeSeconds(ExpiresAtUnix);

    [JsonIgnore]
    public bool IsCheckIn => Action is ParticipantAction.CheckInMet or ParticipantAction.CheckInNotYet or ParticipantAction.CheckInNeedHelp;
}

/// <summary>The links of one check-in nudge: one per answer, and the participant's self-service links.</summary>
public sealed record CheckInLinks(IReadOnlyList<(int Minutes, Uri Url)> Met, Uri NotYet, Uri NeedHelp, SelfServiceLinks SelfService);

/// <summary>Links every participant mail carries. <see cref="Rematch"/> only for evergreen programs.</summary>
public sealed record SelfServiceLinks(Uri Unsubscribe, Uri Pause, Uri Withdraw, Uri? Rematch);

/// <summary>
/// Builds and verifies participants' signed one-click links (<c>/api/links/{token}</c>), signed with the shared
/// <see cref="LinkSigner"/>. Every link opens a confirmation page; only its POST changes anything.
/// </summary>
public sealed class ParticipantLinks(LinkSigner signer, DecisionLinkOptions options)
{
    /// <summary>Unsubscribe, pause and withdraw links stay valid this long (List-Unsubscribe must keep working).</summary>
    public static readonly TimeSpan SelfServiceLifetime = TimeSpan.FromDays(400);

    /// <summary>The minutes offered as one-click "we met" buttons.</summary>
    public static readonly IReadOnlyList<int> MinuteChoices = [30, 60, 90];

    public const string Path = "/api/links/";

    public string Sign(ParticipantGrant grant) => signer.Sign(grant);

    public Uri For(ParticipantGrant grant) => new(options.PublicBaseUrl, Path + Sign(grant));

    /// <summary>The grant, or why the token is not acceptable. Expiry is checked against <paramref name="now"/>.</summary>
    public (ParticipantGrant? Grant, TokenProblem Problem) Verify(string token, DateTimeOffset now)
    {
        var (grant, problem) = signer.Verify<ParticipantGrant>(token);
        if (grant is null || problem != TokenProblem.None)
        {
            return (null, problem);
        }
        if (grant.Kind != ParticipantGrant.KindValue || string.IsNullOrEmpty(grant.ProgramId) || string.IsNullOrEmpty(grant.ParticipantId)
            || !Enum.IsDefined(grant.Action) || (grant.IsCheckIn && (grant.MatchId is null || grant.Round is null)))
        {
            return (null, TokenProblem.Malformed);
        }
        return now >= grant.ExpiresAt ? (grant, TokenProblem.Expired) : (grant, TokenProblem.None);
    }

    public Uri Unsubscribe(string programId, string participantId, DateTimeOffset now) =>
        For(SelfService(programId, participantId, ParticipantAction.Unsubscribe, now));

    public SelfServiceLinks SelfService(string programId, string participantId, DateTimeOffset now, string? rematchMatchId = null) => new(
        Unsubscribe(programId, participantId, now),
        For(SelfService(programId, participantId, ParticipantAction.Pause, now)),
        For(SelfService(programId, participantId, ParticipantAction.Withdraw, now)),
        rematchMatchId is null ? null : For(SelfService(programId, participantId, ParticipantAction.Rematch, now) with { MatchId = rematchMatchId }));

    /// <param name="closesAt">When the round stops taking answers (the links expire then).</param>
    public CheckInLinks CheckIn(string programId, string matchId, int round, string participantId, DateTimeOffset closesAt, DateTimeOffset now,
        bool offerRematch)
    {
        ParticipantGrant Grant(ParticipantAction action, int? minutes = null) => new()
        {
            ProgramId = programId,
            ParticipantId = participantId,
            Action = action,
            MatchId = matchId,
            Round = round,
            Minutes = minutes,
            ExpiresAtUnix = closesAt.ToUnixTimeSeconds(),
        };
        return new CheckInLinks(
            [.. MinuteChoices.Select(m => (m, For(Grant(ParticipantAction.CheckInMet, m))))],
            For(Grant(ParticipantAction.CheckInNotYet)),
            For(Grant(ParticipantAction.CheckInNeedHelp)),
            SelfService(programId, participantId, now, offerRematch ? matchId : null));
    }

    private static ParticipantGrant SelfService(string programId, string participantId, ParticipantAction action, DateTimeOffset now) => new()
    {
        ProgramId = programId,
        ParticipantId = participantId,
        Action = action,
        ExpiresAtUnix = (now + SelfServiceLifetime).ToUnixTimeSeconds(),
    };
}
