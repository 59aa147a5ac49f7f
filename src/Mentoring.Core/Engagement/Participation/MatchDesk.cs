using Mentoring.Core.Common;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Engagement.Participation;

/// <summary>A published match as admins see it: the match and what its check-ins add up to.</summary>
public sealed record MatchSummary(PublishedMatch Match, int Meetings, int Minutes, double Hours, int CheckInsSent, int CheckInsAnswered,
    CheckInRecord? LastCheckIn);

/// <summary>What a rematch request changed: the participant (with RematchRequestedAt) and the matches it ended.</summary>
public sealed record RematchOutcome(Participant Participant, IReadOnlyList<PublishedMatch> EndedMatches);

/// <summary>Admins' view of published matches: list with check-in figures, end a match, mark a participant for a rematch.</summary>
public sealed class MatchDesk(IDocumentStore store, ProgramCatalog programs, TimeProvider clock)
{
    public const string RematchReason = "rematch requested";
    public const string WithdrawnReason = "participant withdrew";
    public const int MaxReasonLength = 500;

    public async Task<IReadOnlyList<MatchSummary>> ListAsync(string programId, MatchStatus? status, bool? atRisk, CancellationToken cancellationToken = default)
    {
        await programs.GetAsync(programId, cancellationToken);
        var matches = await store.QueryAllAsync<PublishedMatch>(programId, WindowDocuments.MatchKind, cancellationToken);
        var checkIns = (await store.QueryAllAsync<CheckInRecord>(programId, EngagementDocuments.CheckInKind, cancellationToken))
            .Select(r => r.Value).ToLookup(r => r.MatchId, StringComparer.Ordinal);
        return [.. matches.Select(m => m.Value)
            .Where(m => status is null || m.Status == status)
            .Where(m => atRisk is null || (m.AtRiskSince is not null && m.Status == MatchStatus.Active) == atRisk)
            .OrderBy(m => m.PublishedAt).ThenBy(m => m.Id, StringComparer.Ordinal)
            .Select(m =>
            {
                var tally = CheckInTally.Of(checkIns[m.Id]);
                return new MatchSummary(m, tally.Meetings, tally.Minutes, tally.Hours, tally.Nudges, tally.Answers, tally.LastAnswer);
            })];
    }

    /// <summary>Ends an active match. Ending an ended match changes nothing and returns it as it is.</summary>
    public async Task<PublishedMatch> EndAsync(string programId, string matchId, string? reason, CancellationToken cancellationToken = default)
    {
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            throw new ValidationFailedException("reason", Rules.Required, "Say why the match ends (for example \"moved teams\"); the reason is kept with the match.");
        }
        if (reason.Length > MaxReasonLength)
        {
            throw new ValidationFailedException("reason", Rules.TooLong, $"Keep the reason under {MaxReasonLength} characters.");
        }
        await programs.GetAsync(programId, cancellationToken);
        return await EndMatchAsync(programId, matchId, reason, cancellationToken)
            ?? throw new NotFoundException($"Match '{matchId}'");
    }

    /// <summary>
    /// Evergreen programs: marks the participant for the next matching round (RematchRequestedAt) and ends one active
    /// match of theirs with the reason "rematch requested", which frees exactly one of their slots. <paramref name="matchId"/>
    /// names the match (a participant's link carries it); without it the person's only active match ends, and someone who
    /// holds several (a mentor with mentees) must say which.
    /// </summary>
    public async Task<RematchOutcome> RequestRematchAsync(string programId, string participantId, string? matchId = null, CancellationToken cancellationToken = default)
    {
        var program = (await programs.GetAsync(programId, cancellationToken)).Value;
        if (program.Kind != ProgramKind.Evergreen)
        {
            throw new ConflictException($"'{program.Name}' is a {program.Kind.ToString().ToLowerInvariant()} program; rematches are for evergreen programs, whose matching rounds repeat.");
        }
        var active = await ActiveMatchesOfAsync(programId, participantId, cancellationToken);
        matchId = string.IsNullOrWhiteSpace(matchId) ? null : matchId.Trim();
        if (matchId is not null && active.All(m => m.Id != matchId))
        {
            throw new ValidationFailedException("matchId", Rules.OptionNotAllowed, $"'{matchId}' is not an active match of participant '{participantId}'.");
        }
        if (matchId is null && active.Count > 1)
        {
            throw new ValidationFailedException("matchId", Rules.Required,
                $"Participant '{participantId}' holds {active.Count} active matches ({string.Join(", ", active.Select(m => m.Id))}); name the one that ends in matchId.");
        }
        var participant = await UpdateParticipantAsync(programId, participantId, p => p.Status != ParticipantStatus.Registered
            ? throw new ConflictException($"Participant '{participantId}' has withdrawn and cannot be rematched.")
            : p.RematchRequestedAt is null ? p with { RematchRequestedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow() } : null, cancellationToken)
            ?? throw new NotFoundException($"Participant '{participantId}'");
        var ended = new List<PublishedMatch>();
        foreach (var match in active.Where(m => matchId is null || m.Id == matchId))
        {
            if (await EndMatchAsync(programId, match.Id, RematchReason, cancellationToken) is { } done)
            {
                ended.Add(done);
            }
        }
        return new RematchOutcome(participant, ended);
    }

    /// <summary>The active matches <paramref name="participantId"/> is a member of.</summary>
    public async Task<IReadOnlyList<PublishedMatch>> ActiveMatchesOfAsync(string programId, string participantId, CancellationToken cancellationToken = default) =>
        [.. (await store.QueryAllAsync<PublishedMatch>(programId, WindowDocuments.MatchKind, cancellationToken))
            .Select(m => m.Value)
            .Where(m => m.Status == MatchStatus.Active && m.Members.Any(x => x.ParticipantId == participantId))];

    /// <summary>Ends the match if it is active (ETag-safe). Null when there is no such match.</summary>
    internal async Task<PublishedMatch?> EndMatchAsync(string programId, string matchId, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await UpdateMatchAsync(store, programId, matchId, m => m.Status == MatchStatus.Active
            ? m with { Status = MatchStatus.Ended, EndedAt = now, EndReason = reason, AtRiskSince = null }
            : null, cancellationToken);
    }

    /// <summary>
    /// Read-modify-write of one match under its ETag, retried when someone wrote in between. <paramref name="change"/>
    /// returns null for "nothing to change". Returns the match as stored afterwards, or null when it does not exist.
    /// </summary>
    internal static async Task<PublishedMatch?> UpdateMatchAsync(IDocumentStore store, string programId, string matchId,
        Func<PublishedMatch, PublishedMatch?> change, CancellationToken cancellationToken) =>
        (await store.UpdateAsync(CheckInDocuments.Match(programId, matchId), change, cancellationToken))?.Value;

    /// <summary>Read-modify-write of one participant under its ETag (null from <paramref name="change"/>: nothing to change).</summary>
    internal async Task<Participant?> UpdateParticipantAsync(string programId, string participantId, Func<Participant, Participant?> change,
        CancellationToken cancellationToken) =>
        (await store.UpdateAsync(ParticipantRegistry.KeyOf(programId, participantId), change, cancellationToken))?.Value;
}
