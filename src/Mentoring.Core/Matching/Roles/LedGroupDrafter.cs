using Mentoring.Core.Matching.Bipartite;
using Mentoring.Core.Programs;
using static Mentoring.Core.Matching.Roles.MentorMenteeDrafter;

namespace Mentoring.Core.Matching.Roles;

/// <summary>
/// Led groups: one lead (a mentor) with minMentees..maxMentees mentees, built from the same exact b-matching as
/// mentor/mentee drafts, where a lead's capacity is the size of their group. The b-matching alone cannot say "none or
/// at least two", nor keep two mentees who must not meet apart, so two repairs run on top of it, each followed by an
/// exact re-solve, until neither applies:
/// <list type="number">
/// <item>Inside a group the hard rules hold between mentees too (same manager, manager and report, do-not-match, an
/// admin's forbidden pair): of two such mentees, the one whose link to the lead scores less is withheld from that lead.</item>
/// <item>A lead left with fewer mentees than the smallest group is dissolved, one at a time, the group with the
/// lowest score first: a lead who said either may then join another group as a mentee, others wait with the reason,
/// and their mentees are placed again by the re-solve.</item>
/// </list>
/// The certificate proves the final b-matching optimal for the leads that remain and the links not withheld; the
/// draft says how many leads were dissolved and links withheld, so the admin knows it is exact up to those repairs.
/// </summary>
internal static class LedGroupDrafter
{
    public static PairDraft Draft(DraftContext ctx)
    {
        var program = ctx.Program;
        var min = Math.Min(program.Roles.MinMentees ?? ProgramValidator.MinLedGroupMentees, program.Roles.MaxMentees);
        var (side, capacity) = Sides(ctx);
        for (var i = 0; i < ctx.Count; i++)
        {
            // Evergreen: a lead holds one group at a time; whoever still leads one sits this round out as a lead.
            if (side[i] != Side.Mentee && ctx.Request.History.ActivePairings.GetValueOrDefault(ctx.People[i].Id) > 0)
            {
                capacity[i] = 0;
            }
        }
        var level = Levels(ctx);
        var withheld = new HashSet<(int Mentor, int Mentee)>();
        var dissolved = new Dictionary<int, string>();
        var repairs = new List<string>();
        List<string> notes;
        Outcome best, relaxed;
        int fixedSides;
        while (true)
        {
            notes = new List<string>(ctx.Notes);
            var sides = (Side[])side.Clone();
            (best, relaxed, fixedSides) = Assign(ctx, sides, capacity, level, notes, withheld);
            var groups = GroupsOf(best);
            var conflict = FirstConflict(ctx, groups);
            if (conflict is { } c)
            {
                withheld.Add((c.Lead, c.Moved));
                repairs.Add($"{ctx.Name(c.Moved)} was kept out of {ctx.Name(c.Lead)}'s group: {DraftContext.Describe(ctx.Rules.Broken(c.Moved, c.Other))} with {ctx.Name(c.Other)}, who is in it.");
                continue;
            }
            // A lead who said either loses nothing by being dissolved (they may still join a group), so they go first.
            var small = groups.Where(g => g.Value.Count < min)
                .OrderByDescending(g => side[g.Key] == Side.Both).ThenBy(g => GroupWeight(best, g.Key)).ThenByDescending(g => g.Key)
                .Select(g => g.Key).FirstOrDefault(-1);
            if (small < 0)
            {
                side = sides;
                break;
            }
            var names = English.Names([.. groups[small].Select(ctx.Name)]);
            capacity[small] = 0;
            if (side[small] == Side.Both)
            {
                side[small] = Side.Mentee;
                capacity[small] = 1;
                repairs.Add($"{ctx.Name(small)} said either; with too few mentees for their own group, {ctx.Name(small)} may join a group as a mentee.");
            }
            dissolved[small] = $"only {names} could join {ctx.Name(small)}'s group and a led group needs at least {English.Count(min, "mentee")}";
            repairs.Add($"{ctx.Name(small)}'s group was dissolved: {dissolved[small]}; {names} {(groups[small].Count == 1 ? "was" : "were")} placed again.");
        }
        notes.AddRange(repairs);

        var groupsOf = GroupsOf(best);
        var drafted = groupsOf.OrderBy(g => g.Key).Select(g => LedGroup(ctx, g.Key, g.Value)).ToList();
        var matched = groupsOf.SelectMany(g => g.Value.Prepend(g.Key)).ToHashSet();
        var waitlist = new List<WaitlistEntry>();
        for (var i = 0; i < ctx.Count; i++)
        {
            if (!matched.Contains(i))
            {
                waitlist.Add(Waitlisted(ctx, i, side[i], best, capacity, level, dissolved));
            }
        }
        return new PairDraft
        {
            ProgramId = program.Id,
            Kind = program.Kind,
            Objective = program.Matching.Objective,
            OddCount = program.Matching.OddCount,
            At = ctx.Request.At,
            Groups = drafted,
            Waitlist = waitlist,
            SetAside = ctx.SetAside,
            Stats = Stats.Of(ctx.Count, matched.Count, waitlist.Count, 0, 0, drafted.Count, [.. drafted.Select(g => g.Score)]),
            Certificate = Certificate(ctx, best, relaxed, fixedSides, dissolved.Count, withheld.Count),
            Notes = notes,
        };
    }

