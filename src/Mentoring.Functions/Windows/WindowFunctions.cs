using Mentoring.Api.Endpoints;
using Mentoring.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Mentoring.Functions.Windows;

/// <summary>Admin: open, list, read, close and cancel matching windows (function key required).</summary>
public sealed class WindowFunctions(WindowDesks desks)
{
    [Function("OpenWindow")]
    public Task<IActionResult> OpenAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "programs/{programId}/windows")] HttpRequest request,
        string programId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => WindowEndpoints.Open(programId, request, desks.Windows(durable), context.CancellationToken));

    [Function("ListWindows")]
    public Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "programs/{programId}/windows")] HttpRequest request,
        string programId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => WindowEndpoints.List(programId, desks.Windows(durable), context.CancellationToken));

    [Function("GetWindow")]
    public Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "programs/{programId}/windows/{windowId}")] HttpRequest request,
        string programId, string windowId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => WindowEndpoints.Get(programId, windowId, desks.Windows(durable), context.CancellationToken));

    [Function("CloseWindow")]
    public Task<IActionResult> CloseAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "programs/{programId}/windows/{windowId}/close")] HttpRequest request,
        string programId, string windowId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => WindowEndpoints.Close(programId, windowId, desks.Windows(durable), context.CancellationToken));

    [Function("CancelWindow")]
    public Task<IActionResult> CancelAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "programs/{programId}/windows/{windowId}/cancel")] HttpRequest request,
        string programId, string windowId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => WindowEndpoints.Cancel(programId, windowId, request, desks.Windows(durable), context.CancellationToken));
}
