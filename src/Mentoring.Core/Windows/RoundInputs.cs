using Mentoring.Core.Matching;
using Mentoring.Core.Matching.Roles;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Windows;

/// <summary>
/// What a matching round starts from, read the same way by a window and by the match-preview: who takes part and
/// what earlier rounds left behind (pairs never to repeat, who waited, how many active pairs each person holds).
/// </summary>
public static class RoundInputs
{
    /// <summary>The published matches and round results of a program.</summary>
    public static async Task<(IReadOnlyList<PublishedMatch> Matches, IReadOnlyList<RoundResult> Rounds)> ReadAsync(
        IDocumentStore store, string programId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var matches = await store.QueryAllAsync<PublishedMatch>(programId, WindowDocuments.MatchKind, cancellationToken);
        var rounds = await store.QueryAllAsync<RoundResult>(programId, WindowDocuments.RoundKind, cancellationToken);
        return ([.. matches.Select(m => m.Value)], [.. rounds.Select(r => r.Value)]);
    }

    /// <summary>
    /// Evergreen rounds match newcomers and people with free capacity: whoever holds as many active pairs as their
    /// capacity (1 for peers, mentees and led-group leads, the capacity answer for mentors) sits this round out, so a rematch request or
    /// an ended pair frees exactly one slot. Cohorts take everyone registered.
    /// </summary>
    public static IReadOnlyList<Participant> Eligible(MentoringProgram program, IReadOnlyList<Participant> registered, IEnumerable<PublishedMatch> matches)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(registered);
        if (program.Kind != ProgramKind.Evergreen)
        {
            return registered;
        }
        var held = ActivePairings(matches, windowId: null);
        return [.. registered.Where(p => held.GetValueOrDefault(p.Id) < MentorMenteeDrafter.ConcurrentMatches(program, p))];
    }

    /// <summary>The history a round of window <paramref name="windowId"/> (null: a round not yet opened) is drafted against.</summary>
    public static MatchingHistory History(IEnumerable<PublishedMatch> matches, IEnumerable<RoundResult> rounds, string? windowId)
    {
        var earlier = matches.Where(m => m.WindowId != windowId).ToList();
        var lastRound = rounds.Where(r => r.WindowId != windowId).MaxBy(r => r.PublishedAt);
        return new MatchingHistory
        {
            PreviousGroups = [.. earlier.Select(m => (IReadOnlyList<string>)[.. m.Members.Select(x => x.ParticipantId)])],
            WaitlistedLastRound = lastRound?.WaitlistedParticipantIds ?? [],
            ActivePairings = ActivePairings(earlier, windowId),
        };
    }

    private static Dictionary<string, int> ActivePairings(IEnumerable<PublishedMatch> matches, string? windowId) =>
        matches.Where(m => m.WindowId != windowId && m.Status == MatchStatus.Active)
            .SelectMany(m => m.Members).CountBy(x => x.ParticipantId, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
}
