using Mentoring.Core.Common;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Registration;

/// <summary>The result of a registration: the participant as stored, and whether this call created them.</summary>
/// <param name="Redelivery">The submission was applied before; nothing changed.</param>
public sealed record RegistrationOutcome(StoredDocument<Participant> Participant, bool Created, bool Redelivery = false);

/// <summary>A validated registration, not yet stored: where the participant lives and what to store.</summary>
/// <param name="Key">The participant's document key, derived from program and normalised email.</param>
/// <param name="At">When the registration was received (the window was checked at this instant).</param>
public sealed record PendingRegistration(DocumentKey Key, string ProgramId, ValidRegistration Valid, RegistrationSource Source, DateTimeOffset At)
{
    /// <summary>"provider:submissionId" for forms deliveries, null for the JSON API.</summary>
    public string? SubmissionKey => SubmissionKeyOf(Source);

    internal static string? SubmissionKeyOf(RegistrationSource source) => source.SubmissionId is { } id ? $"{source.Channel}:{id}" : null;
}

/// <summary>Registers, lists and withdraws participants. One participant per email per program, whatever races.</summary>
public sealed class ParticipantRegistry(IDocumentStore store, ProgramCatalog programs, TimeProvider clock)
{
    public static DocumentKey KeyOf(string programId, string participantId) => new(programId, DocumentKinds.Participant, participantId);

    /// <summary>Where the participant with this (normalised) email lives in the program.</summary>
    internal static DocumentKey KeyOfEmail(string programId, string normalisedEmail) =>
        KeyOf(programId, ParticipantIdentity.For(programId, normalisedEmail));

    public async Task<RegistrationOutcome> RegisterAsync(string programId, RegistrationRequest request, CancellationToken cancellationToken = default)
    {
        var program = (await programs.GetAsync(programId, cancellationToken)).Value;
        return await RegisterAsync(program, request, cancellationToken);
    }

    public async Task<RegistrationOutcome> RegisterAsync(MentoringProgram program, RegistrationRequest request, CancellationToken cancellationToken = default) =>
        await RegisterAsync(Prepare(program, request), cancellationToken);

    /// <summary>
    /// Checks the registration window and validates the request, storing nothing: the participant's id (derived from
    /// program and normalised email) is known before any write.
    /// </summary>
    /// <exception cref="ConflictException">Registration is not open.</exception>
    /// <exception cref="ValidationFailedException">The request breaks the program's rules.</exception>
    public PendingRegistration Prepare(MentoringProgram program, RegistrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        EnsureOpen(program, now);
        var valid = RegistrationValidator.Validate(program, request);
        return new PendingRegistration(KeyOfEmail(program.Id, valid.Email), program.Id, valid, request.Source, now);
    }

