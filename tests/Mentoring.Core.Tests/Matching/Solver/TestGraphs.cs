using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Tests.Matching.Solver;

/// <summary>Seeded random graphs and an exhaustive optimum for small graphs.</summary>
internal static class TestGraphs
{
    public static WeightedGraph Random(Random rng, int n, double density, int maxWeight)
    {
        var edges = new List<(int, int, long)>();
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                if (rng.NextDouble() < density)
                {
                    // Randomly orient edges so the solver never relies on u < v.
                    long w = rng.Next(1, maxWeight + 1);
                    edges.Add(rng.Next(2) == 0 ? (i, j, w) : (j, i, w));
                }
            }
        }

        return WeightedGraph.FromEdges(n, edges);
    }

    /// <summary>Maximum matching weight by dynamic programming over vertex subsets (n &lt;= ~20).</summary>
    public static long BruteForceOptimum(WeightedGraph g)
    {
        int n = g.NodeCount;
        var w = new long[n, n];
        for (int e = 0; e < g.EdgeCount; e++)
        {
            int a = g.EdgeU[e], b = g.EdgeV[e];
            long x = g.EdgeWeight[e];
            if (x > w[a, b])
            {
                w[a, b] = x;
                w[b, a] = x;
            }
        }

        // best[mask] = best matching using only vertices in mask.
        var best = new long[1 << n];
        for (int mask = 1; mask < (1 << n); mask++)
        {
            int i = System.Numerics.BitOperations.TrailingZeroCount(mask);
            int rest = mask & ~(1 << i);
            long value = best[rest];
            for (int r = rest; r != 0; r &= r - 1)
            {
                int j = System.Numerics.BitOperations.TrailingZeroCount(r);
                if (w[i, j] > 0)
                {
                    long cand = w[i, j] + best[rest & ~(1 << j)];
                    if (cand > value)
                    {
                        value = cand;
                    }
                }
            }

            best[mask] = value;
        }

        return best[(1 << n) - 1];
    }

    public static long MatchingWeight(WeightedGraph g, int[] mate)
    {
        long total = 0;
        var best = new Dictionary<(int, int), long>();
        for (int e = 0; e < g.EdgeCount; e++)
        {
            var key = (Math.Min(g.EdgeU[e], g.EdgeV[e]), Math.Max(g.EdgeU[e], g.EdgeV[e]));
            best[key] = Math.Max(best.GetValueOrDefault(key), g.EdgeWeight[e]);
        }

        for (int v = 0; v < mate.Length; v++)
        {
            if (mate[v] > v)
            {
                total += best[(v, mate[v])];
            }
        }

        return total;
    }

    /// <summary>A well-mixed, symmetric hash of a pair: the same for (u, v) and (v, u), different per seed.</summary>
    public static uint PairHash(int u, int v, int seed)
    {
        uint h = (uint)(Math.Min(u, v) * 73856093) ^ (uint)(Math.Max(u, v) * 19349663) ^ (uint)(seed * 83492791);
        h ^= h >> 13;
        h *= 0x5bd1e995;
        h ^= h >> 15;
        return h;
    }

    /// <summary>Every allowed pair of <paramref name="weights"/> as one graph (small inputs: n^2 / 2 weights).</summary>
    public static WeightedGraph CompleteGraph(IPairWeights weights)
    {
        var edges = new List<(int, int, long)>();
        for (int u = 0; u < weights.NodeCount; u++)
        {
            for (int v = u + 1; v < weights.NodeCount; v++)
            {
                long w = weights.Weight(u, v);
                if (w > 0)
                {
                    edges.Add((u, v, w));
                }
            }
        }

        return WeightedGraph.FromEdges(weights.NodeCount, edges);
    }

    /// <summary>A block bound without slack: u's heaviest pair in the block (u itself weighs 0).</summary>
    public static long HeaviestInBlock(IPairWeights weights, int[] blockStarts, int u, int block) =>
        Enumerable.Range(blockStarts[block], blockStarts[block + 1] - blockStarts[block]).Max(v => weights.Weight(u, v));

    /// <summary>With ties the k heaviest partners are not unique, but their weights are: each node's k heaviest edges in the graph weigh what its k heaviest allowed pairs weigh.</summary>
    public static void AssertEachNodeHasItsKHeaviestWeights(IPairWeights weights, WeightedGraph graph, int k)
    {
        int n = weights.NodeCount;
        var incident = new List<long>[n];
        for (int e = 0; e < graph.EdgeCount; e++)
        {
            (incident[graph.EdgeU[e]] ??= []).Add(graph.EdgeWeight[e]);
            (incident[graph.EdgeV[e]] ??= []).Add(graph.EdgeWeight[e]);
        }

        for (int u = 0; u < n; u++)
        {
            var best = Enumerable.Range(0, n).Select(v => weights.Weight(u, v)).Where(w => w > 0).OrderDescending().Take(k);
            Assert.Equal(best, (incident[u] ?? []).OrderDescending().Take(k));
        }
    }
}
