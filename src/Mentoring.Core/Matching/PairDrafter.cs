using Mentoring.Core.Matching.Solver;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Matching;

/// <summary>
/// 1:1 drafts (cohort and evergreen programs): pins first, then the exact maximum-weight matching of everyone else
/// under the program's objective, then the odd-count policy (trio or waitlist) for whoever is left.
/// </summary>
internal static class PairDrafter
{
    public static PairDraft Draft(DraftContext ctx)
    {
        var pinned = new HashSet<int>(ctx.Pins.SelectMany(p => new[] { p.A, p.B }));
        var free = Enumerable.Range(0, ctx.Count).Where(i => !pinned.Contains(i)).ToArray();
        var weights = new PairingWeights(ctx, free);
        var outcome = ExactPairing.Solve(weights, ctx.Options);

        var chosen = new List<(int A, int B)>();
        var leftovers = new List<int>();
        for (var u = 0; u < free.Length; u++)
        {
            var m = outcome.Mate[u];
            if (m < 0)
            {
                leftovers.Add(free[u]);
            }
            else if (u < m)
            {
                chosen.Add((free[u], free[m]));
            }
        }

        var waitlist = new List<WaitlistEntry>();
        var stranded = new List<int>();
        foreach (var u in leftovers)
        {
            if (ctx.HasAllowedPartner(u))
            {
                stranded.Add(u);
            }
            else
            {
                waitlist.Add(ctx.Waitlisted(u, WaitlistReason.NoAllowedPartner, ctx.NoPartnerExplanation(u)));
            }
        }

        var trios = new List<(int A, int B, int Third)>();
        var policy = ctx.Program.Matching.OddCount;
        if (policy == OddCountPolicy.Trio && stranded.Count > 0)
        {
            var placed = TrioPlacement.Place(ctx, stranded, chosen);
            foreach (var (leftover, pairIndex) in placed)
            {
                trios.Add((chosen[pairIndex].A, chosen[pairIndex].B, leftover));
            }
            var inTrio = placed.Select(p => p.PairIndex).ToHashSet();
            chosen = [.. chosen.Where((_, i) => !inTrio.Contains(i))];
            stranded = [.. stranded.Where(u => !placed.Any(p => p.Leftover == u))];
        }
        var oddOne = free.Length % 2 == 1 && leftovers.Count == 1;
        var matched = chosen.SelectMany(p => new[] { p.A, p.B }).Concat(trios.SelectMany(t => new[] { t.A, t.B, t.Third })).ToList();
        foreach (var u in stranded)
        {
            var (reason, text) = StrandedReason(ctx, u, free, matched, oddOne);
            if (policy == OddCountPolicy.Trio)
            {
                text += ctx.Pins.Count == 0
                    ? "; no pair can take them as a third without breaking a rule"
                    : "; no pair can take them as a third without breaking a rule (pinned pairs stay pairs)";
            }
            waitlist.Add(ctx.Waitlisted(u, reason, text));
        }

        var pairs = ctx.Pins.Select(p => ctx.Pair(p.A, p.B, pinned: true))
            .Concat(chosen.Select(p => ctx.Pair(p.A, p.B)))
            .ToList();
        var trioGroups = trios.Select(t => ctx.Group([t.A, t.B, t.Third])).ToList();
        // Mean, lowest and highest compare pairs with trios, so a trio counts with the mean of its links; the total sums
        // every link (the total the solver maximised).
        var scores = pairs.Select(p => p.Score).Concat(trioGroups.Select(t => (int)Math.Round(t.MeanLinkScore, MidpointRounding.AwayFromZero))).ToList();
        var total = pairs.Sum(p => (long)p.Score) + trioGroups.Sum(t => (long)t.Score);
        return new PairDraft
        {
            ProgramId = ctx.Program.Id,
            Kind = ctx.Program.Kind,
            Objective = weights.Objective,
            OddCount = policy,
            At = ctx.Request.At,
            Pairs = pairs,
            Trios = trioGroups,
            Waitlist = waitlist,
            SetAside = ctx.SetAside,
            Stats = Stats.Of(ctx.Count, (2 * pairs.Count) + (3 * trioGroups.Count), waitlist.Count, pairs.Count, trioGroups.Count, 0, scores, total),
            Certificate = Certificate(ctx, weights, outcome, chosen.Count + trios.Count, trios.Count > 0),
            Notes = ctx.Notes,
        };
    }

