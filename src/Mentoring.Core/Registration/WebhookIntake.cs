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
        var program = (await programs.GetAsync(programId, cancellationToken)).Value;
        if (!provider.Accepts(delivery.ContentType))
        {
            throw new UnsupportedContentTypeException(provider.AcceptedContentTypes, delivery.ContentType);
        }
        provider.Authenticate(delivery, program.WebhookSecrets);
        var submission = provider.Parse(delivery);

        var receiptKey = ReceiptKey(program.Id, provider.Name, submission.SubmissionId);
        if (await store.ReadAsync<SubmissionReceipt>(receiptKey, cancellationToken) is { } receipt
            && await store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(program.Id, receipt.Value.ParticipantId), cancellationToken) is { } known)
        {
            return new WebhookOutcome(known, Created: false, Redelivery: true);
        }

        var request = SubmissionMapper.ToRegistration(program, provider.Name, submission);
        var outcome = await registry.RegisterAsync(program, request, cancellationToken);
        try
        {
            await store.CreateAsync(receiptKey,
                new SubmissionReceipt(provider.Name, submission.SubmissionId, outcome.Participant.Value.Id, clock.GetUtcNow()), cancellationToken);
        }
        catch (DocumentConflictException)
        {
            // A concurrent delivery of the same submission wrote the receipt first; both registered the same answers.
        }
        return new WebhookOutcome(outcome.Participant, outcome.Created, Redelivery: false);
    }

    /// <summary>Submission ids are the provider's; hashing keeps them within any store's id alphabet and length.</summary>
    public static DocumentKey ReceiptKey(string programId, string provider, string submissionId) =>
        new(programId, DocumentKinds.Submission,
            $"{provider}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(submissionId)).AsSpan(0, 16))}");
}

/// <summary>The delivery's content type is not one the provider posts.</summary>
public sealed class UnsupportedContentTypeException(IReadOnlyList<string> accepted, string? got)
    : DomainException($"Send the body as {string.Join(" or ", accepted)}; got '{got ?? "no Content-Type"}'.");
