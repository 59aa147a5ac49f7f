using Mentoring.Api.Http;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Endpoints;

/// <summary>Admin: create, read and replace programs. Replacing requires the ETag from the last read.</summary>
public static class ProgramEndpoints
{
    public static async Task<IResult> Create(HttpRequest request, ProgramCatalog catalog, CancellationToken cancellationToken)
    {
        var definition = await RequestBody.ReadJsonAsync<ProgramDefinition>(request, cancellationToken);
        var stored = await catalog.CreateAsync(definition, cancellationToken);
        return WithETag(request, stored, Results.Created($"/api/programs/{stored.Value.Id}", stored.Value));
    }

    public static async Task<IResult> Get(string programId, HttpRequest request, ProgramCatalog catalog, CancellationToken cancellationToken)
    {
        var stored = await catalog.GetAsync(programId, cancellationToken);
        return WithETag(request, stored, Results.Ok(stored.Value));
    }

    public static async Task<IResult> Replace(string programId, HttpRequest request, ProgramCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ifMatch = request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0)
        {
            throw new RequestRejectedException(StatusCodes.Status428PreconditionRequired, "if-match-required", "Precondition required",
                "Send the program's current ETag in If-Match (from GET), so concurrent edits cannot overwrite each other.", "If-Match");
        }
        var definition = await RequestBody.ReadJsonAsync<ProgramDefinition>(request, cancellationToken);
        var stored = await catalog.ReplaceAsync(programId, definition, ifMatch, cancellationToken);
        return WithETag(request, stored, Results.Ok(stored.Value));
    }

    internal static IResult WithETag<T>(HttpRequest request, StoredDocument<T> stored, IResult result)
    {
        request.HttpContext.Response.Headers.ETag = stored.ETag;
        return result;
    }
}
