using Mentoring.Core.Decisions;
using Mentoring.Core.Mail;
using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Matching;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;

namespace Mentoring.Core.Windows;

/// <summary>
/// The window's activities: everything a command does outside the decider. Each is idempotent (deterministic
/// document ids, mail idempotency keys), because every host executes commands at least once.
/// </summary>
public sealed partial class WindowActivities(
    IDocumentStore store, ProgramCatalog programs, ParticipantRegistry registry, IMailer mailer, DecisionLinks links, TimeProvider clock,
    Choosing.ChoosingLinks? choosingLinks = null)
    : IWindowActivities
{
    public async Task<WindowEvent?> ExecuteAsync(WindowState state, WindowCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        return command switch
        {
            ComputeDraft c => await ComputeAsync(state, c, cancellationToken),
            MailDraft c => await MailDraftAsync(state, c.Version, reminder: null, cancellationToken),
            MailReminder c => await MailDraftAsync(state, c.Version, (c.Number, c.Of), cancellationToken),
            MailExpiry c => await MailExpiryAsync(state, c, cancellationToken),
            PublishPairs c => await PublishAsync(state, c, cancellationToken),
            MailIntros c => await IntroduceAsync(state, c, cancellationToken),
            // Evergreen: the next round, opened when the previous one completes.
            OpenNextWindow c => WindowOpening.For(await Program(state, cancellationToken), c.ClosesAt, clock.GetUtcNow()),
            InviteToChoose c => await InviteAsync(state, c, cancellationToken),
            MailPairRequest c => await MailRequestAsync(state, c, cancellationToken),
            MailPairFormed c => await MailFormedAsync(state, c, cancellationToken),
            MailRequestLapsed c => await MailLapsedAsync(state, c, cancellationToken),
            _ => null, // timers and completion belong to the host
        };
    }

    private async Task<MentoringProgram> Program(WindowState state, CancellationToken ct) => (await programs.GetAsync(state.ProgramId, ct)).Value;

    private async Task<DraftComputed> ComputeAsync(WindowState state, ComputeDraft command, CancellationToken ct)
    {
        var program = await Program(state, ct);
        var participants = await SnapshotAsync(state, program, ct);
        var history = await HistoryAsync(state, ct);
        var draft = MatchingEngine.Draft(new MatchingRequest
        {
            Program = program,
            Participants = participants,
            // The window's own instant, not the wall clock: recomputing a version gives the same draft.
            At = state.ClosedAt ?? state.OpenedAt,
            History = history,
            ForbiddenPairs = command.Edits.ForbiddenPairs,
            PinnedPairs = command.Edits.PinnedPairs,
            ExcludedParticipantIds = command.Edits.ExcludedParticipantIds,
            PinnedOnlyParticipantIds = command.Edits.PinnedOnlyParticipantIds,
        });
        var now = clock.GetUtcNow();
        await store.UpsertAsync(WindowDocuments.Draft(state.ProgramId, state.WindowId, command.Version),
            new StoredDraft(state.ProgramId, state.WindowId, command.Version, draft, command.Edits, now), ct);
        return new DraftComputed(command.Version, Summarise(draft), now);
    }

    public static DraftSummary Summarise(PairDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var s = draft.Stats;
        return new DraftSummary(s.People, s.PeopleMatched, s.PeopleWaitlisted, s.Pairs, s.Trios, s.Groups, s.TotalScore, s.MeanScore, s.MinScore,
            draft.Certificate?.IsOptimal ?? false);
    }

    /// <summary>Registrations as of closing: taken once, then reused by every version (minus people who withdrew since).</summary>
    private async Task<IReadOnlyList<Participant>> SnapshotAsync(WindowState state, MentoringProgram program, CancellationToken ct)
    {
        var key = WindowDocuments.Snapshot(state.ProgramId, state.WindowId);
        var snapshot = (await store.ReadAsync<RegistrationSnapshot>(key, ct))?.Value;
        if (snapshot is null)
        {
            var registered = await registry.ActiveAsync(state.ProgramId, ct);
            // Evergreen rounds match newcomers and people with free capacity (a rematch request ended one of their pairs).
            var active = state.Evergreen ? RoundInputs.Eligible(program, registered, (await RoundInputs.ReadAsync(store, state.ProgramId, ct)).Matches) : registered;
            snapshot = new RegistrationSnapshot(state.WindowId, [.. active.Select(p => p.Id)], clock.GetUtcNow());
            try
            {
                await store.CreateAsync(key, snapshot, ct);
                return active;
            }
            catch (DocumentConflictException)
            {
                snapshot = (await store.ReadAsync<RegistrationSnapshot>(key, ct))!.Value;
            }
        }
        var people = new List<Participant>(snapshot.ParticipantIds.Count);
        foreach (var id in snapshot.ParticipantIds)
        {
            if (await store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(state.ProgramId, id), ct) is { Value.Status: ParticipantStatus.Registered } p)
            {
                people.Add(p.Value);
            }
        }
        return people;
    }

    private async Task<MatchingHistory> HistoryAsync(WindowState state, CancellationToken ct)
    {
        var (matches, rounds) = await RoundInputs.ReadAsync(store, state.ProgramId, ct);
        return RoundInputs.History(matches, rounds, state.WindowId) with { IncludedByAdmin = state.Edits.IncludedParticipantIds };
    }

    private async Task<StoredDraft> DraftAsync(WindowState state, int version, CancellationToken ct) =>
        (await store.ReadAsync<StoredDraft>(WindowDocuments.Draft(state.ProgramId, state.WindowId, version), ct))?.Value
        ?? throw new InvalidOperationException($"Draft v{version} of window {state.WindowId} is missing.");

    private async Task<WindowEvent?> MailDraftAsync(WindowState state, int version, (int Number, int Of)? reminder, CancellationToken ct)
    {
        var program = await Program(state, ct);
        var stored = await DraftAsync(state, version, ct);
        var now = clock.GetUtcNow();
        var previous = version > 1
            ? (await store.ReadAsync<StoredDraft>(WindowDocuments.Draft(state.ProgramId, state.WindowId, version - 1), ct))?.Value
            : null;
        var changes = previous is null ? null : DraftChanges.Between(previous, stored, state);
        foreach (var admin in program.AdminEmails)
        {
            var input = new DraftMailInput(program, stored.Draft, version, state.WindowId, new MailAddress(admin),
                links.Draft(program.Id, state.WindowId, version, admin, stored.Draft, now), state.Timer?.DueAt, stored.ComputedAt, changes);
            await mailer.SendAsync(reminder is { } r ? AdminMail.Reminder(input, r.Number, r.Of) : AdminMail.Draft(input), ct);
        }
        return null;
    }

    private async Task<WindowEvent?> MailExpiryAsync(WindowState state, MailExpiry command, CancellationToken ct)
    {
        var program = await Program(state, ct);
        foreach (var admin in program.AdminEmails)
        {
            await mailer.SendAsync(AdminMail.Expired(program, state.WindowId, command.Version, new MailAddress(admin), state.FinishedAt ?? clock.GetUtcNow(),
                links.Dashboard(program.Id, admin)), ct);
        }
        return null;
    }

    private async Task<PairsPublished> PublishAsync(WindowState state, PublishPairs command, CancellationToken ct)
    {
        var stored = await DraftAsync(state, command.Version, ct);
        var draft = stored.Draft;
        var now = clock.GetUtcNow();
        var matches = draft.Pairs.Select(p => (Members: (IReadOnlyList<DraftMember>)[p.A, p.B], p.Score, p.Sentence, LeadId: (string?)null, p.BuddyKind))
            .Concat(draft.Trios.Select(t => (t.Members, t.Score, t.Sentence, LeadId: (string?)null, BuddyKind: (string?)null)))
            .Concat(draft.Groups.Select(g => (g.Members, g.Score, g.Sentence, g.LeadId, BuddyKind: (string?)null)))
            .ToList();
        for (var i = 0; i < matches.Count; i++)
        {
            var key = WindowDocuments.Match(state.ProgramId, state.WindowId, i);
            var (formedBy, formedAt) = Origin(state.Choosing, matches[i].Members);
            await CreateOnceAsync(key, new PublishedMatch
            {
                Id = key.Id,
                ProgramId = state.ProgramId,
                WindowId = state.WindowId,
                Version = command.Version,
                Members = [.. matches[i].Members.Select(m => new MatchMember(m.Id, m.Name, m.Email, m.Role))],
                Score = matches[i].Score,
                Sentence = matches[i].Sentence,
                LeadId = matches[i].LeadId,
                BuddyKind = matches[i].BuddyKind,
                PublishedAt = now,
                FormedBy = formedBy,
                FormedAt = formedAt,
            }, ct);
        }
        await CreateOnceAsync(WindowDocuments.Round(state.ProgramId, state.WindowId),
            new RoundResult(state.WindowId, command.Version, now, [.. draft.Waitlist.Select(w => w.Person.Id).Distinct(StringComparer.Ordinal)],
                ChoosingRoundOf(state)), ct);
        // Every admin hears that the draft was approved and by whom (idempotent per admin and version).
        var program = await Program(state, ct);
        var approval = state.DecisionOn(command.Version);
        foreach (var admin in program.AdminEmails)
        {
            await mailer.SendAsync(AdminMail.Decided(program, state.WindowId, command.Version, new MailAddress(admin), DraftDecision.Approved,
                approval?.At ?? now, approval?.By, approval?.Reason, links.Dashboard(program.Id, admin)), ct);
        }
        return new PairsPublished(command.Version, matches.Count, now);
    }

    /// <summary>
    /// Publishing runs at least once: a rerun (a retry after a crash, a redelivered command) completes what is missing and
    /// never overwrites a match that engagement has moved on since (introduced, at risk, ended).
    /// </summary>
    private async Task CreateOnceAsync<T>(DocumentKey key, T value, CancellationToken ct)
    {
        try
        {
            await store.CreateAsync(key, value, ct);
        }
        catch (DocumentConflictException)
        {
            // already published by an earlier run of this command
        }
    }

    /// <summary>
    /// User-led rounds: a published match holding a pair formed while people chose carries that pair's origin and instant
    /// (from the window's state, so every retry writes the same); any other match is the engine's, formed at the deadline.
    /// </summary>
    private static (PairOrigin? By, DateTimeOffset? At) Origin(ChoosingState? choosing, IReadOnlyList<DraftMember> members)
    {
        if (choosing is null)
        {
            return (null, null);
        }
        var ids = members.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        if (choosing.Pairs.FirstOrDefault(p => ids.Contains(p.A) && ids.Contains(p.B)) is { } formed)
        {
            return (formed.By == PairFormedBy.MutualPick ? PairOrigin.MutualPick : PairOrigin.AcceptedRequest, formed.At);
        }
        return (PairOrigin.Fallback, choosing.EndsAt);
    }

    private static ChoosingRound? ChoosingRoundOf(WindowState state)
    {
        if (state.Choosing is not { } choosing)
        {
            return null;
        }
        var opened = state.ClosedAt ?? state.OpenedAt;
        int Count(RequestStatus status) => choosing.Requests.Count(r => r.Status == status);
        return new ChoosingRound(opened, choosing.EndsAt ?? opened + choosing.Plan.Period, choosing.Requests.Count,
            Count(RequestStatus.Accepted), Count(RequestStatus.Declined), Count(RequestStatus.Lapsed));
    }

    private async Task<IntrosSent> IntroduceAsync(WindowState state, MailIntros command, CancellationToken ct)
    {
        var program = await Program(state, ct);
        var draft = (await DraftAsync(state, command.Version, ct)).Draft;
        var participants = await SnapshotAsync(state, program, ct);
        // Suggest the first meeting after the approval, not after whenever this command happens to run.
        var approvedAt = state.DecisionOn(command.Version)?.At ?? clock.GetUtcNow();
        var intros = draft.Pairs.Select(p => IntroMailInput.ForPair(program, state.WindowId, p, approvedAt, participants))
            .Concat(draft.Trios.Concat(draft.Groups).Select(g => IntroMailInput.ForGroup(program, state.WindowId, g, approvedAt, participants)))
            .ToList();
        var now = clock.GetUtcNow();
        var failed = new List<string>();
        for (var i = 0; i < intros.Count; i++)
        {
            // One mail per member, each on its own key: a member whose mail fails costs the others nothing, and the
            // command's retry sends only what was not accepted yet.
            foreach (var member in intros[i].Members)
            {
                var deliveryKey = WindowDocuments.IntroDelivery(state.ProgramId, state.WindowId, i, member.Id);
                try
                {
                    await mailer.SendAsync(IntroMail.For(intros[i], member), ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failed.Add(member.Id);
                    var before = (await store.ReadAsync<IntroDelivery>(deliveryKey, ct))?.Value;
                    await store.UpsertAsync(deliveryKey, new IntroDelivery(state.WindowId, WindowDocuments.Match(state.ProgramId, state.WindowId, i).Id,
                        member.Id, (before?.FailedAttempts ?? 0) + 1, Work.FailureText.Describe(e), clock.GetUtcNow()), ct);
                    continue;
                }
                await store.UpdateAsync<IntroDelivery>(deliveryKey, d => d.SentAt is null ? d with { SentAt = clock.GetUtcNow() } : null, ct);
            }
            // Same order as PublishAsync wrote them: pairs, trios, groups. Check-ins count from this instant.
            await store.UpdateAsync<PublishedMatch>(WindowDocuments.Match(state.ProgramId, state.WindowId, i),
                m => m.IntroducedAt is null ? m with { IntroducedAt = now } : null, ct);
        }
        if (failed.Count > 0)
        {
            throw new IntroDeliveryFailedException(failed);
        }
        return new IntrosSent(command.Version, intros.Count, now);
    }
}

/// <summary>Some members' intros failed (each recorded as an <see cref="IntroDelivery"/>); the others went. The host retries the
/// command, which sends only the intros not accepted yet.</summary>
public sealed class IntroDeliveryFailedException(IReadOnlyList<string> participantIds)
    : Exception($"The intro mail of {participantIds.Count} member(s) failed and will be retried: {string.Join(", ", participantIds)}.")
{
    public IReadOnlyList<string> ParticipantIds { get; } = participantIds;
}
