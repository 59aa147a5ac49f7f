using System.Text.Json.Serialization;
using Mentoring.Core.Decisions;
using Mentoring.Core.Links;

namespace Mentoring.Core.Engagement.Surveys;

/// <summary>
/// What a survey link authorises: answering one survey of one program as one participant. It carries no expiry of its
/// own: the participant's <see cref="SurveyRecord.ClosesAt"/> decides, so extending a survey needs no new links.
/// </summary>
public sealed record SurveyGrant
{
    public const string SurveyUse = "survey";

    /// <summary>Always "survey": keeps this grant apart from other grants the same keys sign.</summary>
    [JsonPropertyName("use")] public required string Use { get; init; }
    [JsonPropertyName("p")] public required string ProgramId { get; init; }
    [JsonPropertyName("s")] public required string SurveyKey { get; init; }
    [JsonPropertyName("pid")] public required string ParticipantId { get; init; }

    public static SurveyGrant For(string programId, string surveyKey, string participantId) =>
        new() { Use = SurveyUse, ProgramId = programId, SurveyKey = surveyKey, ParticipantId = participantId };
}

/// <summary>Signs survey links and checks them (see <see cref="LinkSigner"/> for the token format).</summary>
public sealed class SurveyLinks(LinkSigner signer, DecisionLinkOptions options)
{
    public const string RoutePrefix = "/api/surveys/";

    public Uri For(SurveyGrant grant) => new(options.PublicBaseUrl, RoutePrefix + signer.Sign(grant));

    public Uri For(string programId, string surveyKey, string participantId) => For(SurveyGrant.For(programId, surveyKey, participantId));

    /// <summary>The grant, or null when the token is forged, damaged, signed with an unknown key or not a survey grant.</summary>
    public SurveyGrant? Verify(string token)
    {
        var (grant, problem) = signer.Verify<SurveyGrant>(token);
        return problem == TokenProblem.None && grant is { Use: SurveyGrant.SurveyUse } ? grant : null;
    }
}
