using System.Security.Cryptography;
using System.Text;
using Mentoring.Core.Common;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration.Webhooks;

namespace Mentoring.Core.Registration;

/// <summary>Proof that one provider submission was registered; a redelivery finds it and changes nothing.</summary>
public sealed record SubmissionReceipt(string Provider, string SubmissionId, string ParticipantId, DateTimeOffset ReceivedAt);

/// <summary>The result of a delivery: the participant, whether it was created, and whether the delivery was a repeat.</summary>
public sealed record WebhookOutcome(StoredDocument<Participant> Participant, bool Created, bool Redelivery);

/// <summary>
/// Forms-tool signups: authenticate over the raw body, parse the provider's format, map fields to question keys,
/// register. Idempotent by the provider's submission id, because every forms tool retries.
/// </summary>
public sealed class WebhookIntake(IDocumentStore store, ProgramCatalog programs, ParticipantRegistry registry, TimeProvider clock)
{
    public async Task<WebhookOutcome> ReceiveAsync(string programId, string providerName, WebhookDelivery delivery,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var provider = FormsProviders.Find(providerName)
            ?? throw new NotFoundException($"Forms provider '{providerName}' (supported: {string.Join(", ", FormsProviders.Names)})");
        // A copy up to ProgramCatalog.RecentFor old: signups arrive in bursts, the program rarely changes.
        var program = (await programs.GetRecentAsync(programId, cancellationToken)).Value;
        if (!provider.Accepts(delivery.ContentType))
        {
            throw new UnsupportedContentTypeException(provider.AcceptedContentTypes, delivery.ContentType);
        }
        provider.Authenticate(delivery, program.WebhookSecrets);
        var submission = provider.Parse(delivery);

        var receiptKey = ReceiptKey(program.Id, provider.Name, submission.SubmissionId);

        // Map and validate first (pure): nothing is stored for an invalid signup or outside the registration window.
        PendingRegistration pending;
        try
        {
            pending = registry.Prepare(program, SubmissionMapper.ToRegistration(program, provider.Name, submission));
        }
        catch (DomainException)
        {
            // A redelivery of a submission registered earlier is still acknowledged (the window may have closed since).
            if (await RegisteredBeforeAsync(program.Id, receiptKey, cancellationToken) is { } earlier)
            {
                return new WebhookOutcome(earlier, Created: false, Redelivery: true);
            }
            throw;
        }

        // The receipt first, naming the participant up front: a conflict means this submission arrived before.
        try
        {
            await store.CreateAsync(receiptKey,
                new SubmissionReceipt(provider.Name, submission.SubmissionId, pending.Key.Id, clock.GetUtcNow()), cancellationToken);
        }
        catch (DocumentConflictException)
        {
            if (await RegisteredBeforeAsync(program.Id, receiptKey, cancellationToken) is { } known)
            {
                return new WebhookOutcome(known, Created: false, Redelivery: true);
            }
            // Receipt without participant: an earlier attempt stopped between the two writes, or a concurrent delivery
            // of the same submission is about to register the same answers. Register (idempotent by participant id).
        }

        var outcome = await registry.RegisterAsync(pending, cancellationToken);
        return new WebhookOutcome(outcome.Participant, outcome.Created, Redelivery: false);
    }

    /// <summary>The participant an earlier delivery of this submission registered, or null.</summary>
    private async Task<StoredDocument<Participant>?> RegisteredBeforeAsync(string programId, DocumentKey receiptKey, CancellationToken cancellationToken) =>
        await store.ReadAsync<SubmissionReceipt>(receiptKey, cancellationToken) is { } receipt
            ? await store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(programId, receipt.Value.ParticipantId), cancellationToken)
            : null;

    /// <summary>Submission ids are the provider's; hashing keeps them within any store's id alphabet and length.</summary>
    public static DocumentKey ReceiptKey(string programId, string provider, string submissionId) =>
        new(programId, DocumentKinds.Submission,
            $"{provider}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(submissionId)).AsSpan(0, 16))}");
}

/// <summary>The delivery's content type is not one the provider posts.</summary>
public sealed class UnsupportedContentTypeException(IReadOnlyList<string> accepted, string? got)
    : DomainException($"Send the body as {string.Join(" or ", accepted)}; got '{got ?? "no Content-Type"}'.");
