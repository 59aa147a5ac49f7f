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
        var edits = await RequestBody.ReadOptionalJsonAsync<DraftEdits>(request, cancellationToken) ?? new DraftEdits();
        return Results.Ok(await preview.PreviewAsync(programId, edits, cancellationToken));
    }
}
