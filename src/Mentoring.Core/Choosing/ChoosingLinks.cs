using System.Text.Json.Serialization;
using Mentoring.Core.Decisions;
using Mentoring.Core.Links;

namespace Mentoring.Core.Choosing;

public enum ChoosingAction
{
    /// <summary>Open one's suggestions and send a choice.</summary>
    [JsonStringEnumMemberName("choose")] Choose,
    /// <summary>Accept or decline one request.</summary>
    [JsonStringEnumMemberName("answer")] Answer,
}

/// <summary>What a user-led link authorises: one participant of one window, choosing or answering one request, until the deadline.</summary>
public sealed record ChoosingGrant
{
    /// <summary>Marks choosing grants, so no other kind of signed token passes for one.</summary>
    public const string KindValue = "ch";

    [JsonPropertyName("k")] public string Kind { get; init; } = KindValue;
    [JsonPropertyName("p")] public required string ProgramId { get; init; }
    [JsonPropertyName("w")] public required string WindowId { get; init; }
    /// <summary>Whose link it is: the chooser, or the person a request was sent to.</summary>
    [JsonPropertyName("pid")] public required string ParticipantId { get; init; }
    [JsonPropertyName("act")] public required ChoosingAction Action { get; init; }
    /// <summary>Answer links: who asked.</summary>
    [JsonPropertyName("from")] public string? From { get; init; }
    [JsonPropertyName("exp")] public required long ExpiresAtUnix { get; init; }

    [JsonIgnore]
    public DateTimeOffset ExpiresAt => DateTimeOffset.FromUnixTimeSeconds(ExpiresAtUnix);
}

/// <summary>The signed links of user-led pairing: <c>/api/choose/{token}</c> for picking, <c>/api/pair-requests/{token}</c> for answering.</summary>
public sealed class ChoosingLinks(LinkSigner signer, DecisionLinkOptions options)
{
    public const string ChoosePath = "/api/choose/";
    public const string RequestPath = "/api/pair-requests/";

    public Uri Choose(string programId, string windowId, string participantId, DateTimeOffset endsAt) =>
        new(options.PublicBaseUrl, ChoosePath + signer.Sign(new ChoosingGrant
        {
            ProgramId = programId, WindowId = windowId, ParticipantId = participantId, Action = ChoosingAction.Choose,
            ExpiresAtUnix = endsAt.ToUnixTimeSeconds(),
        }));

    public Uri Answer(string programId, string windowId, string from, string to, DateTimeOffset endsAt) =>
        new(options.PublicBaseUrl, RequestPath + signer.Sign(new ChoosingGrant
        {
            ProgramId = programId, WindowId = windowId, ParticipantId = to, From = from, Action = ChoosingAction.Answer,
            ExpiresAtUnix = endsAt.ToUnixTimeSeconds(),
        }));

    /// <summary>The grant, or why the token is not acceptable for <paramref name="action"/>. Expiry is checked against <paramref name="now"/>.</summary>
    public (ChoosingGrant? Grant, TokenProblem Problem) Verify(string token, ChoosingAction action, DateTimeOffset now)
    {
        var (grant, problem) = signer.Verify<ChoosingGrant>(token);
        if (grant is null || problem != TokenProblem.None)
        {
            return (null, problem);
        }
        if (grant.Kind != ChoosingGrant.KindValue || grant.Action != action || string.IsNullOrEmpty(grant.ProgramId) || string.IsNullOrEmpty(grant.WindowId)
            || string.IsNullOrEmpty(grant.ParticipantId) || (action == ChoosingAction.Answer && string.IsNullOrEmpty(grant.From)))
        {
            return (null, TokenProblem.Malformed);
        }
        return now >= grant.ExpiresAt ? (grant, TokenProblem.Expired) : (grant, TokenProblem.None);
    }
}
