using Mentoring.Core.Common;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Registration;

/// <summary>The result of a registration: the participant as stored, and whether this call created them.</summary>
/// <param name="Redelivery">The submission was applied before; nothing changed.</param>
public sealed record RegistrationOutcome(StoredDocument<Participant> Participant, bool Created, bool Redelivery = false);

/// <summary>What a forms submission did.</summary>
public enum SubmissionEffect
{
    /// <summary>A new participant.</summary>
    Created,
    /// <summary>The participant's answers (or address, or status after a self-withdrawal) changed.</summary>
    Updated,
    /// <summary>An identical redelivery: nothing changed.</summary>
    Unchanged,
    /// <summary>An older version of the submission arrived after a newer one: ignored.</summary>
    IgnoredOlderVersion,
    /// <summary>An admin removed the person: acknowledged and ignored.</summary>
    IgnoredRemovedByAdmin,
    /// <summary>The person withdrew, and this is not a new submission sent after that: acknowledged and ignored.</summary>
    IgnoredWithdrawn,
}

/// <summary>The result of a forms submission; <paramref name="Participant"/> is null only when an ignored older version raced the newer one's first write.</summary>
/// <param name="MovedFrom">The participant id at the old address when this edit changed the address.</param>
public sealed record SubmissionOutcome(StoredDocument<Participant>? Participant, SubmissionEffect Effect, string? MovedFrom = null)
{
    public bool Ignored => Effect is SubmissionEffect.IgnoredOlderVersion or SubmissionEffect.IgnoredRemovedByAdmin or SubmissionEffect.IgnoredWithdrawn;
}

/// <summary>A validated registration, not yet stored: where the participant lives and what to store.</summary>
/// <param name="Key">The participant's document key, derived from program and normalised email.</param>
/// <param name="At">When the registration was received (the window was checked at this instant).</param>
public sealed record PendingRegistration(DocumentKey Key, string ProgramId, ValidRegistration Valid, RegistrationSource Source, DateTimeOffset At)
{
    /// <summary>"provider:submissionId" for forms deliveries, null for the JSON API.</summary>
    public string? SubmissionKey => SubmissionKeyOf(Source);

    /// <summary>The provider's time of this version, when it sends one.</summary>
    public DateTimeOffset? SubmittedAt { get; init; }

    /// <summary>When the person sent this version: the provider's time, else its arrival.</summary>
    public DateTimeOffset SentAt => SubmittedAt ?? At;

    internal static string? SubmissionKeyOf(RegistrationSource source) => source.SubmissionId is { } id ? $"{source.Channel}:{id}" : null;

    /// <summary>The participant this registration would store (nothing is read or written).</summary>
    public Participant ToParticipant() => new()
    {
        Id = Key.Id,
        ProgramId = ProgramId,
        Email = Valid.Email,
        Name = Valid.Name,
        Answers = Valid.Answers,
        ConsentedAt = At,
        Source = Source,
        CreatedAt = At,
        UpdatedAt = At,
    };
}

/// <summary>
/// Registers, lists and withdraws participants. One participant per email per program, whatever races; one participant
/// per forms submission, for ever, through the submission ledger (<see cref="SubmissionRecord"/>).
/// </summary>
public sealed class ParticipantRegistry(IDocumentStore store, ProgramCatalog programs, TimeProvider clock)
{
    public static DocumentKey KeyOf(string programId, string participantId) => new(programId, DocumentKinds.Participant, participantId);

    /// <summary>Where the participant with this (normalised) email lives in the program.</summary>
    internal static DocumentKey KeyOfEmail(string programId, string normalisedEmail) =>
        KeyOf(programId, ParticipantIdentity.For(programId, normalisedEmail));

    /// <summary>
    /// The public signup route. The fields that need no program (email, name, consent) are checked first; then a program
    /// that does not exist and one whose registration is not open get the same answer, <see cref="NotOpen"/>, so nobody
    /// can probe which program ids exist. (Forms webhooks, authenticated per program, say when the window opens or closed.)
    /// </summary>
    /// <exception cref="ValidationFailedException">The contact fields, or then the answers, break the rules.</exception>
    /// <exception cref="ConflictException">No such program, or its registration is not open.</exception>
    public async Task<RegistrationOutcome> RegisterAsync(string programId, RegistrationRequest request, CancellationToken cancellationToken = default)
    {
        RegistrationValidator.EnsureContact(request);
        MentoringProgram program;
        try
        {
            program = (await programs.GetAsync(programId, cancellationToken)).Value;
        }
        catch (NotFoundException)
        {
            throw new ConflictException(NotOpen);
        }
        if (!IsOpen(program.Registration, clock.GetUtcNow()))
        {
            throw new ConflictException(NotOpen);
        }
        return await RegisterAsync(program, request, cancellationToken);
    }

