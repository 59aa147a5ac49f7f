using Mentoring.Core.Matching.Bipartite;
using Mentoring.Core.Matching.Solver;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Matching.Roles;

/// <summary>
/// Onboarding buddies: every newcomer gets one buddy of each kind the program lists. Solved as one exact b-matching per
/// kind (newcomers take one buddy of that kind, a buddy takes up to the kind's capacity of newcomers, among the people
/// who answered yes to the kind's eligibility question), each certified by its node potentials.
/// <para>
/// Not jointly: the rule "nobody is the same newcomer's buddy twice" couples the kinds, and with it the problem is no
/// longer one b-matching (a flow cannot keep a buddy's slots of two kinds apart). Without that rule the kinds are
/// independent, so the sum of the per-kind optima bounds every joint answer. When the per-kind optima never pick the
/// same person twice for one newcomer, they are jointly optimal. Otherwise, for each clash, the pair is withheld from
/// whichever of the two kinds loses less by re-solving without it, and so on until no clash is left; the draft states
/// the distance to the bound.
/// </para>
/// Each pair is (A = buddy, B = newcomer) with its <see cref="DraftPair.BuddyKind"/>.
/// </summary>
internal static class BuddyDrafter
{
    private sealed record KindSolution(BipartiteGraph Graph, BipartiteSolution Solution, VerificationResult Verification, int[] Buddies, int[] Newcomers)
    {
        public IEnumerable<(int Buddy, int Newcomer)> Pairs()
        {
            for (var e = 0; e < Graph.EdgeCount; e++)
            {
                if (Solution.Chosen[e])
                {
                    yield return (Buddies[Graph.EdgeRight[e]], Newcomers[Graph.EdgeLeft[e]]);
                }
            }
        }

        public (long Edges, long Weight) Value => (Solution.MatchedEdges, Solution.TotalWeight);
    }

    public static PairDraft Draft(DraftContext ctx)
    {
        var program = ctx.Program;
        var kinds = program.Buddies.Kinds;
        var newcomers = Enumerable.Range(0, ctx.Count).Where(i => !IsBuddy(ctx, i)).ToArray();
        var eligible = kinds.Select(k => Enumerable.Range(0, ctx.Count).Where(i => IsBuddy(ctx, i) && Eligible(ctx, i, k)).ToArray()).ToArray();
        var withheld = kinds.Select(_ => new HashSet<(int Buddy, int Newcomer)>()).ToArray();

        var solutions = kinds.Select((k, i) => Solve(ctx, k, eligible[i], newcomers, withheld[i])).ToArray();
        var bound = (Edges: solutions.Sum(s => s.Value.Edges), Weight: solutions.Sum(s => s.Value.Weight));
        var clashes = 0;
        while (FirstClash(solutions) is { } clash)
        {
            clashes++;
            // Withhold the pair from one of the two kinds: the one whose re-solve loses less.
            var (k1, k2, pair) = clash;
            withheld[k1].Add(pair);
            var without1 = Solve(ctx, kinds[k1], eligible[k1], newcomers, withheld[k1]);
            withheld[k1].Remove(pair);
            withheld[k2].Add(pair);
            var without2 = Solve(ctx, kinds[k2], eligible[k2], newcomers, withheld[k2]);
            var loss1 = Loss(ctx, solutions[k1], without1);
            var loss2 = Loss(ctx, solutions[k2], without2);
            if (loss1.CompareTo(loss2) < 0)
            {
                withheld[k2].Remove(pair);
                withheld[k1].Add(pair);
                solutions[k1] = without1;
            }
            else
            {
                solutions[k2] = without2;
            }
        }

        var pairs = new List<DraftPair>();
        var waitlist = new List<WaitlistEntry>();
        var held = new Dictionary<int, List<int>>();
        for (var k = 0; k < kinds.Count; k++)
        {
            var chosen = solutions[k].Pairs().ToList();
            var load = chosen.CountBy(p => p.Buddy).ToDictionary();
            foreach (var (buddy, newcomer) in chosen)
            {
                var pair = ctx.Pair(buddy, newcomer);
                pairs.Add(pair with { Sentence = $"{ctx.Name(buddy)} is {ctx.Name(newcomer)}'s {kinds[k].Name}: {pair.Sentence}", BuddyKind = kinds[k].Key });
                (held.TryGetValue(buddy, out var list) ? list : held[buddy] = []).Add(k);
            }
            var served = chosen.Select(p => p.Newcomer).ToHashSet();
            foreach (var n in newcomers.Where(n => !served.Contains(n)))
            {
                waitlist.Add(NoBuddy(ctx, kinds[k], eligible[k], n, load, withheld[k]) with { BuddyKind = kinds[k].Key });
            }
        }
        pairs = [.. pairs.OrderBy(p => p.B.Id, StringComparer.Ordinal).ThenBy(p => kinds.ToList().FindIndex(k => k.Key == p.BuddyKind))];
        foreach (var b in Enumerable.Range(0, ctx.Count).Where(i => IsBuddy(ctx, i) && !held.ContainsKey(i)))
        {
            waitlist.Add(UnusedBuddy(ctx, kinds, b));
        }

        var matched = pairs.SelectMany(p => new[] { p.A.Id, p.B.Id }).ToHashSet(StringComparer.Ordinal);
        return new PairDraft
        {
            ProgramId = program.Id,
            Kind = program.Kind,
            Objective = program.Matching.Objective,
            OddCount = program.Matching.OddCount,
            At = ctx.Request.At,
            Pairs = pairs,
            Waitlist = waitlist,
            SetAside = ctx.SetAside,
            Stats = Stats.Of(ctx.Count, matched.Count, waitlist.Select(w => w.Person.Id).Distinct(StringComparer.Ordinal).Count(), pairs.Count, 0, 0,
                [.. pairs.Select(p => p.Score)]),
            Certificate = Certificate(ctx, kinds, solutions, bound, clashes),
            Notes = ctx.Notes,
        };
    }

