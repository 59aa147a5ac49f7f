using Mentoring.Api.Endpoints;
using Mentoring.Core.Registration;
using Mentoring.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Mentoring.Functions.Registration;

/// <summary>Public: JSON signups, and signups posted by forms tools (each provider authenticates by signature or URL token).</summary>
public sealed class RegistrationFunctions(ParticipantRegistry registry, WebhookIntake intake)
{
    [Function("Register")]
    public Task<IActionResult> RegisterAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "programs/{programId}/registrations")] HttpRequest request,
        string programId, FunctionContext context) =>
        ApiCall.RunAsync(() => RegistrationEndpoints.Register(programId, request, registry, context.CancellationToken));

    [Function("ReceiveWebhook")]
    public Task<IActionResult> ReceiveWebhookAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "programs/{programId}/webhooks/{provider}")] HttpRequest request,
        string programId, string provider, FunctionContext context) =>
        ApiCall.RunAsync(() => WebhookEndpoints.Receive(programId, provider, request, intake, context.CancellationToken));
}
