using Mentoring.Core.Mail;
using Mentoring.Core.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mentoring.Functions.Mail;

/// <summary>
/// The idempotency records of mail handed to another system (SendGrid, an SMTP relay): one <see cref="SentMail"/>
/// document per idempotency key in the program's partition, claimed before the hand-over and marked when it is accepted.
/// </summary>
/// <remarks>
/// Neither SendGrid nor SMTP takes an idempotency key, so a sender that stops between the other side's acceptance and the
/// mark cannot be told apart from one that stopped before handing the message over. Such a claim, once older than the
/// timeout, becomes <see cref="SentMailStatus.Unconfirmed"/> and is never handed over again: at most one copy.
/// </remarks>
public sealed partial class SentMailLedger(IDocumentStore store, TimeProvider clock, ILogger? logger = null)
{
    public const string Kind = "sent-mail";

    /// <summary>Partition of messages that belong to no program. Program ids cannot start with '_'.</summary>
    public const string NoProgramPartition = "_mail";

    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public static DocumentKey KeyOf(MailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new DocumentKey(message.ProgramId ?? NoProgramPartition, Kind, message.IdempotencyKey);
    }

    /// <returns>The claim to send under, or null when the message was accepted before (or may have been).</returns>
    /// <exception cref="MailSendInProgressException">Another attempt holds a fresh claim: retry later.</exception>
    public async Task<StoredDocument<SentMail>?> ClaimAsync(MailMessage message, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var key = KeyOf(message);
        var now = clock.GetUtcNow();
        var fresh = new SentMail(message.IdempotencyKey, SentMailStatus.Sending, now);
        try
        {
            return await store.CreateAsync(key, fresh, cancellationToken);
        }
        catch (DocumentConflictException)
        {
        }

        var existing = await store.ReadAsync<SentMail>(key, cancellationToken)
            ?? throw new MailSendInProgressException(message.IdempotencyKey); // released between our create and read: retry
        if (existing.Value.Status is SentMailStatus.Accepted or SentMailStatus.Unconfirmed)
        {
            return null;
        }

        if (now - existing.Value.ClaimedAt < timeout)
        {
            throw new MailSendInProgressException(message.IdempotencyKey);
        }

        try
        {
            // The earlier sender stopped mid-hand-over; the other side may have the message. Sending again could make a second copy.
            await store.ReplaceAsync(key, existing.Value with { Status = SentMailStatus.Unconfirmed }, existing.ETag, cancellationToken);
        }
        catch (Exception e) when (e is DocumentPreconditionFailedException or DocumentNotFoundException)
        {
            throw new MailSendInProgressException(message.IdempotencyKey);
        }

        LogUnconfirmed(_logger, message.IdempotencyKey, existing.Value.ClaimedAt);
        return null;
    }

    /// <summary>The other side accepted the message: the key is done, for good.</summary>
    public Task MarkAcceptedAsync(StoredDocument<SentMail> claim, string? providerMessageId)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return store.UpsertAsync(claim.Key, claim.Value with { Status = SentMailStatus.Accepted, AcceptedAt = clock.GetUtcNow(), ProviderMessageId = providerMessageId },
            CancellationToken.None);
    }

    /// <summary>The other side refused the message, or it never reached it: a later attempt may send it.</summary>
    public async Task ReleaseAsync(StoredDocument<SentMail> claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        try
        {
            await store.DeleteAsync(claim.Key, claim.ETag, CancellationToken.None);
        }
        catch (DocumentStoreException e)
        {
            // Left as Sending: after the timeout it is marked Unconfirmed and not sent (at most one copy).
            LogNotReleased(_logger, e, claim.Key.ToString());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {Key} was claimed at {ClaimedAt:O} by a sender that never heard back. " +
        "It is not sent again (the provider may have it): look it up by its idempotency key (SendGrid: the custom arg mentoringKey; SMTP: its Message-Id).")]
    private static partial void LogUnconfirmed(ILogger logger, string key, DateTimeOffset claimedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the mail claim {Key} after a refused send.")]
    private static partial void LogNotReleased(ILogger logger, Exception exception, string key);
}
