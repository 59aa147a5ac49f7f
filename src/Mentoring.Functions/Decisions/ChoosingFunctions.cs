using Mentoring.Api.Endpoints;
using Mentoring.Functions.Http;
using Mentoring.Functions.Windows;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Mentoring.Functions.Decisions;

/// <summary>Public, authorised by the signed token: user-led pairing's choice and request pages (GET shows, POST raises to the window).</summary>
public sealed class ChoosingFunctions(WindowDesks desks)
{
    [Function("ViewChoice")]
    public Task<IActionResult> ViewChoiceAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "choose/{token}")] HttpRequest request,
        string token, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => ChoosingEndpoints.ViewChoice(token, request, desks.Choosing(durable), context.CancellationToken));

    [Function("Choose")]
    public Task<IActionResult> ChooseAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "choose/{token}")] HttpRequest request,
        string token, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => ChoosingEndpoints.Choose(token, request, desks.Choosing(durable), context.CancellationToken));

    [Function("ViewPairRequest")]
    public Task<IActionResult> ViewRequestAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "pair-requests/{token}")] HttpRequest request,
        string token, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => ChoosingEndpoints.ViewRequest(token, request, desks.Choosing(durable), context.CancellationToken));

    [Function("AnswerPairRequest")]
    public Task<IActionResult> AnswerAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "pair-requests/{token}")] HttpRequest request,
        string token, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => ChoosingEndpoints.Answer(token, request, desks.Choosing(durable), context.CancellationToken));
}
