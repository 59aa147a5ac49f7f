using Mentoring.Api.Http;
using Mentoring.Core.Work;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Mentoring.Api.Endpoints;

/// <summary>Admin: the work items that failed every attempt, and putting one back on the queue.</summary>
public static class PoisonEndpoints
{
    /// <summary>The answer to a retry: the item is queued again with fresh attempts.</summary>
    public sealed record RetriedWork(string IdempotencyKey, string Status);

    public static async Task<IResult> List(string? programId, [FromServices] IWorkQueue queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var programFilter = string.IsNullOrWhiteSpace(programId) ? null : programId;
        return Results.Ok(await queue.ListPoisonAsync(programFilter, cancellationToken));
    }

    public static async Task<IResult> Retry(string idempotencyKey, [FromServices] IWorkQueue queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        ArgumentNullException.ThrowIfNull(queue);
        // Routing decodes every escape in a path segment except %2F; keys may contain '/'.
        var key = idempotencyKey.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        return await queue.RetryPoisonAsync(key, cancellationToken)
            ? Results.Accepted(value: new RetriedWork(key, "queued"))
            : Problems.Problem(StatusCodes.Status404NotFound, "not-poisoned", "Not found",
                $"No poisoned work item has the key '{key}'; see GET /api/work/poison.", "idempotencyKey");
    }
}
