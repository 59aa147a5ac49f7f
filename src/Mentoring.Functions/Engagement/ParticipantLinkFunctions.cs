using Mentoring.Api.Endpoints;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Mentoring.Functions.Engagement;

/// <summary>Public, authorised by the signed token: participants' one-click links (GET shows, POST applies).</summary>
/// <remarks><see cref="ParticipantDesk"/> needs an <c>IWorkQueue</c>; FunctionsHost registers the Storage Queues one (Work/StorageQueueWorkQueue).</remarks>
public sealed class ParticipantLinkFunctions(ParticipantDesk desk)
{
    [Function("ReviewParticipantLink")]
    public Task<IActionResult> ReviewAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "links/{token}")] HttpRequest request, string token,
        FunctionContext context) =>
        ApiCall.RunAsync(() => ParticipantLinkEndpoints.Review(token, request, desk, context.CancellationToken));

    [Function("ApplyParticipantLink")]
    public Task<IActionResult> ApplyAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "links/{token}")] HttpRequest request, string token,
        FunctionContext context) =>
        ApiCall.RunAsync(() => ParticipantLinkEndpoints.Apply(token, request, desk, context.CancellationToken));
}