    /// <summary>Lead -> their mentees, from the chosen (mentor, mentee) pairs.</summary>
    private static Dictionary<int, List<int>> GroupsOf(Outcome outcome)
    {
        var groups = new Dictionary<int, List<int>>();
        foreach (var (lead, mentee) in outcome.Pairs)
        {
            (groups.TryGetValue(lead, out var list) ? list : groups[lead] = []).Add(mentee);
        }
        return groups;
    }

    private static long GroupWeight(Outcome outcome, int lead) => outcome.MentorWeight[lead];

    /// <summary>Two mentees of one group that a hard rule keeps apart; the one with the weaker link to the lead moves.</summary>
    private static (int Lead, int Moved, int Other)? FirstConflict(DraftContext ctx, Dictionary<int, List<int>> groups)
    {
        foreach (var (lead, mentees) in groups.OrderBy(g => g.Key))
        {
            for (var x = 0; x < mentees.Count; x++)
            {
                for (var y = x + 1; y < mentees.Count; y++)
                {
                    int a = mentees[x], b = mentees[y];
                    if (!ctx.Rules.Allows(a, b) && !PairedBeforeOnly(ctx, a, b))
                    {
                        var (sa, sb) = (ctx.Scorer.Score(lead, a), ctx.Scorer.Score(lead, b));
                        return sa < sb || (sa == sb && a > b) ? (lead, a, b) : (lead, b, a);
                    }
                }
            }
        }
        return null;
    }

    /// <summary>Two mentees who were in a group before may share one again: "paired before" is about the lead's links.</summary>
    private static bool PairedBeforeOnly(DraftContext ctx, int a, int b) => ctx.Rules.Broken(a, b) == Rules.HardRule.PairedBefore;

    private static DraftGroup LedGroup(DraftContext ctx, int lead, List<int> mentees)
    {
        mentees = [.. mentees.OrderBy(ctx.Name, StringComparer.Ordinal).ThenBy(m => m)];
        var links = mentees.Select(m => ctx.Pair(lead, m)).ToList();
        var names = English.Join([.. mentees.Select(ctx.Name)]);
        var why = string.Join(" | ", links.Select(l => $"{l.B.Name}: {l.Sentence}"));
        var sentence = $"{ctx.Name(lead)} will lead a group with {names}: {why}";
        return new DraftGroup([ctx.Members[lead], .. mentees.Select(m => ctx.Members[m])], links.Sum(l => l.Score), links, sentence)
        {
            LeadId = ctx.People[lead].Id,
        };
    }

