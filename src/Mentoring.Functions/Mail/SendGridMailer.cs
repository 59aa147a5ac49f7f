using System.Net;
using Mentoring.Core.Mail;
using Mentoring.Core.Persistence;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGridMail = SendGrid.Helpers.Mail;

namespace Mentoring.Functions.Mail;

public enum SentMailStatus
{
    /// <summary>Claimed by a sender that has not heard back from SendGrid yet.</summary>
    Sending,
    /// <summary>SendGrid answered 2xx: the message is theirs to deliver.</summary>
    Accepted,
}

/// <summary>The idempotency record of one message: created before the send, so a redelivered command does not send twice.</summary>
public sealed record SentMail(string IdempotencyKey, SentMailStatus Status, DateTimeOffset ClaimedAt, DateTimeOffset? AcceptedAt = null,
    string? ProviderMessageId = null);

/// <summary>Another attempt holds a fresh claim on this message; retry later (it will be sent, or found sent).</summary>
public sealed class MailSendInProgressException(string idempotencyKey)
    : Exception($"Message '{idempotencyKey}' is being sent by another attempt.");

/// <summary>SendGrid refused a message.</summary>
public sealed class MailSendFailedException(HttpStatusCode status, string detail)
    : Exception($"SendGrid refused the message with {(int)status}: {detail}")
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>
/// <see cref="IMailer"/> over SendGrid v3 mail send (<c>POST /v3/mail/send</c>). One document per idempotency key in the
/// store is claimed before sending: a second call with the key returns false once the first was accepted, and waits
/// (throws <see cref="MailSendInProgressException"/>, so the caller's retry comes back) while the first is in flight.
/// The key also travels in <c>custom_args</c>, so delivery events name the message they are about.
/// </summary>
public sealed class SendGridMailer(Lazy<ISendGridClient> client, IDocumentStore store, IOptions<SendGridOptions> options, TimeProvider clock)
    : IMailer
{
    public const string Kind = "sent-mail";
    /// <summary>Partition of messages that belong to no program. Program ids cannot start with '_'.</summary>
    public const string NoProgramPartition = "_mail";

    public async Task<bool> SendAsync(MailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var key = new DocumentKey(message.ProgramId ?? NoProgramPartition, Kind, message.IdempotencyKey);
        var claim = await ClaimAsync(key, message.IdempotencyKey, settings.ClaimTimeout, cancellationToken);
        if (claim is null)
        {
            return false;
        }

        var response = await client.Value.SendEmailAsync(ToSendGrid(message, settings), cancellationToken);
        if ((int)response.StatusCode is < 200 or > 299)
        {
            var detail = response.Body is null ? "" : await response.Body.ReadAsStringAsync(cancellationToken);
            await store.DeleteAsync(key, claim.ETag, cancellationToken); // release the claim: the retry sends again
            throw new MailSendFailedException(response.StatusCode, detail);
        }
        var messageId = response.Headers is not null && response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.FirstOrDefault() : null;
        await store.UpsertAsync(key, claim.Value with { Status = SentMailStatus.Accepted, AcceptedAt = clock.GetUtcNow(), ProviderMessageId = messageId },
            cancellationToken);
        return true;
    }

    /// <returns>The claim to send under, or null when the message was accepted before.</returns>
    private async Task<StoredDocument<SentMail>?> ClaimAsync(DocumentKey key, string idempotencyKey, TimeSpan timeout, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var fresh = new SentMail(idempotencyKey, SentMailStatus.Sending, now);
        try
        {
            return await store.CreateAsync(key, fresh, ct);
        }
        catch (DocumentConflictException)
        {
        }
        var existing = await store.ReadAsync<SentMail>(key, ct);
        if (existing is null)
        {
            throw new MailSendInProgressException(idempotencyKey); // released between our create and read: retry
        }
        if (existing.Value.Status == SentMailStatus.Accepted)
        {
            return null;
        }
        if (now - existing.Value.ClaimedAt < timeout)
        {
            throw new MailSendInProgressException(idempotencyKey);
        }
        try
        {
            return await store.ReplaceAsync(key, fresh, existing.ETag, ct); // the earlier sender died: take over
        }
        catch (Exception e) when (e is DocumentPreconditionFailedException or DocumentNotFoundException)
        {
            throw new MailSendInProgressException(idempotencyKey);
        }
    }

    internal static SendGridMail.SendGridMessage ToSendGrid(MailMessage message, SendGridOptions settings)
    {
        var mail = new SendGridMail.SendGridMessage
        {
            From = new SendGridMail.EmailAddress(settings.FromEmail, settings.FromName),
            Subject = message.Subject,
            PlainTextContent = message.TextBody,
            HtmlContent = message.HtmlBody,
            Categories = [message.Category],
            CustomArgs = new Dictionary<string, string>(message.CustomArgs, StringComparer.Ordinal)
            {
                [SendGridEventWebhook.IdempotencyKeyArg] = message.IdempotencyKey,
            },
        };
        if (message.ProgramId is { } programId)
        {
            mail.CustomArgs[SendGridEventWebhook.ProgramIdArg] = programId;
        }
        foreach (var to in message.To)
        {
            mail.AddTo(to.Email, to.Name); // one personalization: a pair's intro is one mail to both
        }
        if (message.Headers.Count > 0)
        {
            mail.Headers = new Dictionary<string, string>(message.Headers, StringComparer.OrdinalIgnoreCase);
        }
        if (message.Attachments.Count > 0)
        {
            mail.Attachments = [.. message.Attachments.Select(a => new SendGridMail.Attachment
            {
                Filename = a.FileName,
                Type = a.ContentType,
                Content = Convert.ToBase64String(a.Content),
                Disposition = "attachment",
            })];
        }
        if (settings.SandboxMode)
        {
            mail.SetSandBoxMode(true);
        }
        return mail;
    }
}
