using Mentoring.Core.Common;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration.Webhooks;

namespace Mentoring.Core.Registration;

/// <summary>
/// Forms-tool signups: authenticate over the raw body, parse the provider's format, map fields to question keys,
/// register. Idempotent by the provider's submission id, because every forms tool retries.
/// </summary>
public sealed class WebhookIntake(IDocumentStore store, ProgramCatalog programs, ParticipantRegistry registry)
{
    public async Task<RegistrationOutcome> ReceiveAsync(string programId, string providerName, WebhookDelivery delivery,
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

        var request = SubmissionMapper.ToRegistration(program, provider.Name, submission);

        // Map and validate first (pure): nothing is stored for an invalid signup or outside the registration window.
        PendingRegistration pending;
        try
        {
            pending = registry.Prepare(program, request);
        }
        catch (DomainException)
        {
            // A redelivery of a submission registered earlier is still acknowledged (the window may have closed since).
            if (await AppliedBeforeAsync(program.Id, request, cancellationToken) is { } earlier)
            {
                return new RegistrationOutcome(earlier, Created: false, Redelivery: true);
            }
            throw;
        }

        // One write for a newcomer: the participant remembers the submissions applied to it, so a redelivery (or 50
        // racing ones) finds its id there instead of in a separate receipt document.
        return await registry.RegisterAsync(pending, cancellationToken);
    }

    private async Task<StoredDocument<Participant>?> AppliedBeforeAsync(string programId, RegistrationRequest request, CancellationToken cancellationToken)
    {
        var email = request.Email is null ? "" : EmailAddress.Normalise(request.Email);
        if (!EmailAddress.IsValid(email) || PendingRegistration.SubmissionKeyOf(request.Source) is not { } submission)
        {
            return null;
        }
        return await store.ReadAsync<Participant>(ParticipantRegistry.KeyOfEmail(programId, email), cancellationToken) is { } participant
            && participant.Value.Submissions.Contains(submission, StringComparer.Ordinal)
            ? participant
            : null;
    }
}

/// <summary>The delivery's content type is not one the provider posts.</summary>
public sealed class UnsupportedContentTypeException(IReadOnlyList<string> accepted, string? got)
    : DomainException($"Send the body as {string.Join(" or ", accepted)}; got '{got ?? "no Content-Type"}'.");