    private static WaitlistEntry Waitlisted(DraftContext ctx, int i, Side side, Outcome best, int[] capacity, int?[] level, Dictionary<int, string> dissolved)
    {
        var name = ctx.Name(i);
        if (dissolved.TryGetValue(i, out var why) && side == Side.Mentor)
        {
            return ctx.Waitlisted(i, WaitlistReason.NoGroupFits, $"{name} leads no group this round: {why}");
        }
        var reverse = ctx.Program.Pairing == PairingShape.Reverse;
        if (side is Side.Mentee or Side.Both)
        {
            var allowed = best.Mentors.Where(m => m != i && Allowed(ctx, m, i, level, reverse)).ToList();
            if (allowed.Count == 0)
            {
                var gap = ctx.Program.Roles.SeniorityGap;
                return ctx.Waitlisted(i, WaitlistReason.NoAllowedPartner,
                    $"no group lead may take {name}: every lead is excluded by a hard rule or the seniority gap ({English.Count(gap, "level")} above)");
            }
            var open = allowed.Where(m => capacity[m] > 0).ToList();
            if (open.Count == 0)
            {
                return ctx.Waitlisted(i, WaitlistReason.NoGroupFits,
                    $"the group leads who may take {name} ({English.Names([.. allowed.Select(ctx.Name)])}) lead no group this round: too few mentees for a group, or they already lead one");
            }
            var full = open.Where(m => best.AsMentor[m] >= capacity[m]).Select(ctx.Name).ToList();
            return ctx.Waitlisted(i, WaitlistReason.PartnersTaken,
                $"no group lead with room left who may take {name}: " + (full.Count > 0 ? $"{English.Names(full)} {(full.Count == 1 ? "has a full group" : "have full groups")}" : "the groups that could take them would break a rule inside the group") +
                (full.Count > 0 && full.Count < open.Count ? "; the other groups would lower the total score or break a rule inside the group" : ""));
        }
        if (capacity[i] == 0)
        {
            return ctx.Waitlisted(i, WaitlistReason.PartnersTaken, $"{name} already leads a group");
        }
        var mentees = best.Mentees.Where(e => e != i && Allowed(ctx, i, e, level, reverse)).ToList();
        return mentees.Count == 0
            ? ctx.Waitlisted(i, WaitlistReason.NoAllowedPartner, $"no mentee may join a group led by {name} (hard rules or the seniority gap)")
            : ctx.Waitlisted(i, WaitlistReason.PartnersTaken, $"the mentees who could join {name}'s group ({English.Names([.. mentees.Select(ctx.Name)])}) are better placed in other groups");
    }

    private static OptimalityCertificate Certificate(DraftContext ctx, Outcome best, Outcome relaxed, int fixedSides, int dissolved, int withheld)
    {
        var objective = ctx.Program.Matching.Objective == MatchingObjective.HighestScore
            ? "the highest total score of lead-mentee links"
            : "the most mentees in groups, then the highest total score of lead-mentee links";
        const string method = "exact bipartite b-matching (shortest augmenting paths with node potentials), each lead's capacity the size of their group; groups below the smallest size dissolved and conflicting mentees kept apart, then solved again";
        if (!best.Verification.IsOptimal)
        {
            return new OptimalityCertificate(false, objective,
                $"The groups could not be proven optimal ({best.Verification.Reason}); treat this draft as a good one, not the best.",
                method, best.Graph.EdgeCount, best.Verification.Reason);
        }
        var statement = $"No other assignment of mentees to these leads scores higher: for every link the hard rules and the seniority gap allow, these {English.Count(best.Pairs.Count, "mentee")} in groups are optimal for {objective}, each group within its lead's capacity. " +
            "An independent check of the solver's node potentials confirmed it.";
        if (dissolved > 0 || withheld > 0)
        {
            statement += $" It is exact given the repairs: {English.Count(dissolved, "group")} below the smallest size dissolved, {English.Count(withheld, "link")} withheld to keep mentees apart who must not share a group.";
        }
        if (fixedSides > 0)
        {
            var gap = relaxed.Solution.TotalWeight - best.Solution.TotalWeight;
            statement += gap == 0 && relaxed.Solution.MatchedEdges == best.Solution.MatchedEdges
                ? $" {English.Count(fixedSides, "person")} who said either were given one side; the result still reaches the bound where they could take both."
                : $" {English.Count(fixedSides, "person")} who said either were given one side after the bound put them on both; within {relaxed.Solution.MatchedEdges - best.Solution.MatchedEdges} links and {gap} points of that bound.";
        }
        return new OptimalityCertificate(true, objective, statement, method, best.Graph.EdgeCount, null);
    }
}