    /// <summary>
    /// Stores a prepared registration: creates the participant (one write for a newcomer); when they exist already,
    /// updates them with the new answers under an ETag check, retrying when another writer got in between.
    /// </summary>
    public async Task<RegistrationOutcome> RegisterAsync(PendingRegistration pending, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var key = pending.Key;
        var valid = pending.Valid;
        var now = pending.At;
        var tryCreate = true;
        for (var attempt = 0; attempt < DocumentStoreExtensions.MaxUpdateAttempts; attempt++)
        {
            if (tryCreate)
            {
                var participant = new Participant
                {
                    Id = key.Id,
                    ProgramId = pending.ProgramId,
                    Email = valid.Email,
                    Name = valid.Name,
                    Answers = valid.Answers,
                    ConsentedAt = now,
                    Source = pending.Source,
                    Submissions = pending.SubmissionKey is { } first ? [first] : [],
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                try
                {
                    return new(await store.CreateAsync(key, participant, cancellationToken), Created: true);
                }
                catch (DocumentConflictException)
                {
                    // Registered before (or a moment ago by a concurrent signup): update theirs instead.
                }
            }

            var existing = await store.ReadAsync<Participant>(key, cancellationToken);
            if (existing is null)
            {
                tryCreate = true; // deleted in between: create again
                continue;
            }

            tryCreate = false;
            if (pending.SubmissionKey is { } seen && existing.Value.Submissions.Contains(seen, StringComparer.Ordinal))
            {
                return new(existing, Created: false, Redelivery: true);
            }
            if (existing.Value.ErasedAt is not null)
            {
                throw new ConflictException("This address asked for its data to be erased from this program; please contact the program's admins to join again.");
            }
            var updated = existing.Value with
            {
                Name = valid.Name,
                Answers = valid.Answers,
                Status = ParticipantStatus.Registered,
                ConsentedAt = existing.Value.ConsentedAt ?? now,
                Source = pending.Source,
                Submissions = pending.SubmissionKey is { } submission
                    ? [.. existing.Value.Submissions.Append(submission).TakeLast(Participant.MaxRememberedSubmissions)]
                    : existing.Value.Submissions,
                UpdatedAt = now,
            };
            try
            {
                return new(await store.ReplaceAsync(key, updated, existing.ETag, cancellationToken), Created: false);
            }
            catch (DocumentPreconditionFailedException)
            {
                continue;
            }
            catch (DocumentNotFoundException)
            {
                tryCreate = true;
                continue;
            }
        }
        throw new ConflictException("This registration kept colliding with concurrent changes; please retry.");
    }

    public async Task<StoredDocument<Participant>> GetAsync(string programId, string participantId, CancellationToken cancellationToken = default)
    {
        await programs.GetAsync(programId, cancellationToken);
        return await store.ReadAsync<Participant>(KeyOf(programId, participantId), cancellationToken)
            ?? throw new NotFoundException($"Participant '{participantId}'");
    }

    public async Task<DocumentPage<Participant>> ListAsync(string programId, ParticipantStatus? status, int pageSize, string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        await programs.GetAsync(programId, cancellationToken);
        var query = new DocumentQuery(programId, DocumentKinds.Participant, pageSize, continuationToken,
            status is null ? null : nameof(Participant.Status).ToLowerInvariant(),
            status is null ? null : StatusText(status.Value));
        try
        {
            return await store.QueryAsync<Participant>(query, cancellationToken);
        }
        catch (ArgumentException) when (continuationToken is not null)
        {
            throw new ValidationFailedException("continuationToken", Rules.Format, "The continuation token is not one this server issued.");
        }
    }

    /// <summary>Every registered (not withdrawn) participant of the program, all pages.</summary>
    public async Task<IReadOnlyList<Participant>> ActiveAsync(string programId, CancellationToken cancellationToken = default)
    {
        var all = new List<Participant>();
        string? token = null;
        do
        {
            var page = await ListAsync(programId, ParticipantStatus.Registered, 1000, token, cancellationToken);
            all.AddRange(page.Items.Select(i => i.Value));
            token = page.ContinuationToken;
        }
        while (token is not null);
        return all;
    }

    /// <summary>Withdraws a participant; withdrawing twice is fine and changes nothing more.</summary>
    public async Task<StoredDocument<Participant>> WithdrawAsync(string programId, string participantId, CancellationToken cancellationToken = default)
    {
        await programs.GetAsync(programId, cancellationToken);
        return await store.UpdateAsync<Participant>(KeyOf(programId, participantId),
                p => p.Status == ParticipantStatus.Withdrawn ? null : p with { Status = ParticipantStatus.Withdrawn, UpdatedAt = clock.GetUtcNow() },
                cancellationToken)
            ?? throw new NotFoundException($"Participant '{participantId}'");
    }

    private static void EnsureOpen(MentoringProgram program, DateTimeOffset now)
    {
        var window = program.Registration;
        if (window.OpensAt is { } opens && now < opens)
        {
            throw new ConflictException($"Registration for '{program.Name}' opens at {opens:yyyy-MM-dd HH:mm} UTC ({opens:O}).");
        }
        if (window.ClosesAt is { } closes && now >= closes)
        {
            throw new ConflictException($"Registration for '{program.Name}' closed at {closes:yyyy-MM-dd HH:mm} UTC ({closes:O}).");
        }
    }

    private static string StatusText(ParticipantStatus status) => status switch
    {
        ParticipantStatus.Registered => "registered",
        _ => "withdrawn",
    };
}