    /// <summary>The one answer of the public signup route for a program that does not exist and for one not taking registrations.</summary>
    public const string NotOpen = "This program is not taking registrations (it does not exist, or its registration window is not open).";

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
        return new PendingRegistration(KeyOfEmail(program.Id, valid.Email), program.Id, valid, request.Source, now) { SubmittedAt = request.SubmittedAt };
    }

    /// <summary>
    /// Stores a prepared JSON API registration: creates the participant (one write for a newcomer); when they exist
    /// already, updates them with the new answers under an ETag check. A person an admin removed stays removed
    /// (answered with the record unchanged); a person who withdrew themselves is registered again.
    /// </summary>
    public async Task<RegistrationOutcome> RegisterAsync(PendingRegistration pending, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pending);
        if (pending.SubmissionKey is not null)
        {
            var outcome = await ApplySubmissionAsync(pending, cancellationToken);
            var participant = outcome.Participant ?? throw new ConflictException("A newer version of this submission is being stored; please retry.");
            return new RegistrationOutcome(participant, outcome.Effect == SubmissionEffect.Created,
                Redelivery: outcome.Effect != SubmissionEffect.Created && outcome.Effect != SubmissionEffect.Updated);
        }
        var (stored, effect) = await ApplyToParticipantAsync(pending, pending.Key, record: null, isNewSubmission: true, cancellationToken);
        return new RegistrationOutcome(stored, effect == SubmissionEffect.Created, Redelivery: effect != SubmissionEffect.Created && effect != SubmissionEffect.Updated);
    }

    /// <summary>
    /// Stores a prepared forms submission. The ledger entry of (program, provider, submission id) is written first, under
    /// its ETag, so racing deliveries agree on the current version; then the participant is brought up to that version.
    /// <list type="bullet">
    /// <item>An identical redelivery changes nothing (it only completes a write a racing or failed delivery left undone).</item>
    /// <item>An edit updates the same participant in place; a new address moves the participant there and marks the old
    /// record moved (<see cref="Withdrawal.Moved"/>), so one submission never stands for two registered people.</item>
    /// <item>A version older (by the provider's time) than the current one is ignored.</item>
    /// </list>
    /// </summary>
    public async Task<SubmissionOutcome> ApplySubmissionAsync(PendingRegistration pending, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var source = pending.Source;
        var submissionId = source.SubmissionId ?? throw new ArgumentException("A forms submission needs a submission id.", nameof(pending));
        var ledgerKey = SubmissionRecord.KeyOf(pending.ProgramId, source.Channel, submissionId);
        var hash = SubmissionRecord.HashOf(pending.Valid);
        var now = pending.At;
        for (var attempt = 0; attempt < DocumentStoreExtensions.MaxUpdateAttempts; attempt++)
        {
            var current = await store.ReadAsync<SubmissionRecord>(ledgerKey, cancellationToken);
            if (current is null)
            {
                var first = new SubmissionRecord
                {
                    Provider = source.Channel,
                    SubmissionId = submissionId,
                    ParticipantId = pending.Key.Id,
                    Revision = 1,
                    ContentHash = hash,
                    SubmittedAt = pending.SubmittedAt,
                    FirstReceivedAt = now,
                    ReceivedAt = now,
                };
                try
                {
                    await store.CreateAsync(ledgerKey, first, cancellationToken);
                }
                catch (DocumentConflictException)
                {
                    continue; // a racing delivery of the same submission wrote first: compare with theirs
                }
                return await ProjectAsync(pending, ledgerKey, first, isNewSubmission: true, cancellationToken);
            }

            var record = current.Value;
            if (record.ContentHash == hash && record.ParticipantId == pending.Key.Id)
            {
                return await ProjectAsync(pending, ledgerKey, record, isNewSubmission: false, cancellationToken);
            }
            var older = pending.SubmittedAt is { } sent && record.SubmittedAt is { } applied
                ? sent < applied || (sent == applied && record.PreviousHashes.Contains(hash, StringComparer.Ordinal))
                : record.PreviousHashes.Contains(hash, StringComparer.Ordinal);
            if (older)
            {
                var shown = await store.ReadAsync<Participant>(KeyOf(pending.ProgramId, record.ParticipantId), cancellationToken);
                return new SubmissionOutcome(shown, SubmissionEffect.IgnoredOlderVersion);
            }
            var moved = record.ParticipantId != pending.Key.Id;
            if (moved && await store.ReadAsync<Participant>(KeyOf(pending.ProgramId, record.ParticipantId), cancellationToken) is { } left
                && IsFrom(left.Value, source) && left.Value.Status == ParticipantStatus.Withdrawn && left.Value.WithdrawnBy != Withdrawal.Moved)
            {
                // The person left (or was removed) after sending this submission: a new address in an edit of it does not bring them back.
                return new SubmissionOutcome(left, left.Value.WithdrawnBy == Withdrawal.Self ? SubmissionEffect.IgnoredWithdrawn : SubmissionEffect.IgnoredRemovedByAdmin);
            }
            var edited = record with
            {
                ParticipantId = pending.Key.Id,
                Revision = record.Revision + 1,
                ContentHash = hash,
                PreviousHashes = [.. record.PreviousHashes.Append(record.ContentHash).TakeLast(SubmissionRecord.MaxPreviousVersions)],
                SubmittedAt = pending.SubmittedAt ?? record.SubmittedAt,
                ReceivedAt = now,
                Moves = moved ? [.. record.Moves, new SubmissionMove(record.ParticipantId, pending.Key.Id, record.Revision + 1, now)] : record.Moves,
            };
            try
            {
                await store.ReplaceAsync(ledgerKey, edited, current.ETag, cancellationToken);
            }
            catch (DocumentPreconditionFailedException)
            {
                continue; // another version landed in between: compare with it
            }
            var outcome = await ProjectAsync(pending, ledgerKey, edited, isNewSubmission: false, cancellationToken);
            return moved ? outcome with { MovedFrom = record.ParticipantId } : outcome;
        }
        throw new ConflictException("This submission kept colliding with concurrent deliveries; please retry.");
    }

    /// <summary>
    /// Brings the participant up to the ledger's version <paramref name="record"/>, then makes sure no other participant
    /// still stands for this submission: the previous address of a move, or a record a slower, older delivery created.
    /// Every step is idempotent and only moves forward in revision, so racing deliveries converge on the newest version.
    /// </summary>
    private async Task<SubmissionOutcome> ProjectAsync(PendingRegistration pending, DocumentKey ledgerKey, SubmissionRecord record,
        bool isNewSubmission, CancellationToken cancellationToken)
    {
        var (stored, effect) = await ApplyToParticipantAsync(pending, pending.Key, record, isNewSubmission, cancellationToken);
        foreach (var move in record.Moves.Where(m => m.To == pending.Key.Id))
        {
            await MoveAsync(pending, move.From, move.To, record.Revision, cancellationToken);
        }
        if (await store.ReadAsync<SubmissionRecord>(ledgerKey, cancellationToken) is { } latest && latest.Value.ParticipantId != pending.Key.Id)
        {
            // A newer edit moved the submission elsewhere while this one was being written: this record must not stay registered.
            await MoveAsync(pending, pending.Key.Id, latest.Value.ParticipantId, latest.Value.Revision, cancellationToken);
            stored = await store.ReadAsync<Participant>(KeyOf(pending.ProgramId, latest.Value.ParticipantId), cancellationToken) ?? stored;
            return new SubmissionOutcome(stored, SubmissionEffect.IgnoredOlderVersion);
        }
        return new SubmissionOutcome(stored, effect);
    }

    /// <summary>Marks the record at <paramref name="fromId"/> moved to <paramref name="toId"/> when it still shows this submission at an older revision.</summary>
    private async Task MoveAsync(PendingRegistration pending, string fromId, string toId, int revision, CancellationToken cancellationToken)
    {
        if (fromId == toId)
        {
            return;
        }
        var now = pending.At;
        await store.UpdateAsync<Participant>(KeyOf(pending.ProgramId, fromId), p =>
            !IsFrom(p, pending.Source) || p.SourceRevision >= revision || p.WithdrawnBy == Withdrawal.Admin
                ? null
                : (p.Status == ParticipantStatus.Withdrawn ? p : p.Withdraw(Withdrawal.Moved, now)) with
                {
                    WithdrawnBy = p.Status == ParticipantStatus.Withdrawn ? p.WithdrawnBy : Withdrawal.Moved,
                    MovedTo = toId,
                    SourceRevision = revision,
                    UpdatedAt = now,
                },
            cancellationToken);
    }

    private static bool IsFrom(Participant participant, RegistrationSource source) =>
        participant.Source.Channel == source.Channel && participant.Source.SubmissionId == source.SubmissionId;

    /// <summary>
    /// Creates or updates the participant at <paramref name="key"/> under its ETag, with the withdrawal rules: an admin's
    /// removal sticks; a self-withdrawn (or moved-away) person is registered again only by a new submission sent after
    /// they left, or by the JSON API.
    /// </summary>
    private async Task<(StoredDocument<Participant> Stored, SubmissionEffect Effect)> ApplyToParticipantAsync(PendingRegistration pending,
        DocumentKey key, SubmissionRecord? record, bool isNewSubmission, CancellationToken cancellationToken)
    {
        var valid = pending.Valid;
        var now = pending.At;
        var revision = record?.Revision ?? 0;
        var movedFrom = record?.Moves.LastOrDefault(m => m.To == key.Id)?.From;
        for (var attempt = 0; attempt < DocumentStoreExtensions.MaxUpdateAttempts; attempt++)
        {
            var existing = await store.ReadAsync<Participant>(key, cancellationToken);
            if (existing is null)
            {
                var participant = pending.ToParticipant() with { SourceRevision = revision, MovedFrom = movedFrom };
                try
                {
                    return (await store.CreateAsync(key, participant, cancellationToken), SubmissionEffect.Created);
                }
                catch (DocumentConflictException)
                {
                    continue; // registered a moment ago by a concurrent signup: update theirs instead
                }
            }

            var p = existing.Value;
            var sameSubmission = record is not null && IsFrom(p, pending.Source);
            if (sameSubmission && p.SourceRevision >= revision)
            {
                return (existing, SubmissionEffect.Unchanged); // already shows this version, or a newer one
            }
            if (record is not null && !sameSubmission && pending.SubmissionKey is { } legacy && p.Submissions.Contains(legacy, StringComparer.Ordinal))
            {
                return (existing, SubmissionEffect.Unchanged); // applied before the ledger existed
            }
            if (p.ErasedAt is not null && record is not null && !isNewSubmission)
            {
                return (existing, SubmissionEffect.IgnoredWithdrawn); // a retry of what was erased: acknowledged, never restored
            }
            if (p.ErasedAt is not null)
            {
                throw new ConflictException("This address asked for its data to be erased from this program; please contact the program's admins to join again.");
            }
            var reRegister = false;
            if (p.Status == ParticipantStatus.Withdrawn)
            {
                switch (p.WithdrawnBy)
                {
                    case Withdrawal.Admin or null:
                        return (existing, SubmissionEffect.IgnoredRemovedByAdmin);
                    case Withdrawal.Moved when sameSubmission:
                        reRegister = true; // an edit moved the address back here
                        break;
                    default:
                        var leftAt = p.WithdrawnAt ?? p.UpdatedAt;
                        if (record is not null && !(isNewSubmission && pending.SentAt > leftAt))
                        {
                            return (existing, SubmissionEffect.IgnoredWithdrawn);
                        }
                        reRegister = true;
                        break;
                }
            }
            var updated = p with
            {
                Name = valid.Name,
                Email = valid.Email,
                Answers = valid.Answers,
                Status = ParticipantStatus.Registered,
                WithdrawnAt = reRegister ? null : p.WithdrawnAt,
                WithdrawnBy = reRegister ? null : p.WithdrawnBy,
                MovedTo = reRegister ? null : p.MovedTo,
                MovedFrom = movedFrom ?? p.MovedFrom,
                ConsentedAt = p.ConsentedAt ?? now,
                Source = pending.Source,
                SourceRevision = revision,
                UpdatedAt = now,
            };
            try
            {
                return (await store.ReplaceAsync(key, updated, existing.ETag, cancellationToken), SubmissionEffect.Updated);
            }
            catch (DocumentPreconditionFailedException)
            {
                continue;
            }
            catch (DocumentNotFoundException)
            {
                continue;
            }
        }
        throw new ConflictException("This registration kept colliding with concurrent changes; please retry.");
    }

    /// <summary>The ledger entry of a forms submission, or null when it was never received (or received before the ledger existed).</summary>
    public async Task<StoredDocument<SubmissionRecord>?> SubmissionAsync(string programId, RegistrationSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.SubmissionId is { } id
            ? await store.ReadAsync<SubmissionRecord>(SubmissionRecord.KeyOf(programId, source.Channel, id), cancellationToken)
            : null;
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

    /// <summary>
    /// An admin withdraws a participant; withdrawing twice is fine and changes nothing more. It sticks: later form
    /// deliveries for this address are acknowledged and ignored.
    /// </summary>
    public async Task<StoredDocument<Participant>> WithdrawAsync(string programId, string participantId, CancellationToken cancellationToken = default)
    {
        await programs.GetAsync(programId, cancellationToken);
        return await store.UpdateAsync<Participant>(KeyOf(programId, participantId),
                p => p.Status == ParticipantStatus.Withdrawn && p.WithdrawnBy is Withdrawal.Admin or null
                    ? null
                    : p.Withdraw(Withdrawal.Admin, clock.GetUtcNow()) with { MovedTo = p.MovedTo },
                cancellationToken)
            ?? throw new NotFoundException($"Participant '{participantId}'");
    }

    private static bool IsOpen(RegistrationWindow window, DateTimeOffset now) =>
        !(window.OpensAt is { } opens && now < opens) && !(window.ClosesAt is { } closes && now >= closes);

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
