using Mentoring.Api.Http;
using Mentoring.Core.Common;
using Mentoring.Core.Mail;
using Mentoring.Core.Persistence;
using Mentoring.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Mentoring.Functions.Mail;

/// <summary>SendGrid's signed event webhook: bounces, spam reports and unsubscribes become global suppression documents.</summary>
public sealed class MailEventFunctions(IDocumentStore store, IOptions<SendGridOptions> options, TimeProvider clock)
{
    private readonly SendGridEventWebhook? _webhook =
        options.Value.EventWebhookPublicKey is { Length: > 0 } key ? new SendGridEventWebhook(key, clock) : null;

    [Function("ReceiveMailEvents")]
    public Task<IActionResult> ReceiveAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "mail/events")] HttpRequest request, FunctionContext context) =>
        ApiCall.RunAsync(async () =>
        {
            ArgumentNullException.ThrowIfNull(context);
            var ct = context.CancellationToken;
            if (_webhook is null)
            {
                throw new AuthenticationFailedException(
                    "No SendGrid event webhook key is configured (Mentoring__SendGrid__EventWebhookPublicKey), so events are refused.");
            }
            var body = await RequestBody.ReadRawAsync(request, ct);
            if (!_webhook.Verify(body.Span, request.Headers[SendGridEventWebhook.SignatureHeader].ToString(),
                    request.Headers[SendGridEventWebhook.TimestampHeader].ToString()))
            {
                throw new AuthenticationFailedException("The SendGrid event signature is missing, stale or does not match the body.");
            }
            foreach (var suppression in SendGridEventWebhook.Suppressions(body.Span))
            {
                var (key, document) = suppression.ToDocument();
                await store.UpsertAsync(key, document, ct); // SendGrid retries batches: an upsert per address is idempotent
            }
            return Results.NoContent();
        });
}
