using System.Diagnostics;

namespace Mentoring.Core.Matching.Solver;

/// <summary>Result of <see cref="PricedMaximumWeightMatching.Solve"/>.</summary>
public sealed class PricedSolution
{
    internal PricedSolution(MatchingSolution solution, WeightedGraph finalGraph, int rounds, int edgesAdded, TimeSpan candidateTime, TimeSpan solveTime, TimeSpan pricingTime)
    {
        Solution = solution;
        FinalGraph = finalGraph;
        Rounds = rounds;
        EdgesAdded = edgesAdded;
        CandidateTime = candidateTime;
        SolveTime = solveTime;
        PricingTime = pricingTime;
    }

    /// <summary>The optimum; its certificate is valid for <see cref="FinalGraph"/> and, by the last pricing pass, for every allowed pair.</summary>
    public MatchingSolution Solution { get; }

    /// <summary>The sparse graph of the last round (candidates plus every violator added by pricing).</summary>
    public WeightedGraph FinalGraph { get; }

    /// <summary>Number of solve rounds (1 when the candidate graph was already optimal).</summary>
    public int Rounds { get; }

    /// <summary>Edges added by pricing over all rounds.</summary>
    public int EdgesAdded { get; }

    public int FinalEdgeCount => FinalGraph.EdgeCount;

    public TimeSpan CandidateTime { get; }

    public TimeSpan SolveTime { get; }

    public TimeSpan PricingTime { get; }
}

