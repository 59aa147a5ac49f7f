using Mentoring.Api.Endpoints;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Mentoring.Functions.Matching;

/// <summary>Admin: published matches, ending one, asking a rematch for someone (function key required).</summary>
public sealed class MatchFunctions(MatchDesk desk)
{
    [Function("ListMatches")]
    public Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "programs/{programId}/matches")] HttpRequest request,
        string programId, FunctionContext context) =>
        ApiCall.RunAsync(() => MatchEndpoints.List(programId, request, desk, context.CancellationToken));

    [Function("EndMatch")]
    public Task<IActionResult> EndAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "programs/{programId}/matches/{matchId}/end")] HttpRequest request,
        string programId, string matchId, FunctionContext context) =>
        ApiCall.RunAsync(() => MatchEndpoints.End(programId, matchId, request, desk, context.CancellationToken));

    [Function("RequestRematch")]
    public Task<IActionResult> RematchAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "programs/{programId}/participants/{participantId}/rematch")] HttpRequest request,
        string programId, string participantId, FunctionContext context) =>
        ApiCall.RunAsync(() => MatchEndpoints.Rematch(programId, participantId, request, desk, context.CancellationToken));
}
