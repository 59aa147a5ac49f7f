using System.Globalization;
using Mentoring.Core.Matching.Bipartite;
using Mentoring.Core.Matching.Solver;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Matching.Roles;

/// <summary>
/// Mentor/mentee and reverse-mentoring drafts: an exact maximum-weight bipartite b-matching (mentors up to their
/// capacity, mentees one mentor each) under the program's objective, certified by node potentials.
/// <para>
/// "Either": such a person is put on both sides and the b-matching is solved without the rule that they keep one
/// side. That relaxation's optimum bounds every real assignment. If nobody who said either ends up on both sides, it
/// is feasible and so exactly optimal. Otherwise each such person is fixed to the side where their edges weigh more
/// and the rest is solved again; the draft then states the gap to the bound (zero means still proven optimal).
/// </para>
/// Pins (an admin's, or the pairs people formed in a user-led window) are read as (mentor, mentee), or the other way
/// round when only that fits the sides. They are fixed first: the pinned mentee leaves the problem and the mentor keeps
/// the rest of their capacity, so the optimum is over the remaining people and capacity.
/// Each pair is (A = mentor, B = mentee).
/// </summary>
internal static class MentorMenteeDrafter
{
    /// <summary>Placed: a mentee already given a mentor by a pin, outside the solve.</summary>
    internal enum Side { Mentor, Mentee, Both, Placed }

