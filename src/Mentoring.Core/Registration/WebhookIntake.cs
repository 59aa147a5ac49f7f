using Mentoring.Core.Common;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration.Webhooks;

namespace Mentoring.Core.Registration;

/// <summary>What the intake did with one delivery.</summary>
public abstract record WebhookResult(string Provider, string? SubmissionId);

/// <summary>The delivery was stored (or recognised as stored before, or ignored by the withdrawal and ordering rules).</summary>
public sealed record WebhookStored(string Provider, string SubmissionId, SubmissionOutcome Outcome) : WebhookResult(Provider, SubmissionId);

/// <summary>
/// A test: the provider's own test delivery, or any delivery to the URL with <c>?test=true</c>. Nothing was stored.
/// <paramref name="WouldStore"/> is the participant the delivery maps to; <paramref name="Problems"/> what keeps a
/// provider's test delivery from registering anyone (its dummy answers often break the questionnaire's rules).
/// </summary>
/// <param name="ExistingParticipant">Whether a participant with that address exists already (the delivery would update them).</param>
public sealed record WebhookTest(string Provider, string? SubmissionId, bool ProviderMarked, Participant? WouldStore, bool ExistingParticipant,
    IReadOnlyList<FieldError> Problems) : WebhookResult(Provider, SubmissionId);

/// <summary>A partial (unfinished) response: acknowledged so the provider stops retrying; nothing was stored.</summary>
public sealed record WebhookPartial(string Provider, string? SubmissionId) : WebhookResult(Provider, SubmissionId);

/// <summary>
/// Forms-tool signups: authenticate over the raw body, parse the provider's format, map fields to question keys,
/// register. One participant per (program, provider, submission id), for ever, because every forms tool retries and
/// some let people edit what they sent.
/// </summary>
public sealed class WebhookIntake(IDocumentStore store, ProgramCatalog programs, ParticipantRegistry registry)
{
    /// <summary>The query parameter that turns any delivery into a dry run: validated and mapped, answered with what would be stored.</summary>
    public const string TestParameter = "test";

    public async Task<WebhookResult> ReceiveAsync(string programId, string providerName, WebhookDelivery delivery,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var provider = FormsProviders.Find(providerName)
            ?? throw new NotFoundException($"Forms provider '{providerName}' (supported: {string.Join(", ", FormsProviders.Names)})");
        var dryRun = DryRun(delivery);
        if (!provider.Accepts(delivery.ContentType))
        {
            throw new UnsupportedContentTypeException(provider.AcceptedContentTypes, delivery.ContentType);
        }
        // Nothing above depends on the program, and nothing below runs before the delivery is authenticated.
        // No such program: no secret, so the delivery is refused in the words of a wrong signature (WebhookAuth), and
        // nobody learns whether the id exists.
        var found = await ProgramOrNullAsync(programId, cancellationToken);
        provider.Authenticate(delivery, found?.WebhookSecrets ?? []);
        var program = found ?? throw new InvalidOperationException("A delivery to no program cannot authenticate.");
        var submission = provider.Parse(delivery);
        if (submission.Kind == DeliveryKind.Partial)
        {
            return new WebhookPartial(provider.Name, submission.SubmissionId.Length == 0 ? null : submission.SubmissionId);
        }
        if (dryRun || submission.Kind == DeliveryKind.Test)
        {
            return await TestAsync(program, provider.Name, submission, providerMarked: submission.Kind == DeliveryKind.Test, strict: dryRun, cancellationToken);
        }

        // Map and validate first (pure): nothing is stored for an invalid signup or outside the registration window.
        var request = SubmissionMapper.ToRegistration(program, provider.Name, submission);
        PendingRegistration pending;
        try
        {
            pending = registry.Prepare(program, request);
        }
        catch (DomainException)
        {
            // A redelivery of a submission registered earlier is still acknowledged (the window may have closed since).
            if (await ReceivedBeforeAsync(program.Id, request, cancellationToken) is { } earlier)
            {
                return new WebhookStored(provider.Name, submission.SubmissionId, new SubmissionOutcome(earlier, SubmissionEffect.Unchanged));
            }
            throw;
        }
        return new WebhookStored(provider.Name, submission.SubmissionId, await registry.ApplySubmissionAsync(pending, cancellationToken));
    }

    /// <summary>
    /// Validates and maps, storing nothing. A provider's own test delivery is always acknowledged (its dummy answers are
    /// reported as problems, so the admin's test in the provider passes); with <c>?test=true</c> (<paramref name="strict"/>)
    /// a broken delivery is answered as a real one would be, with the problem document, which is what debugging a field map needs.
    /// </summary>
    private async Task<WebhookTest> TestAsync(MentoringProgram program, string provider, FormSubmission submission, bool providerMarked, bool strict,
        CancellationToken cancellationToken)
    {
        try
        {
            var pending = registry.Prepare(program, SubmissionMapper.ToRegistration(program, provider, submission));
            var exists = await store.ReadAsync<Participant>(pending.Key, cancellationToken) is not null;
            return new WebhookTest(provider, submission.SubmissionId, providerMarked, pending.ToParticipant(), exists, []);
        }
        catch (ValidationFailedException problem) when (!strict)
        {
            return new WebhookTest(provider, submission.SubmissionId, providerMarked, null, false, problem.Errors);
        }
        catch (ConflictException closed) when (!strict)
        {
            return new WebhookTest(provider, submission.SubmissionId, providerMarked, null, false, [new FieldError("$", "registration-closed", closed.Message)]);
        }
    }

    /// <summary>A copy up to ProgramCatalog.RecentFor old (signups arrive in bursts, the program rarely changes); null when there is none.</summary>
    private async Task<MentoringProgram?> ProgramOrNullAsync(string programId, CancellationToken cancellationToken)
    {
        try
        {
            return (await programs.GetRecentAsync(programId, cancellationToken)).Value;
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    private static bool DryRun(WebhookDelivery delivery)
    {
        if (delivery.QueryValue(TestParameter) is not { } value)
        {
            return false;
        }
        return value.Trim().ToLowerInvariant() switch
        {
            "" or "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new ValidationFailedException(TestParameter, Rules.Format, $"'{TestParameter}' must be true or false, not '{value}'."),
        };
    }

    /// <summary>The participant a submission registered before, from the ledger, or from a participant's pre-ledger memory.</summary>
    private async Task<StoredDocument<Participant>?> ReceivedBeforeAsync(string programId, RegistrationRequest request, CancellationToken cancellationToken)
    {
        if (await registry.SubmissionAsync(programId, request.Source, cancellationToken) is { } record)
        {
            return await store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(programId, record.Value.ParticipantId), cancellationToken);
        }
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
