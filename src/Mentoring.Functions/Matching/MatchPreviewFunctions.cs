using Mentoring.Api.Endpoints;
using Mentoring.Core.Matching;
using Mentoring.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Mentoring.Functions.Matching;

/// <summary>Admin: the draft the engine would propose now, saving nothing (function key required).</summary>
public sealed class MatchPreviewFunctions(MatchPreview preview)
{
    [Function("PreviewMatch")]
    public Task<IActionResult> PreviewAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "programs/{programId}/match-preview")] HttpRequest request,
        string programId, FunctionContext context) =>
        ApiCall.RunAsync(() => MatchPreviewEndpoints.Preview(programId, request, preview, context.CancellationToken));
}