    private static (WaitlistReason, string) StrandedReason(DraftContext ctx, int u, int[] free, List<int> matched, bool oddOne)
    {
        var name = ctx.Name(u);
        var freePartners = free.Where(j => ctx.Rules.Allows(u, j)).Select(ctx.Name).ToList();
        if (freePartners.Count == 0)
        {
            var pinnedPartners = ctx.Pins.SelectMany(p => new[] { p.A, p.B }).Where(j => ctx.Rules.Allows(u, j)).Select(ctx.Name).ToList();
            return (WaitlistReason.PartnersTaken, $"everyone they may be paired with is in a pinned pair ({English.Names(pinnedPartners)})");
        }
        if (oddOne)
        {
            var waitedAndPaired = matched.Where(j => ctx.WaitedLastRound[j]).Select(ctx.Name).ToList();
            var priority = ctx.WaitedLastRound[u]
                ? $"{name} also waited last round, but every arrangement that pairs them leaves out someone else who waited or pairs fewer people"
                : waitedAndPaired.Count == 0
                    ? "nobody was waitlisted last round"
                    : $"{English.Names(waitedAndPaired)} waited last round and had priority";
            return (WaitlistReason.OddCount,
                $"odd number of people to pair ({free.Length}), so one person has to wait; {priority}; leaving {name} out gives the best pairs for everyone else");
        }
        if (ctx.Program.Matching.Objective == MatchingObjective.HighestScore)
        {
            return (WaitlistReason.LowerTotalScore,
                $"pairing them would lower the total score, and this program asks for the highest total score over the most pairs (they could pair with {English.Names(freePartners)})");
        }
        return (WaitlistReason.PartnersTaken,
            $"each person they may be paired with ({English.Names(freePartners)}) is needed in another pair; pairing them would leave more people unpaired");
    }

    private static OptimalityCertificate Certificate(DraftContext ctx, PairingWeights weights, PairingOutcome outcome, int solvedPairs, bool hasTrios)
    {
        var objective = weights.Objective == MatchingObjective.HighestScore
            ? (weights.PrioritisesWaiting
                ? "first as many as possible of the people who waited last round, then the highest total score, then the most pairs"
                : "the highest total score, then the most pairs")
            : (weights.PrioritisesWaiting
                ? "the most people paired, then as many as possible of the people who waited last round, then the highest total score"
                : "the most people paired, then the highest total score");
        if (!outcome.Verification.IsOptimal)
        {
            return new OptimalityCertificate(false, objective,
                $"The pairs could not be proven optimal ({outcome.Verification.Reason}); treat this draft as a good one, not the best.",
                outcome.Method, outcome.AllowedPairs, outcome.Verification.Reason);
        }
        var statement = $"No other set of pairs scores higher: for {weights.NodeCount} people and every pair the hard rules allow, {(solvedPairs == 1 ? "this pair is" : $"these {solvedPairs} pairs are")} optimal for {objective}. " +
            "An independent check of the solver's dual certificate confirmed it.";
        if (ctx.Pins.Count > 0)
        {
            statement += ctx.Pins.Count == 1
                ? " The pinned pair was fixed first and is not part of that optimum."
                : $" The {English.Count(ctx.Pins.Count, "pinned pair")} were fixed first and are not part of that optimum.";
        }
        if (hasTrios)
        {
            statement += " Each third person then joined the pair where they add the most points.";
        }
        return new OptimalityCertificate(true, objective, statement, outcome.Method, outcome.AllowedPairs, null);
    }
}

/// <summary>Trio policy: leftovers join distinct drafted pairs (never a pinned pair: an admin fixed it as a pair), maximising first how many are placed, then the added score.</summary>
internal static class TrioPlacement
{
    public static List<(int Leftover, int PairIndex)> Place(DraftContext ctx, IReadOnlyList<int> leftovers, IReadOnlyList<(int A, int B)> pairs)
    {
        var edges = new List<(int U, int V, long Weight)>();
        var added = new List<(int L, int P, long Added)>();
        long maxAdded = 0;
        for (var l = 0; l < leftovers.Count; l++)
        {
            var x = leftovers[l];
            for (var p = 0; p < pairs.Count; p++)
            {
                var (a, b) = pairs[p];
                if (ctx.Rules.Allows(x, a) && ctx.Rules.Allows(x, b))
                {
                    long gain = ctx.Scorer.Score(x, a) + ctx.Scorer.Score(x, b);
                    maxAdded = Math.Max(maxAdded, gain);
                    added.Add((l, p, gain));
                }
            }
        }
        if (added.Count == 0)
        {
            return [];
        }
        // Leftovers are nodes 0..L-1, pairs L..L+P-1: a bipartite assignment solved by the same exact solver.
        var perPlacement = (maxAdded * leftovers.Count) + 1;
        foreach (var (l, p, gain) in added)
        {
            edges.Add((l, leftovers.Count + p, perPlacement + gain));
        }
        var graph = WeightedGraph.FromEdges(leftovers.Count + pairs.Count, edges);
        var mate = MaximumWeightMatching.Solve(graph).Mate;
        var placed = new List<(int, int)>();
        for (var l = 0; l < leftovers.Count; l++)
        {
            if (mate[l] >= 0)
            {
                placed.Add((leftovers[l], mate[l] - leftovers.Count));
            }
        }
        return placed;
    }
}

internal static class Stats
{
    public static DraftStats Of(int people, int matched, int waitlisted, int pairs, int trios, int groups, IReadOnlyList<int> scores, long? total = null) =>
        new(people, matched, waitlisted, pairs, trios, groups,
            total ?? scores.Sum(s => (long)s),
            scores.Count == 0 ? 0 : Math.Round(scores.Average(), 2),
            scores.Count == 0 ? 0 : scores.Min(),
            scores.Count == 0 ? 0 : scores.Max());
}
