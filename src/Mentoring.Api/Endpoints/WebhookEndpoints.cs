using Mentoring.Api.Http;
using Mentoring.Core.Registration;
using Mentoring.Core.Registration.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Endpoints;

/// <summary>Public: signups posted by forms tools, authenticated by each provider's signature or URL token.</summary>
public static class WebhookEndpoints
{
    public static async Task<IResult> Receive(string programId, string provider, HttpRequest request, WebhookIntake intake,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await RequestBody.ReadRawAsync(request, cancellationToken);
        var delivery = new WebhookDelivery(
            body,
            request.ContentType,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal));
        var outcome = await intake.ReceiveAsync(programId, provider, delivery, cancellationToken);
        var participant = outcome.Participant.Value;
        request.HttpContext.Response.Headers.ETag = outcome.Participant.ETag;
        return outcome.Created
            ? Results.Created(ParticipantEndpoints.Location(participant), participant)
            : Results.Ok(participant);
    }
}
