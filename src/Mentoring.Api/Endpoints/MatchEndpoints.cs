using Mentoring.Api.Http;
using Mentoring.Core.Common;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Windows;
using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Endpoints;

/// <summary>Admin: published matches with their check-in figures; end a match; mark a participant for a rematch.</summary>
public static class MatchEndpoints
{
    public sealed record MatchList(IReadOnlyList<MatchSummary> Items);

    public sealed record EndMatchBody
    {
        public string? Reason { get; init; }
    }

    public static async Task<IResult> List(string programId, HttpRequest request, MatchDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Query;
        var errors = new List<FieldError>();
        MatchStatus? status = null;
        if (query.TryGetValue("status", out var statusText))
        {
            status = statusText.ToString().Trim().ToUpperInvariant() switch
            {
                "ACTIVE" => MatchStatus.Active,
                "ENDED" => MatchStatus.Ended,
                _ => null,
            };
            if (status is null)
            {
                errors.Add(new("status", Rules.OptionNotAllowed, $"status must be 'active' or 'ended', not '{statusText}'."));
            }
        }
        bool? atRisk = null;
        if (query.TryGetValue("atRisk", out var atRiskText))
        {
            if (bool.TryParse(atRiskText, out var parsed))
            {
                atRisk = parsed;
            }
            else
            {
                errors.Add(new("atRisk", Rules.WrongType, $"atRisk must be 'true' or 'false', not '{atRiskText}'."));
            }
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        return Results.Ok(new MatchList(await desk.ListAsync(programId, status, atRisk, cancellationToken)));
    }

    public static async Task<IResult> End(string programId, string matchId, HttpRequest request, MatchDesk desk, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadOptionalJsonAsync<EndMatchBody>(request, cancellationToken);
        return Results.Ok(await desk.EndAsync(programId, matchId, body?.Reason, cancellationToken));
    }

    /// <summary>Which active match a rematch ends; required when the person holds several (a mentor with mentees).</summary>
    public sealed record RematchBody
    {
        public string? MatchId { get; init; }
    }

    public static async Task<IResult> Rematch(string programId, string participantId, HttpRequest request, MatchDesk desk, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadOptionalJsonAsync<RematchBody>(request, cancellationToken);
        return Results.Ok(await desk.RequestRematchAsync(programId, participantId, body?.MatchId, cancellationToken));
    }
}
