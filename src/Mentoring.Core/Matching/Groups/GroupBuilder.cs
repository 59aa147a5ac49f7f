namespace Mentoring.Core.Matching.Groups;

/// <summary>Builds groups from exact pairs and single people, then improves them by local search. Never breaks a hard rule.</summary>
internal sealed class GroupBuilder(DraftContext ctx, int[] targets, int maxSize)
{
    private readonly List<List<int>> _groups = [.. targets.Select(_ => new List<int>())];

    public IReadOnlyList<List<int>> Groups => _groups;

    /// <summary>Places pins and pairs as units, then singles; returns the people no group could take.</summary>
    public List<int> Build(IReadOnlyList<(int A, int B)> pins, IReadOnlyList<(int A, int B)> pairs, IReadOnlyList<int> singles)
    {
        var queue = new List<int>();
        var units = pins.Select(p => (p.A, p.B, Pinned: true)).Concat(pairs.Select(p => (p.A, p.B, Pinned: false)));
        var seeded = 0;
        foreach (var (a, b, pinned) in units)
        {
            // Pins, then the best pairs, seed one group each; later pairs join where they add the most.
            var g = seeded < _groups.Count ? seeded++ : BestGroup([a, b], g => _groups[g].Count + 2 <= targets[g]);
            if (g >= 0)
            {
                _groups[g].AddRange([a, b]);
                continue;
            }
            if (pinned)
            {
                ctx.Notes.Add($"Pinned pair {ctx.Name(a)} & {ctx.Name(b)} could not be kept together in a group.");
            }
            queue.AddRange([a, b]);
        }
        queue.AddRange(singles);

        var unplaced = new List<int>();
        foreach (var x in queue)
        {
            if (!Place(x))
            {
                unplaced.Add(x);
            }
        }

        // A group that ended up with one person is no group: its member tries the others, else waits.
        foreach (var g in _groups.Where(g => g.Count == 1).ToList())
        {
            var x = g[0];
            g.Clear();
            if (!Place(x))
            {
                unplaced.Add(x);
            }
        }
        return unplaced;
    }

    /// <summary>Sum of the scores of every pair inside a group.</summary>
    public long Objective()
    {
        long total = 0;
        foreach (var g in _groups)
        {
            for (var i = 0; i < g.Count; i++)
            {
                for (var j = i + 1; j < g.Count; j++)
                {
                    total += ctx.Scorer.Score(g[i], g[j]);
                }
            }
        }
        return total;
    }

