using Mentoring.Core.Programs;

namespace Mentoring.Core.Matching.Groups;

/// <summary>
/// Group programs (3-5 people per group). A heuristic, stated as such in the draft:
/// <list type="number">
/// <item>exact pairs first: the same maximum-weight matching as 1:1 drafts, with the same hard rules and priorities;</item>
/// <item>the best pairs seed the groups; the other pairs, then single people, join the group where they add the most
/// points and break no rule (every two people inside a group must be an allowed pair);</item>
/// <item>local search: moving one person or swapping two across groups while that raises the sum of the scores of
/// all pairs inside groups, never breaking a rule, until no such move exists (or the pass limit).</item>
/// </list>
/// Sizes: the group count is chosen so that every group has the program's size when the count allows; otherwise sizes
/// differ from it by one, the smallest deviation the count forces (never more than GroupSize + 1, never below 2).
/// </summary>
internal static class GroupDrafter
{
    private const int DefaultGroupSize = 4;

    public static PairDraft Draft(DraftContext ctx)
    {
        var size = ctx.Program.GroupSize ?? DefaultGroupSize;
        if (size is < 3 or > 5)
        {
            ctx.Notes.Add($"Group size {size} is outside 3-5; {Math.Clamp(size, 3, 5)} was used.");
            size = Math.Clamp(size, 3, 5);
        }

        var waitlist = new List<WaitlistEntry>();
        var placeable = new List<int>();
        for (var i = 0; i < ctx.Count; i++)
        {
            if (ctx.HasAllowedPartner(i))
            {
                placeable.Add(i);
            }
            else
            {
                waitlist.Add(ctx.Waitlisted(i, WaitlistReason.NoAllowedPartner, ctx.NoPartnerExplanation(i)));
            }
        }

        var targets = TargetSizes(placeable.Count, size);
        if (targets.Length == 0)
        {
            foreach (var i in placeable)
            {
                waitlist.Add(ctx.Waitlisted(i, WaitlistReason.NoGroupFits, "too few people to form a group"));
            }
            return Result(ctx, [], waitlist, new GroupSearchReport(Objective, 0, 0, 0, 0, 0, true, "Too few people to form a group."));
        }
        if (targets.Any(t => t != size))
        {
            ctx.Notes.Add($"{placeable.Count} people cannot all be split into groups of {size}; group sizes are {string.Join(", ", targets)}.");
        }

        var builder = new GroupBuilder(ctx, targets, size + 1);
        var pinnedSet = new HashSet<int>(ctx.Pins.SelectMany(p => new[] { p.A, p.B }));
        var free = placeable.Where(i => !pinnedSet.Contains(i)).ToArray();
        var weights = new PairingWeights(ctx, free);
        var outcome = ExactPairing.Solve(weights, ctx.Options);
        var pairs = new List<(int A, int B)>();
        var singles = new List<int>();
        for (var u = 0; u < free.Length; u++)
        {
            var m = outcome.Mate[u];
            if (m < 0)
            {
                singles.Add(free[u]);
            }
            else if (u < m)
            {
                pairs.Add((free[u], free[m]));
            }
        }
        pairs = [.. pairs.OrderByDescending(p => ctx.Scorer.Score(p.A, p.B))];
        // People who waited last round, then the most constrained, choose their group first.
        singles = [.. singles.OrderByDescending(i => ctx.Priority[i]).ThenBy(i => AllowedCount(ctx, i, placeable))];

        var unplaced = builder.Build(ctx.Pins, pairs, singles);
        foreach (var i in unplaced)
        {
            waitlist.Add(ctx.Waitlisted(i, WaitlistReason.NoGroupFits,
                "no group can take them: every group has someone they may not be matched with, or is full"));
        }

        var start = builder.Objective();
        var report = placeable.Count > ctx.Options.GroupSearchMaxPeople
            ? new GroupSearchReport(Objective, start, start, 0, 0, 0, false,
                $"Exact pairs were merged into groups ({start} points). Local search was skipped: it runs up to {ctx.Options.GroupSearchMaxPeople} people.")
            : builder.LocalSearch(ctx.Options.GroupSearchMaxPasses, pinnedSet);
        return Result(ctx, builder.Groups, waitlist, report);
    }

    internal const string Objective = "the sum of the scores of every pair inside a group (a heuristic: exact pairs merged into groups, then local search; not proven optimal)";

    /// <summary>Group sizes for <paramref name="n"/> people: exactly <paramref name="size"/> when possible, else the fewest,
    /// smallest deviations, within 2..size+1. Empty when fewer than two people.</summary>
    internal static int[] TargetSizes(int n, int size)
    {
        if (n < 2)
        {
            return [];
        }
        int[]? best = null;
        (int MaxDev, int SumDev) bestCost = (int.MaxValue, int.MaxValue);
        for (var k = 1; k <= n / 2; k++)
        {
            int small = n / k, extra = n % k;
            var large = extra == 0 ? small : small + 1;
            if (small < 2 || large > size + 1)
            {
                continue;
            }
            var cost = (Math.Max(Math.Abs(small - size), Math.Abs(large - size)),
                (extra * Math.Abs(large - size)) + ((k - extra) * Math.Abs(small - size)));
            if (cost.CompareTo(bestCost) < 0)
            {
                bestCost = cost;
                best = [.. Enumerable.Repeat(large, extra), .. Enumerable.Repeat(small, k - extra)];
            }
        }
        return best ?? [n];
    }

    private static int AllowedCount(DraftContext ctx, int i, List<int> among) => among.Count(j => ctx.Rules.Allows(i, j));

    private static PairDraft Result(DraftContext ctx, IReadOnlyList<List<int>> groups, List<WaitlistEntry> waitlist, GroupSearchReport report)
    {
        var drafted = groups.Where(g => g.Count > 0).Select(g => ctx.Group(g)).ToList();
        return new PairDraft
        {
            ProgramId = ctx.Program.Id,
            Kind = ctx.Program.Kind,
            Objective = ctx.Program.Matching.Objective,
            OddCount = ctx.Program.Matching.OddCount,
            At = ctx.Request.At,
            Groups = drafted,
            Waitlist = waitlist,
            SetAside = ctx.SetAside,
            Stats = Stats.Of(ctx.Count, drafted.Sum(g => g.Members.Count), waitlist.Count, 0, 0, drafted.Count, [.. drafted.Select(g => g.Score)]),
            GroupSearch = report,
            Notes = ctx.Notes,
        };
    }
}