/// <summary>
/// Exact maximum-weight matching over all allowed pairs of an <see cref="IPairWeights"/> without building the
/// complete graph: solve on a top-k candidate graph, then price every allowed pair against the dual certificate
/// (a pair whose reduced cost is negative violates dual feasibility), add the violators and re-solve until no
/// violator remains. When none remains, the certificate of the sparse solve is dual feasible for the complete
/// graph, so the matching is optimal there too.
/// </summary>
public static class PricedMaximumWeightMatching
{
    public static PricedSolution Solve(IPairWeights weights, int candidatesPerNode = 20)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidatesPerNode, 1);
        int n = weights.NodeCount;
        var sw = Stopwatch.StartNew();
        var keys = TopCandidates(weights, candidatesPerNode);
        var candidateTime = sw.Elapsed;

        var solveTime = TimeSpan.Zero;
        var pricingTime = TimeSpan.Zero;
        int rounds = 0;
        int added = 0;
        while (true)
        {
            rounds++;
            var graph = BuildGraph(n, keys, weights);
            sw.Restart();
            var solution = MaximumWeightMatching.Solve(graph);
            solveTime += sw.Elapsed;

            sw.Restart();
            var violators = Price(weights, solution.Duals);
            pricingTime += sw.Elapsed;
            if (violators.Count == 0)
            {
                return new PricedSolution(solution, graph, rounds, added, candidateTime, solveTime, pricingTime);
            }

            added += violators.Count;
            var merged = new long[keys.Length + violators.Count];
            keys.CopyTo(merged, 0);
            violators.CopyTo(merged, keys.Length);
            Array.Sort(merged);
            keys = merged;
        }
    }

    private static long PairKey(int u, int v) => u < v ? ((long)u << 32) | (uint)v : ((long)v << 32) | (uint)u;

    /// <summary>Each node's k heaviest allowed partners (ties by id), as sorted distinct pair keys.</summary>
    private static long[] TopCandidates(IPairWeights weights, int k)
    {
        int n = weights.NodeCount;
        var chosen = new long[(long)n * k];
        var counts = new int[n];
        Parallel.For(0, n, () => (new long[k], new int[k]), (u, _, buffers) =>
        {
            var (heapW, heapV) = buffers;
            int size = 0;
            for (int v = 0; v < n; v++)
            {
                if (v == u)
                {
                    continue;
                }

                long w = weights.Weight(u, v);
                if (w <= 0)
                {
                    continue;
                }

                if (size < k)
                {
                    heapW[size] = w;
                    heapV[size] = v;
                    SiftUp(heapW, heapV, size++);
                }
                else if (w > heapW[0])
                {
                    heapW[0] = w;
                    heapV[0] = v;
                    SiftDown(heapW, heapV, size);
                }
            }

            long baseIndex = (long)u * k;
            for (int i = 0; i < size; i++)
            {
                chosen[baseIndex + i] = PairKey(u, heapV[i]);
            }

            counts[u] = size;
            return buffers;
        }, _ => { });

        var keys = new List<long>(n * k);
        for (int u = 0; u < n; u++)
        {
            long baseIndex = (long)u * k;
            for (int i = 0; i < counts[u]; i++)
            {
                keys.Add(chosen[baseIndex + i]);
            }
        }

        keys.Sort();
        int distinct = 0;
        for (int i = 0; i < keys.Count; i++)
        {
            if (i == 0 || keys[i] != keys[i - 1])
            {
                keys[distinct++] = keys[i];
            }
        }

        return keys.GetRange(0, distinct).ToArray();
    }

    // Min-heap on weight (the smallest of the kept k at the root).
    private static void SiftUp(long[] w, int[] v, int i)
    {
        while (i > 0)
        {
            int p = (i - 1) / 2;
            if (w[p] <= w[i])
            {
                return;
            }

            (w[p], w[i]) = (w[i], w[p]);
            (v[p], v[i]) = (v[i], v[p]);
            i = p;
        }
    }

    private static void SiftDown(long[] w, int[] v, int size)
    {
        int i = 0;
        while (true)
        {
            int l = 2 * i + 1;
            if (l >= size)
            {
                return;
            }

            int c = l + 1 < size && w[l + 1] < w[l] ? l + 1 : l;
            if (w[i] <= w[c])
            {
                return;
            }

            (w[c], w[i]) = (w[i], w[c]);
            (v[c], v[i]) = (v[i], v[c]);
            i = c;
        }
    }

    private static WeightedGraph BuildGraph(int n, long[] keys, IPairWeights weights)
    {
        var us = new int[keys.Length];
        var vs = new int[keys.Length];
        var ws = new long[keys.Length];
        Parallel.For(0, keys.Length, i =>
        {
            int u = (int)(keys[i] >> 32);
            int v = (int)(keys[i] & 0xFFFFFFFF);
            us[i] = u;
            vs[i] = v;
            ws[i] = weights.Weight(u, v);
        });
        return new WeightedGraph(n, us, vs, ws);
    }

    /// <summary>All allowed pairs whose reduced cost against the duals is negative, as pair keys.</summary>
    private static List<long> Price(IPairWeights weights, MatchingDuals duals)
    {
        int n = weights.NodeCount;
        long[] u2 = duals.VertexDual2x;
        var shared = new BlossomChains(n, duals.Blossoms);
        var result = new List<long>();
        var gate = new object();
        // Rows shrink with u; the dynamic partitioning of Parallel.For keeps both cores busy.
        Parallel.For(0, n, () => new List<long>(), (u, _, local) =>
        {
            long du = u2[u];
            for (int v = u + 1; v < n; v++)
            {
                long w = weights.Weight(u, v);
                if (w <= 0)
                {
                    continue;
                }

                long room = du + u2[v] - 2 * w;
                if (room >= 0)
                {
                    continue;
                }

                if (room + shared.SharedDual(u, v) < 0)
                {
                    local.Add(PairKey(u, v));
                }
            }

            return local;
        }, local =>
        {
            lock (gate)
            {
                result.AddRange(local);
            }
        });
        return result;
    }

    /// <summary>Per-vertex chains of the (laminar) positive-dual blossoms, outermost first, with prefix sums.</summary>
    private sealed class BlossomChains
    {
        private readonly int[] _start;
        private readonly int[] _ids;
        private readonly long[] _prefix;

        public BlossomChains(int n, IReadOnlyList<BlossomDual> blossoms)
        {
            _start = new int[n + 1];
            var order = Enumerable.Range(0, blossoms.Count).Where(i => blossoms[i].Dual2x > 0)
                .OrderByDescending(i => blossoms[i].Members.Length).ThenBy(i => i).ToArray();
            foreach (int b in order)
            {
                foreach (int x in blossoms[b].Members)
                {
                    _start[x + 1]++;
                }
            }

            for (int v = 0; v < n; v++)
            {
                _start[v + 1] += _start[v];
            }

            _ids = new int[_start[n]];
            _prefix = new long[_start[n]];
            var fill = (int[])_start.Clone();
            foreach (int b in order)
            {
                foreach (int x in blossoms[b].Members)
                {
                    int at = fill[x]++;
                    _ids[at] = b;
                    _prefix[at] = (at > _start[x] ? _prefix[at - 1] : 0) + blossoms[b].Dual2x;
                }
            }
        }

        /// <summary>Sum of the duals of blossoms containing both u and v (the common prefix of their chains).</summary>
        public long SharedDual(int u, int v)
        {
            int a = _start[u], aEnd = _start[u + 1];
            int b = _start[v], bEnd = _start[v + 1];
            long sum = 0;
            while (a < aEnd && b < bEnd && _ids[a] == _ids[b])
            {
                sum = _prefix[a];
                a++;
                b++;
            }

            return sum;
        }
    }
}
