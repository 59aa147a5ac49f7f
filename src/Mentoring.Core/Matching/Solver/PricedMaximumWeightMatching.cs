using System.Diagnostics;
using System.Runtime.Intrinsics;

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
    public static PricedSolution Solve(IPairWeights weights, int candidatesPerNode = 20, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidatesPerNode, 1);
        int n = weights.NodeCount;
        if ((long)n * candidatesPerNode > int.MaxValue / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(candidatesPerNode), "NodeCount * candidatesPerNode is too large.");
        }

        var sw = Stopwatch.StartNew();
        var keys = TopCandidates(weights, candidatesPerNode);
        var candidateTime = sw.Elapsed;
        progress?.Invoke($"candidates {keys.Length} edges in {candidateTime.TotalSeconds:F2} s");

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
            progress?.Invoke($"round {rounds}: solve {sw.Elapsed.TotalSeconds:F2} s on {graph.EdgeCount} edges, {solution.Duals.Blossoms.Count} blossoms");

            sw.Restart();
            var violators = Price(weights, solution.Duals);
            pricingTime += sw.Elapsed;
            progress?.Invoke($"round {rounds}: pricing {sw.Elapsed.TotalSeconds:F2} s, {violators.Count} violators");
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

    /// <summary>
    /// Each node's k heaviest allowed partners, as sorted distinct pair keys. Every unordered pair is evaluated
    /// once (row u against v &gt; u) and offered to both ends' heaps; each worker keeps its own heaps, merged at the end.
    /// </summary>
    private static long[] TopCandidates(IPairWeights weights, int k)
    {
        int n = weights.NodeCount;
        int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, n / 64 + 1));
        var heapsW = new long[workers][];
        var heapsV = new int[workers][];
        var sizes = new int[workers][];
        int nextRow = 0;
        const int Chunk = 16;
        var tasks = new Task[workers];
        for (int t = 0; t < workers; t++)
        {
            int id = t;
            tasks[t] = Task.Run(() =>
            {
                var hw = new long[(long)n * k];
                var hv = new int[(long)n * k];
                var size = new int[n];
                // thr[x]: the weight a pair must beat to enter x's heap (its root once full, else 0).
                var thr = new long[n];
                var row = new long[n];
                heapsW[id] = hw;
                heapsV[id] = hv;
                sizes[id] = size;
                while (true)
                {
                    int first = Interlocked.Add(ref nextRow, Chunk) - Chunk;
                    if (first >= n - 1)
                    {
                        break;
                    }

                    int last = Math.Min(n - 1, first + Chunk);
                    for (int u = first; u < last; u++)
                    {
                        int len = n - u - 1;
                        var span = row.AsSpan(0, len);
                        weights.WeightsRow(u, u + 1, span);
                        var thrV = thr.AsSpan(u + 1, len);
                        int i = 0;
                        if (Vector256.IsHardwareAccelerated)
                        {
                            int vecEnd = len & ~3;
                            for (; i < vecEnd; i += 4)
                            {
                                var w4 = Vector256.Create<long>(span.Slice(i, 4));
                                var hit = Vector256.GreaterThan(w4, Vector256.Create<long>(thrV.Slice(i, 4)))
                                    | Vector256.GreaterThan(w4, Vector256.Create(thr[u]));
                                if (hit == Vector256<long>.Zero)
                                {
                                    continue;
                                }

                                for (int j = i; j < i + 4; j++)
                                {
                                    OfferBoth(hw, hv, size, thr, k, u, u + 1 + j, span[j]);
                                }
                            }
                        }

                        for (; i < len; i++)
                        {
                            OfferBoth(hw, hv, size, thr, k, u, u + 1 + i, span[i]);
                        }
                    }
                }
            });
        }

        Task.WaitAll(tasks);

        // Merge: node u's candidates are the k best over all workers' heaps for u.
        var keys = new long[(long)n * k];
        int count = 0;
        var mergeW = new long[workers * k];
        var mergeV = new int[workers * k];
        for (int u = 0; u < n; u++)
        {
            int c = 0;
            for (int t = 0; t < workers; t++)
            {
                long baseIndex = (long)u * k;
                for (int i = 0; i < sizes[t][u]; i++)
                {
                    mergeW[c] = -heapsW[t][baseIndex + i];
                    mergeV[c] = heapsV[t][baseIndex + i];
                    c++;
                }
            }

            if (c > k)
            {
                // Heaviest first, ties by smaller id, then keep k.
                Array.Sort(mergeW, mergeV, 0, c);
                c = k;
            }

            for (int i = 0; i < c; i++)
            {
                keys[count++] = PairKey(u, mergeV[i]);
            }
        }

        Array.Sort(keys, 0, count);
        int distinct = 0;
        for (int i = 0; i < count; i++)
        {
            if (i == 0 || keys[i] != keys[distinct - 1])
            {
                keys[distinct++] = keys[i];
            }
        }

        return keys.AsSpan(0, distinct).ToArray();
    }

    private static void OfferBoth(long[] hw, int[] hv, int[] size, long[] thr, int k, int u, int v, long w)
    {
        if (w > thr[u])
        {
            Offer(hw, hv, size, thr, k, u, v, w);
        }

        if (w > thr[v])
        {
            Offer(hw, hv, size, thr, k, v, u, w);
        }
    }

    private static void Offer(long[] hw, int[] hv, int[] size, long[] thr, int k, int node, int other, long w)
    {
        long baseIndex = (long)node * k;
        int s = size[node];
        var heapW = hw.AsSpan((int)baseIndex, k);
        var heapV = hv.AsSpan((int)baseIndex, k);
        if (s < k)
        {
            heapW[s] = w;
            heapV[s] = other;
            SiftUp(heapW, heapV, s);
            size[node] = ++s;
        }
        else
        {
            heapW[0] = w;
            heapV[0] = other;
            SiftDown(heapW, heapV, k);
        }

        if (s == k)
        {
            thr[node] = heapW[0];
        }
    }

    // Min-heap on weight (the smallest of the kept k at the root).
    private static void SiftUp(Span<long> w, Span<int> v, int i)
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

    private static void SiftDown(Span<long> w, Span<int> v, int size)
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
        Parallel.For(0, n - 1, () => (new List<long>(), new long[n]), (u, _, state) =>
        {
            var (local, rowBuffer) = state;
            long du = u2[u];
            int len = n - u - 1;
            var row = rowBuffer.AsSpan(0, len);
            weights.WeightsRow(u, u + 1, row);
            var dv = u2.AsSpan(u + 1, len);
            for (int i = 0; i < len; i++)
            {
                long w = row[i];
                if (w <= 0)
                {
                    continue;
                }

                long room = du + dv[i] - 2 * w;
                int v = u + 1 + i;
                if (room >= 0)
                {
                    continue;
                }

                if (room + shared.SharedDual(u, v) < 0)
                {
                    local.Add(PairKey(u, v));
                }
            }

            return state;
        }, state =>
        {
            lock (gate)
            {
                result.AddRange(state.Item1);
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
