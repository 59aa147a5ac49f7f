using Mentoring.Api.Endpoints;
using Mentoring.Core.Work;
using Mentoring.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Mentoring.Functions.Engagement;

/// <summary>Admin: work items that failed every attempt, and putting one back on the queue (function key required).</summary>
/// <remarks>Needs an <see cref="IWorkQueue"/>; FunctionsHost registers the Storage Queues one (Work/StorageQueueWorkQueue).</remarks>
public sealed class PoisonedWorkFunctions(IWorkQueue queue)
{
    [Function("ListPoisonedWork")]
    public Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "work/poison")] HttpRequest request, FunctionContext context) =>
        ApiCall.RunAsync(() => PoisonEndpoints.List(request.Query["programId"].FirstOrDefault(), queue, context.CancellationToken));

    [Function("RetryPoisonedWork")]
    public Task<IActionResult> RetryAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "work/poison/{idempotencyKey}/retry")] HttpRequest request,
        string idempotencyKey, FunctionContext context) =>
        ApiCall.RunAsync(() => PoisonEndpoints.Retry(idempotencyKey, queue, context.CancellationToken));
}
