using Mentoring.Core.Matching.Bipartite;

namespace Mentoring.Core.Tests.Matching.Bipartite;

internal static class BipartiteTestGraphs
{
    public static BipartiteGraph Random(Random rng, int maxSide, int maxEdges, int maxCapacity, int maxWeight)
    {
        int l = rng.Next(0, maxSide + 1), r = rng.Next(0, maxSide + 1);
        var capL = Enumerable.Range(0, l).Select(_ => rng.Next(0, maxCapacity + 1)).ToArray();
        var capR = Enumerable.Range(0, r).Select(_ => rng.Next(0, maxCapacity + 1)).ToArray();
        var pairs = new List<(int, int, long)>();
        if (l > 0 && r > 0)
        {
            var all = Enumerable.Range(0, l * r).OrderBy(_ => rng.Next()).Take(rng.Next(0, Math.Min(maxEdges, l * r) + 1));
            pairs.AddRange(all.Select(x => (x / r, x % r, (long)rng.Next(1, maxWeight + 1))));
        }

        return BipartiteGraph.FromEdges(capL, capR, pairs);
    }

    /// <summary>Every subset of edges within capacities: the best weight, and the best weight among the largest subsets.</summary>
    public static (long Weight, int MostEdges, long WeightAtMostEdges) BruteForce(BipartiteGraph graph)
    {
        int m = graph.EdgeCount;
        Assert.True(m <= 20, "brute force is for small graphs");
        long best = 0, bestAtMost = 0;
        int most = 0;
        var degL = new int[graph.LeftCount];
        var degR = new int[graph.RightCount];
        for (int mask = 0; mask < 1 << m; mask++)
        {
            Array.Clear(degL);
            Array.Clear(degR);
            bool ok = true;
            long w = 0;
            int edges = 0;
            for (int e = 0; e < m && ok; e++)
            {
                if ((mask >> e & 1) == 0)
                {
                    continue;
                }

                int i = graph.EdgeLeft[e], j = graph.EdgeRight[e];
                ok = ++degL[i] <= graph.LeftCapacity[i] && ++degR[j] <= graph.RightCapacity[j];
                w += graph.EdgeWeight[e];
                edges++;
            }

            if (!ok)
            {
                continue;
            }

            best = Math.Max(best, w);
            if (edges > most || (edges == most && w > bestAtMost))
            {
                most = edges;
                bestAtMost = w;
            }
        }

        return (best, most, bestAtMost);
    }
}