    /// <summary>What re-solving a kind without one pair costs, in the objective's order.</summary>
    private static (long, long) Loss(DraftContext ctx, KindSolution before, KindSolution after) =>
        ctx.Program.Matching.Objective == MatchingObjective.HighestScore
            ? (0, before.Value.Weight - after.Value.Weight)
            : (before.Value.Edges - after.Value.Edges, before.Value.Weight - after.Value.Weight);

    internal static bool IsBuddy(DraftContext ctx, int i) =>
        MentorMenteeDrafter.Answer(ctx, i, BuiltInQuestions.Role) == BuiltInQuestions.RoleOptions.Buddy;

    internal static bool Eligible(DraftContext ctx, int i, BuddyKind kind) =>
        string.Equals(MentorMenteeDrafter.Answer(ctx, i, kind.Eligibility), BuiltInQuestions.Yes, StringComparison.OrdinalIgnoreCase);

    private static KindSolution Solve(DraftContext ctx, BuddyKind kind, int[] buddies, int[] newcomers, HashSet<(int Buddy, int Newcomer)> withheld)
    {
        var edges = new List<(int, int, long)>();
        for (var l = 0; l < newcomers.Length; l++)
        {
            for (var r = 0; r < buddies.Length; r++)
            {
                if (ctx.Rules.Allows(buddies[r], newcomers[l]) && !withheld.Contains((buddies[r], newcomers[l])))
                {
                    // +1: a pair that scores 0 is still a pair (the most-pairs objective counts it).
                    edges.Add((l, r, ctx.Scorer.Score(buddies[r], newcomers[l]) + 1L));
                }
            }
        }
        var graph = BipartiteGraph.FromEdges(Enumerable.Repeat(1, newcomers.Length).ToArray(), Enumerable.Repeat(kind.Capacity, buddies.Length).ToArray(), edges);
        var solution = BipartiteMatching.Solve(graph, ctx.Program.Matching.Objective);
        return new KindSolution(graph, solution, BipartiteVerifier.Verify(graph, solution), buddies, newcomers);
    }

    /// <summary>A newcomer who got the same person as buddy in two kinds: the two kind indexes and the pair.</summary>
    private static (int K1, int K2, (int Buddy, int Newcomer) Pair)? FirstClash(KindSolution[] solutions)
    {
        var seen = new Dictionary<(int, int), int>();
        for (var k = 0; k < solutions.Length; k++)
        {
            foreach (var pair in solutions[k].Pairs().Order())
            {
                if (seen.TryGetValue(pair, out var first))
                {
                    return (first, k, pair);
                }
                seen[pair] = k;
            }
        }
        return null;
    }

