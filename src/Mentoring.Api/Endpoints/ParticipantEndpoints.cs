using Mentoring.Api.Http;
using Mentoring.Core.Common;
using Mentoring.Core.Participants;
using Mentoring.Core.Privacy;
using Mentoring.Core.Registration;
using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Endpoints;

/// <summary>Admin: list, read and withdraw participants.</summary>
public static class ParticipantEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public sealed record ParticipantPage(IReadOnlyList<Participant> Items, string? ContinuationToken);

    public static string Location(Participant participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        return $"/api/programs/{participant.ProgramId}/participants/{participant.Id}";
    }

    public static async Task<IResult> List(string programId, HttpRequest request, ParticipantRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Query;
        var errors = new List<FieldError>();
        ParticipantStatus? status = null;
        if (query.TryGetValue("status", out var statusText))
        {
            if (Enum.TryParse<ParticipantStatus>(statusText, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                && !int.TryParse(statusText, out _))
            {
                status = parsed;
            }
            else
            {
                errors.Add(new("status", Rules.OptionNotAllowed, $"status must be 'registered' or 'withdrawn', not '{statusText}'."));
            }
        }
        var pageSize = DefaultPageSize;
        if (query.TryGetValue("pageSize", out var sizeText) && (!int.TryParse(sizeText, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            errors.Add(new("pageSize", Rules.OutOfRange, $"pageSize must be a whole number from 1 to {MaxPageSize}."));
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        var continuation = query.TryGetValue("continuationToken", out var token) ? token.ToString() : null;
        var page = await registry.ListAsync(programId, status, pageSize, continuation, cancellationToken);
        return Results.Ok(new ParticipantPage([.. page.Items.Select(i => i.Value)], page.ContinuationToken));
    }

    public static async Task<IResult> Get(string programId, string participantId, HttpRequest request, ParticipantRegistry registry,
        CancellationToken cancellationToken)
    {
        var stored = await registry.GetAsync(programId, participantId, cancellationToken);
        return ProgramEndpoints.WithETag(request, stored, Results.Ok(stored.Value));
    }

    public static async Task<IResult> Withdraw(string programId, string participantId, HttpRequest request, ParticipantRegistry registry,
        CancellationToken cancellationToken)
    {
        var stored = await registry.WithdrawAsync(programId, participantId, cancellationToken);
        return ProgramEndpoints.WithETag(request, stored, Results.Ok(stored.Value));
    }

    public static async Task<IResult> Export(string programId, string participantId, ParticipantPrivacy privacy, CancellationToken cancellationToken)
    {
        var export = await privacy.ExportAsync(programId, participantId, cancellationToken);
        return Results.Json(export, statusCode: StatusCodes.Status200OK, contentType: "application/json");
    }

    public static async Task<IResult> Erase(string programId, string participantId, ParticipantPrivacy privacy, CancellationToken cancellationToken) =>
        Results.Ok(await privacy.EraseAsync(programId, participantId, cancellationToken));
}
