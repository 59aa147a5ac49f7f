using Mentoring.Core.Programs;

namespace Mentoring.Core.Matching.Bipartite;

/// <summary>Pair weights between two sides without building the complete graph, for large programs.</summary>
public interface IBipartiteWeights
{
    int LeftCount { get; }

    int RightCount { get; }

    int LeftCapacity(int left);

    int RightCapacity(int right);

    /// <summary>Weight of the pair, or 0 when it is not allowed (hard rule). Called O(LeftCount * RightCount) times.</summary>
    long Weight(int left, int right);
}

/// <summary>Result of <see cref="PricedBipartiteMatching.Solve"/>.</summary>
public sealed record PricedBipartiteSolution(BipartiteSolution Solution, BipartiteGraph FinalGraph, int Rounds, int EdgesAdded);

/// <summary>
/// Exact b-matching over every allowed pair of an <see cref="IBipartiteWeights"/>: solve on each node's top-k pairs
/// (from both sides, so every mentor has candidates too), then price every allowed pair against the potentials. A pair
/// left out with w' &gt; u_i + v_j would gain; add all of them and solve again, until none is left. Then the potentials
/// cover every allowed pair, so the certificate of the sparse solve holds for the complete graph.
/// </summary>
public static class PricedBipartiteMatching
{
    public static PricedBipartiteSolution Solve(IBipartiteWeights weights, int candidatesPerNode = 20, MatchingObjective objective = MatchingObjective.MostPairsThenScore)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidatesPerNode, 1);
        int l = weights.LeftCount, r = weights.RightCount;
        var capL = new int[l];
        var capR = new int[r];
        for (int i = 0; i < l; i++)
        {
            capL[i] = weights.LeftCapacity(i);
        }

        for (int j = 0; j < r; j++)
        {
            capR[j] = weights.RightCapacity(j);
        }

        // Candidates: the k heaviest pairs of every left row and of every right column, in one pass over all pairs.
        var rightBest = new PriorityQueue<int, long>[r];
        for (int j = 0; j < r; j++)
        {
            rightBest[j] = new PriorityQueue<int, long>();
        }

        var edges = new HashSet<long>();
        var degL = new int[l];
        var degR = new int[r];
        long maxWeight = 0;
        var rowBest = new PriorityQueue<int, long>();
        for (int i = 0; i < l; i++)
        {
            rowBest.Clear();
            for (int j = 0; j < r; j++)
            {
                long w = weights.Weight(i, j);
                if (w <= 0)
                {
                    continue;
                }

                degL[i]++;
                degR[j]++;
                maxWeight = Math.Max(maxWeight, w);
                Offer(rowBest, j, w, candidatesPerNode);
                Offer(rightBest[j], i, w, candidatesPerNode);
            }

            while (rowBest.TryDequeue(out int j, out _))
            {
                edges.Add(Key(i, j));
            }
        }

        for (int j = 0; j < r; j++)
        {
            while (rightBest[j].TryDequeue(out int i, out _))
            {
                edges.Add(Key(i, j));
            }
        }

        long bonus = 0;
        if (objective == MatchingObjective.MostPairsThenScore)
        {
            long left = 0, right = 0;
            for (int i = 0; i < l; i++)
            {
                left += Math.Min(degL[i], capL[i]);
            }

            for (int j = 0; j < r; j++)
            {
                right += Math.Min(degR[j], capR[j]);
            }

            bonus = BipartiteMatching.EdgeBonusFor(Math.Min(left, right), maxWeight);
        }

        int rounds = 0, added = 0;
        while (true)
        {
            rounds++;
            var graph = Build(weights, capL, capR, edges);
            var solution = BipartiteMatching.Solve(graph, objective, bonus);
            int violators = 0;
            for (int i = 0; i < l; i++)
            {
                long ui = solution.LeftPotential[i];
                for (int j = 0; j < r; j++)
                {
                    long w = weights.Weight(i, j);
                    if (w > 0 && w + bonus > ui + solution.RightPotential[j] && edges.Add(Key(i, j)))
                    {
                        violators++;
                    }
                }
            }

            if (violators == 0)
            {
                return new PricedBipartiteSolution(solution, graph, rounds, added);
            }

            added += violators;
        }
    }

    private static void Offer(PriorityQueue<int, long> best, int id, long w, int k)
    {
        if (best.Count < k)
        {
            best.Enqueue(id, w);
        }
        else if (best.TryPeek(out _, out long lightest) && w > lightest)
        {
            best.DequeueEnqueue(id, w);
        }
    }

    private static long Key(int i, int j) => ((long)i << 32) | (uint)j;

    private static BipartiteGraph Build(IBipartiteWeights weights, int[] capL, int[] capR, HashSet<long> edges)
    {
        var keys = edges.ToArray();
        Array.Sort(keys);
        var el = new int[keys.Length];
        var er = new int[keys.Length];
        var ew = new long[keys.Length];
        for (int e = 0; e < keys.Length; e++)
        {
            el[e] = (int)(keys[e] >> 32);
            er[e] = (int)(uint)keys[e];
            ew[e] = weights.Weight(el[e], er[e]);
        }

        return new BipartiteGraph(capL, capR, el, er, ew);
    }
}
