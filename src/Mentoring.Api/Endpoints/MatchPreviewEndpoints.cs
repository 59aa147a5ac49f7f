using Mentoring.Api.Http;
using Mentoring.Core.Matching;
using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Endpoints;

/// <summary>Admin: the draft the engine would propose for the current registrations, without saving anything.</summary>
public static class MatchPreviewEndpoints
{
    public static async Task<IResult> Preview(string programId, HttpRequest request, MatchPreview preview, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The body is optional: no body means "no edits".
        var edits = request.ContentLength is 0 || (request.ContentLength is null && request.ContentType is null)
            ? new DraftEdits()
            : await RequestBody.ReadJsonAsync<DraftEdits>(request, cancellationToken);
        return Results.Ok(await preview.PreviewAsync(programId, edits, cancellationToken));
    }
}