    public static PairDraft Draft(DraftContext ctx)
    {
        var program = ctx.Program;
        var (side, capacity) = Sides(ctx);
        var level = Levels(ctx);
        var notes = new List<string>(ctx.Notes);
        var pins = Pin(ctx, side, capacity, notes);
        var (best, relaxed, fixedSides) = Assign(ctx, side, capacity, level, notes);

        var pairs = pins.Select(p => RolePair(ctx, p.Mentor, p.Mentee, pinned: true)).Concat(best.Pairs.Select(p => RolePair(ctx, p.Mentor, p.Mentee))).ToList();
        var matched = pins.Concat(best.Pairs).SelectMany(p => new[] { p.Mentor, p.Mentee }).ToHashSet();
        var waitlist = new List<WaitlistEntry>();
        for (var i = 0; i < ctx.Count; i++)
        {
            if (!matched.Contains(i))
            {
                waitlist.Add(Waitlisted(ctx, i, side[i], best, capacity));
            }
        }

        var scores = pairs.Select(p => p.Score).ToList();
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
            Stats = Stats.Of(ctx.Count, matched.Count, waitlist.Count, pairs.Count, 0, 0, scores),
            Certificate = Certificate(ctx, best, relaxed, fixedSides, pins.Count),
            Notes = notes,
        };
    }

    /// <summary>Each person's side from the role answer, and their free capacity (evergreen: pairs they hold use part of it).</summary>
    internal static (Side[] Side, int[] Capacity) Sides(DraftContext ctx)
    {
        var side = new Side[ctx.Count];
        var capacity = new int[ctx.Count];
        for (var i = 0; i < ctx.Count; i++)
        {
            side[i] = Answer(ctx, i, BuiltInQuestions.Role) switch
            {
                BuiltInQuestions.RoleOptions.Mentor => Side.Mentor,
                BuiltInQuestions.RoleOptions.Either => Side.Both,
                _ => Side.Mentee,
            };
            capacity[i] = Math.Max(0, CapacityOf(ctx.Program, ctx.People[i]) - ctx.Request.History.ActivePairings.GetValueOrDefault(ctx.People[i].Id));
        }
        return (side, capacity);
    }

    /// <summary>
    /// Fixes the pinned pairs: each mentee is placed, each mentor keeps the rest of their capacity (none for people who
    /// take nobody beyond their pins), and an "either" person plays the side their pin gives them. Pins that cannot hold
    /// (two mentors, a mentee pinned twice, a mentor past capacity) are dropped with a note.
    /// </summary>
    private static List<(int Mentor, int Mentee)> Pin(DraftContext ctx, Side[] side, int[] capacity, List<string> notes)
    {
        var pins = new List<(int Mentor, int Mentee)>();
        foreach (var (a, b) in ctx.Pins)
        {
            static bool CanMentor(Side s) => s is Side.Mentor or Side.Both;
            static bool CanBeMentored(Side s) => s is Side.Mentee or Side.Both;
            (int Mentor, int Mentee)? pin = CanMentor(side[a]) && CanBeMentored(side[b]) ? (a, b)
                : CanMentor(side[b]) && CanBeMentored(side[a]) ? (b, a)
                : null;
            if (pin is not { } p)
            {
                notes.Add($"Pinned pair {ctx.Name(a)} & {ctx.Name(b)} was not kept: {(side[a] == Side.Placed || side[b] == Side.Placed ? "a mentee can be pinned to only one mentor" : "one of them must be a mentor and the other a mentee")}.");
                continue;
            }
            if (capacity[p.Mentor] == 0)
            {
                notes.Add($"Pinned pair {ctx.Name(p.Mentor)} & {ctx.Name(p.Mentee)} was not kept: {ctx.Name(p.Mentor)} has no capacity left for another mentee.");
                continue;
            }
            capacity[p.Mentor]--;
            side[p.Mentor] = Side.Mentor;
            side[p.Mentee] = Side.Placed;
            pins.Add(p);
        }
        var pinnedOnly = new HashSet<string>(ctx.Request.PinnedOnlyParticipantIds, StringComparer.Ordinal);
        for (var i = 0; i < ctx.Count; i++)
        {
            if (pinnedOnly.Contains(ctx.People[i].Id) && pins.Any(p => p.Mentor == i))
            {
                capacity[i] = 0;
            }
        }
        return pins;
    }

    /// <summary>
    /// The b-matching for the given sides and capacities, with "either" resolved as the class comment says (sides of
    /// people fixed on the way are written back to <paramref name="side"/>). <paramref name="withheld"/> are
    /// (mentor, mentee) pairs the caller rules out on top of the hard rules (led groups: conflicts inside a group).
    /// </summary>
    internal static (Outcome Best, Outcome Relaxed, int FixedSides) Assign(DraftContext ctx, Side[] side, int[] capacity, int?[] level, List<string> notes,
        IReadOnlySet<(int Mentor, int Mentee)>? withheld = null)
    {
        var reverse = ctx.Program.Pairing == PairingShape.Reverse;
        var either = Enumerable.Range(0, ctx.Count).Where(i => side[i] == Side.Both).ToList();
        var relaxed = Solve(ctx, side, capacity, level, reverse, withheld);
        var best = relaxed;
        var conflicted = either.Where(i => best.AsMentor[i] > 0 && best.AsMentee[i] > 0).ToList();
        var fixedSides = 0;
        while (conflicted.Count > 0)
        {
            foreach (var i in conflicted)
            {
                side[i] = best.MentorWeight[i] >= best.MenteeWeight[i] ? Side.Mentor : Side.Mentee;
                fixedSides++;
            }
            best = Solve(ctx, side, capacity, level, reverse, withheld);
            conflicted = [.. Enumerable.Range(0, ctx.Count).Where(i => side[i] == Side.Both && best.AsMentor[i] > 0 && best.AsMentee[i] > 0)];
        }

        var mentorWord = ctx.Program.Pairing == PairingShape.GroupsLed ? "leads a group" : "mentors";
        foreach (var i in either)
        {
            var role = best.AsMentor[i] > 0 ? mentorWord : best.AsMentee[i] > 0 ? "is mentored" : "is not matched";
            notes.Add($"{ctx.Name(i)} said either; the solver chose: {ctx.Name(i)} {role} in this draft.");
        }
        return (best, relaxed, fixedSides);
    }

    /// <summary>How many pairs a person may hold at once: their capacity answer (1..maxMentees) in roles programs, else 1.</summary>
    public static int CapacityOf(MentoringProgram program, Participants.Participant person)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(person);
        if (program.Pairing is not (PairingShape.MentorMentee or PairingShape.Reverse or PairingShape.GroupsLed)
            || person.SingleAnswer(BuiltInQuestions.Role) == BuiltInQuestions.RoleOptions.Mentee)
        {
            return 1;
        }
        var answered = int.TryParse(person.SingleAnswer(BuiltInQuestions.Capacity), NumberStyles.None, CultureInfo.InvariantCulture, out var c);
        if (program.Pairing == PairingShape.GroupsLed)
        {
            // A lead's capacity is their group size; a lead who did not say takes the program's largest group.
            var min = Math.Min(program.Roles.MinMentees ?? ProgramValidator.MinLedGroupMentees, program.Roles.MaxMentees);
            return answered ? Math.Clamp(c, min, program.Roles.MaxMentees) : program.Roles.MaxMentees;
        }
        return answered ? Math.Clamp(c, 1, program.Roles.MaxMentees) : 1;
    }

    /// <summary>How many matches a person may hold at once: a lead of a led group holds one group (of up to their capacity), others their capacity.</summary>
    public static int ConcurrentMatches(MentoringProgram program, Participants.Participant person)
    {
        ArgumentNullException.ThrowIfNull(program);
        return program.Pairing is PairingShape.GroupsLed or PairingShape.Buddies ? 1 : CapacityOf(program, person);
    }

    internal sealed record Outcome(
        List<(int Mentor, int Mentee)> Pairs, int[] AsMentor, int[] AsMentee, long[] MentorWeight, long[] MenteeWeight,
        BipartiteGraph Graph, BipartiteSolution Solution, VerificationResult Verification, int[] Mentors, int[] Mentees);

    private static Outcome Solve(DraftContext ctx, Side[] side, int[] capacity, int?[] level, bool reverse, IReadOnlySet<(int Mentor, int Mentee)>? withheld)
    {
        var mentors = Enumerable.Range(0, ctx.Count).Where(i => side[i] is Side.Mentor or Side.Both).ToArray();
        var mentees = Enumerable.Range(0, ctx.Count).Where(i => side[i] is Side.Mentee or Side.Both).ToArray();
        var edges = new List<(int, int, long)>();
        for (var l = 0; l < mentees.Length; l++)
        {
            for (var r = 0; r < mentors.Length; r++)
            {
                if (Allowed(ctx, mentors[r], mentees[l], level, reverse) && withheld?.Contains((mentors[r], mentees[l])) != true)
                {
                    // +1: a pair that scores 0 is still a pair (the most-pairs objective counts it).
                    edges.Add((l, r, ctx.Scorer.Score(mentors[r], mentees[l]) + 1L));
                }
            }
        }

        var graph = BipartiteGraph.FromEdges(
            Enumerable.Repeat(1, mentees.Length).ToArray(),
            [.. mentors.Select(m => capacity[m])],
            edges);
        var solution = BipartiteMatching.Solve(graph, ctx.Program.Matching.Objective);
        var verification = BipartiteVerifier.Verify(graph, solution);
        var pairs = new List<(int, int)>();
        var asMentor = new int[ctx.Count];
        var asMentee = new int[ctx.Count];
        var mentorWeight = new long[ctx.Count];
        var menteeWeight = new long[ctx.Count];
        for (var e = 0; e < graph.EdgeCount; e++)
        {
            if (solution.Chosen[e])
            {
                int mentor = mentors[graph.EdgeRight[e]], mentee = mentees[graph.EdgeLeft[e]];
                pairs.Add((mentor, mentee));
                asMentor[mentor]++;
                asMentee[mentee]++;
                mentorWeight[mentor] += graph.EdgeWeight[e];
                menteeWeight[mentee] += graph.EdgeWeight[e];
            }
        }

        pairs.Sort();
        return new Outcome(pairs, asMentor, asMentee, mentorWeight, menteeWeight, graph, solution, verification, mentors, mentees);
    }

    /// <summary>Hard rules, not oneself, and the seniority gap on the level scale (when both gave a level).</summary>
    internal static bool Allowed(DraftContext ctx, int mentor, int mentee, int?[] level, bool reverse)
    {
        if (mentor == mentee || !ctx.Rules.Allows(mentor, mentee))
        {
            return false;
        }
        if (level[mentor] is not { } lm || level[mentee] is not { } le)
        {
            return true;
        }
        var gap = ctx.Program.Roles.SeniorityGap;
        return reverse ? le - lm >= gap : lm - le >= gap;
    }

    internal static int?[] Levels(DraftContext ctx)
    {
        var q = ctx.Program.Questionnaire.Find(BuiltInQuestions.Level);
        var levels = new int?[ctx.Count];
        if (q is null || q.Type != QuestionType.OrdinalScale)
        {
            return levels;
        }
        for (var i = 0; i < ctx.Count; i++)
        {
            var answer = Answer(ctx, i, BuiltInQuestions.Level);
            var at = answer is null ? -1 : q.Options.ToList().FindIndex(o => string.Equals(o, answer, StringComparison.OrdinalIgnoreCase));
            levels[i] = at >= 0 ? at : null;
        }
        return levels;
    }

    internal static string? Answer(DraftContext ctx, int i, string key) =>
        ctx.People[i].Answers.TryGetValue(key, out var values) && values.Count > 0 ? values[0] : null;

    private static DraftPair RolePair(DraftContext ctx, int mentor, int mentee, bool pinned = false)
    {
        var pair = ctx.Pair(mentor, mentee, pinned);
        var who = ctx.Program.Pairing == PairingShape.Reverse
            ? $"{ctx.Name(mentor)} will mentor {ctx.Name(mentee)} (reverse mentoring)"
            : $"{ctx.Name(mentor)} will mentor {ctx.Name(mentee)}";
        return pair with
        {
            A = pair.A with { Role = BuiltInQuestions.RoleOptions.Mentor },
            B = pair.B with { Role = BuiltInQuestions.RoleOptions.Mentee },
            Sentence = $"{who}: {pair.Sentence}",
        };
    }

    private static WaitlistEntry Waitlisted(DraftContext ctx, int i, Side side, Outcome best, int[] capacity)
    {
        var name = ctx.Name(i);
        var reverse = ctx.Program.Pairing == PairingShape.Reverse;
        if (side is Side.Mentee or Side.Both)
        {
            var possible = best.Mentors.Where(m => m != i && Allowed(ctx, m, i, Levels(ctx), reverse)).ToList();
            if (possible.Count == 0)
            {
                return ctx.Waitlisted(i, WaitlistReason.NoAllowedPartner,
                    $"no mentor may take {name}: every mentor is excluded by a hard rule or the seniority gap ({ctx.Program.Roles.SeniorityGap} level{(ctx.Program.Roles.SeniorityGap == 1 ? "" : "s")} {(reverse ? "below" : "above")})");
            }
            var full = possible.Where(m => best.AsMentor[m] >= capacity[m]).Select(ctx.Name).ToList();
            return ctx.Waitlisted(i, WaitlistReason.PartnersTaken,
                $"no mentor with capacity left who may take {name}: {English.Names(full)} {(full.Count == 1 ? "is" : "are")} full" +
                (full.Count < possible.Count ? "; the others would lower the total score" : ""));
        }
        if (capacity[i] == 0)
        {
            return ctx.Waitlisted(i, WaitlistReason.PartnersTaken, $"{name} already holds as many mentees as their capacity");
        }
        var mentees = best.Mentees.Where(e => e != i && Allowed(ctx, i, e, Levels(ctx), reverse)).ToList();
        return mentees.Count == 0
            ? ctx.Waitlisted(i, WaitlistReason.NoAllowedPartner, $"no mentee may be mentored by {name} (hard rules or the seniority gap)")
            : ctx.Waitlisted(i, WaitlistReason.PartnersTaken, $"the mentees {name} could take ({English.Names([.. mentees.Select(ctx.Name)])}) are better placed with other mentors");
    }

    private static OptimalityCertificate Certificate(DraftContext ctx, Outcome best, Outcome relaxed, int fixedSides, int pinned)
    {
        var objective = ctx.Program.Matching.Objective == MatchingObjective.HighestScore
            ? "the highest total score"
            : "the most mentees matched, then the highest total score";
        var method = "exact bipartite b-matching (shortest augmenting paths with node potentials), mentors up to their capacity";
        if (!best.Verification.IsOptimal)
        {
            return new OptimalityCertificate(false, objective,
                $"The pairs could not be proven optimal ({best.Verification.Reason}); treat this draft as a good one, not the best.",
                method, best.Graph.EdgeCount, best.Verification.Reason);
        }
        var statement = $"No other assignment scores higher: for {best.Mentors.Length} possible mentors and {best.Mentees.Length} possible mentees and every pair the hard rules and the seniority gap allow, {(best.Pairs.Count == 1 ? "this pair is" : $"these {best.Pairs.Count} pairs are")} optimal for {objective}, each mentor within their capacity. " +
            "An independent check of the solver's node potentials confirmed it.";
        if (pinned > 0)
        {
            statement += $" {(pinned == 1 ? "One pinned pair was" : $"{English.Count(pinned, "pinned pair")} were")} fixed first and {(pinned == 1 ? "is" : "are")} not part of that optimum, which covers the remaining mentees and the mentors' remaining capacity.";
        }
        if (fixedSides > 0)
        {
            var gap = relaxed.Solution.TotalWeight - best.Solution.TotalWeight;
            var lostPairs = relaxed.Solution.MatchedEdges - best.Solution.MatchedEdges;
            statement += gap == 0 && lostPairs == 0
                ? $" {English.Count(fixedSides, "person")} who said either were given one side; the result still reaches the bound where they could take both, so it is optimal."
                : $" {English.Count(fixedSides, "person")} who said either were given one side after the bound put them on both; the draft is within {lostPairs} pairs and {gap} points of that bound.";
        }
        return new OptimalityCertificate(true, objective, statement, method, best.Graph.EdgeCount, null);
    }
}
