using Mentoring.Api.Endpoints;
using Mentoring.Functions.Http;
using Mentoring.Functions.Windows;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Mentoring.Functions.Decisions;

/// <summary>
/// Public, authorised by the signed token in the URL: GET/HEAD shows the confirmation page (mail scanners open every
/// link), POST decides and raises the decision to the window's orchestrator.
/// </summary>
public sealed class DecisionFunctions(WindowDesks desks)
{
    [Function("ReviewDecision")]
    public Task<IActionResult> ReviewAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "decisions/{token}")] HttpRequest request,
        string token, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DecisionEndpoints.Review(token, request, desks.Decisions(durable), context.CancellationToken));

    [Function("Decide")]
    public Task<IActionResult> DecideAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "decisions/{token}")] HttpRequest request,
        string token, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DecisionEndpoints.Decide(token, request, desks.Decisions(durable), context.CancellationToken));
}