    /// <summary>
    /// Best-improvement moves and swaps per person, until a full pass finds none. A move keeps sizes within the
    /// smallest and largest target size; a swap keeps sizes. Pinned people stay where they are.
    /// </summary>
    public GroupSearchReport LocalSearch(int maxPasses, IReadOnlySet<int> locked)
    {
        var start = Objective();
        var k = _groups.Count;
        int minSize = targets.Min(), maxTarget = targets.Max();
        var members = _groups.SelectMany(g => g).ToArray();
        var slot = new Dictionary<int, int>(members.Length);
        for (var s = 0; s < members.Length; s++)
        {
            slot[members[s]] = s;
        }
        var groupOf = new int[members.Length];
        for (var g = 0; g < k; g++)
        {
            foreach (var x in _groups[g])
            {
                groupOf[slot[x]] = g;
            }
        }
        // gain[s, g]: points person s earns with the members of group g (excluding themselves).
        var with = new long[members.Length * k];
        for (var s = 0; s < members.Length; s++)
        {
            for (var t = s + 1; t < members.Length; t++)
            {
                long p = ctx.Scorer.Score(members[s], members[t]);
                with[(s * k) + groupOf[t]] += p;
                with[(t * k) + groupOf[s]] += p;
            }
        }
        void Shift(int s, int from, int to)
        {
            var x = members[s];
            for (var t = 0; t < members.Length; t++)
            {
                if (t != s)
                {
                    long p = ctx.Scorer.Score(x, members[t]);
                    with[(t * k) + from] -= p;
                    with[(t * k) + to] += p;
                }
            }
            _groups[from].Remove(x);
            _groups[to].Add(x);
            groupOf[s] = to;
        }

        int moves = 0, swaps = 0, passes = 0;
        var improved = true;
        while (improved && passes < maxPasses)
        {
            improved = false;
            passes++;
            for (var s = 0; s < members.Length; s++)
            {
                if (locked.Contains(members[s]))
                {
                    continue;
                }
                var a = groupOf[s];
                long bestGain = 0;
                int bestGroup = -1, bestPartner = -1;
                for (var b = 0; b < k; b++)
                {
                    if (b == a)
                    {
                        continue;
                    }
                    var moveGain = with[(s * k) + b] - with[(s * k) + a];
                    if (moveGain > bestGain && _groups[a].Count - 1 >= minSize && _groups[b].Count + 1 <= maxTarget
                        && AllowedWith(members[s], _groups[b], -1))
                    {
                        (bestGain, bestGroup, bestPartner) = (moveGain, b, -1);
                    }
                    foreach (var y in _groups[b])
                    {
                        var t = slot[y];
                        var upper = moveGain + with[(t * k) + a] - with[(t * k) + b];
                        if (upper <= bestGain || locked.Contains(y))
                        {
                            continue;
                        }
                        var swapGain = upper - (2L * ctx.Scorer.Score(members[s], y));
                        if (swapGain > bestGain && AllowedWith(members[s], _groups[b], y) && AllowedWith(y, _groups[a], members[s]))
                        {
                            (bestGain, bestGroup, bestPartner) = (swapGain, b, t);
                        }
                    }
                }
                if (bestGroup < 0)
                {
                    continue;
                }
                Shift(s, a, bestGroup);
                if (bestPartner >= 0)
                {
                    Shift(bestPartner, bestGroup, a);
                    swaps++;
                }
                else
                {
                    moves++;
                }
                improved = true;
            }
        }
        var end = Objective();
        var localOptimum = !improved;
        var change = start == 0 ? "" : $" ({(end - start) * 100.0 / start:+0.#;-0.#;0}%)";
        var summary = $"Exact pairs were merged into groups ({start} points); local search made {English.Count(moves, "move")} and {English.Count(swaps, "swap")} in {(passes == 1 ? "one pass" : $"{English.Number(passes)} passes")}, reaching {end} points{change}. " +
            (localOptimum ? "No single move or swap improves it further." : "It stopped at the pass limit.");
        return new GroupSearchReport(GroupDrafter.Objective, start, end, moves, swaps, passes, localOptimum, summary);
    }

    private bool Place(int x)
    {
        var g = BestGroup([x], g => _groups[g].Count < targets[g]);
        if (g < 0)
        {
            g = BestGroup([x], g => _groups[g].Count > 0 && _groups[g].Count < maxSize);
        }
        if (g < 0)
        {
            return false;
        }
        _groups[g].Add(x);
        return true;
    }

    /// <summary>The group with room where all of <paramref name="unit"/> are allowed with every member and add the most points; -1 if none.</summary>
    private int BestGroup(int[] unit, Func<int, bool> hasRoom)
    {
        int best = -1;
        long bestAdded = -1;
        for (var g = 0; g < _groups.Count; g++)
        {
            if (!hasRoom(g) || !unit.All(x => AllowedWith(x, _groups[g], -1)))
            {
                continue;
            }
            long added = 0;
            foreach (var x in unit)
            {
                foreach (var y in _groups[g])
                {
                    added += ctx.Scorer.Score(x, y);
                }
            }
            if (added > bestAdded)
            {
                (best, bestAdded) = (g, added);
            }
        }
        return best;
    }

    private bool AllowedWith(int x, List<int> group, int except)
    {
        foreach (var y in group)
        {
            if (y != except && !ctx.Rules.Allows(x, y))
            {
                return false;
            }
        }
        return true;
    }
}