    private static WaitlistEntry NoBuddy(DraftContext ctx, BuddyKind kind, int[] eligible, int newcomer, Dictionary<int, int> load, HashSet<(int Buddy, int Newcomer)> withheld)
    {
        var name = ctx.Name(newcomer);
        if (eligible.Length == 0)
        {
            return ctx.Waitlisted(newcomer, WaitlistReason.NoAllowedPartner, $"no {kind.Name} for {name}: nobody in this round can be a {kind.Name}");
        }
        var allowed = eligible.Where(b => ctx.Rules.Allows(b, newcomer)).ToList();
        if (allowed.Count == 0)
        {
            return ctx.Waitlisted(newcomer, WaitlistReason.NoAllowedPartner,
                $"no {kind.Name} for {name}: every {kind.Name} ({English.Names([.. eligible.Select(ctx.Name)])}) is excluded by a hard rule (manager line, do-not-match, paired before or forbidden)");
        }
        var open = allowed.Where(b => !withheld.Contains((b, newcomer))).ToList();
        if (open.Count == 0)
        {
            return ctx.Waitlisted(newcomer, WaitlistReason.NoAllowedPartner,
                $"no {kind.Name} for {name}: {English.Names([.. allowed.Select(ctx.Name)])} may be one, but {(allowed.Count == 1 ? "is" : "are")} already {name}'s buddy of another kind");
        }
        var full = open.Where(b => load.GetValueOrDefault(b) >= kind.Capacity).Select(ctx.Name).ToList();
        return ctx.Waitlisted(newcomer, WaitlistReason.PartnersTaken,
            $"no {kind.Name} with capacity left for {name}: " + (full.Count > 0 ? $"{English.Names(full)} {(full.Count == 1 ? "is" : "are")} full" : "the others would lower the total score") +
            (full.Count > 0 && full.Count < open.Count ? "; the others would lower the total score" : ""));
    }

    private static WaitlistEntry UnusedBuddy(DraftContext ctx, IReadOnlyList<BuddyKind> kinds, int buddy)
    {
        var name = ctx.Name(buddy);
        var eligibleFor = kinds.Where(k => Eligible(ctx, buddy, k)).Select(k => k.Name).ToList();
        return eligibleFor.Count == 0
            ? ctx.Waitlisted(buddy, WaitlistReason.NoAllowedPartner, $"{name} said yes to no kind of buddy ({English.Join([.. kinds.Select(k => k.Name)])})")
            : ctx.Waitlisted(buddy, WaitlistReason.PartnersTaken, $"no newcomer needs {name} as {English.Join([.. eligibleFor])} this round: every newcomer has one, or a better-placed one");
    }

    private static OptimalityCertificate Certificate(DraftContext ctx, IReadOnlyList<BuddyKind> kinds, KindSolution[] solutions,
        (long Edges, long Weight) bound, int clashes)
    {
        var objective = ctx.Program.Matching.Objective == MatchingObjective.HighestScore
            ? "the highest total score"
            : "the most newcomers given a buddy of each kind, then the highest total score";
        const string method = "one exact bipartite b-matching per buddy kind (shortest augmenting paths with node potentials), each buddy up to the kind's capacity; the kinds are not solved jointly";
        var edges = solutions.Sum(s => (long)s.Graph.EdgeCount);
        var failed = solutions.Select((s, k) => (s, k)).FirstOrDefault(x => !x.s.Verification.IsOptimal);
        if (failed.s is not null)
        {
            return new OptimalityCertificate(false, objective,
                $"The {kinds[failed.k].Name} pairs could not be proven optimal ({failed.s.Verification.Reason}); treat this draft as a good one, not the best.",
                method, edges, failed.s.Verification.Reason);
        }
        var total = (Edges: solutions.Sum(s => s.Value.Edges), Weight: solutions.Sum(s => s.Value.Weight));
        var statement = $"Each kind of buddy ({English.Join([.. kinds.Select(k => k.Name)])}) was matched by its own exact b-matching, optimal for {objective} and proven by an independent check of its node potentials. ";
        statement += clashes == 0
            ? "No newcomer got the same person as buddy twice, so the kinds together are optimal too."
            : $"{English.Count(clashes, "newcomer-buddy pair")} came up in two kinds and {(clashes == 1 ? "was" : "were")} kept in one only; the draft is within {bound.Edges - total.Edges} pairs and {bound.Weight - total.Weight} points of the best the kinds could reach apart.";
        return new OptimalityCertificate(true, objective, statement, method, edges, null);
    }
}
