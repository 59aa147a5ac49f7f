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
    public static PricedSolution Solve(IPairWeights weights, int candidatesPerNode = 20, Action<string>? progress = null) =>
        Solve(weights, candidatesPerNode, progress, new PricingOptions());

    /// <summary>
    /// Tuning of the pricing passes (never of the result): the pool size a full pass aims for per node, and when a
    /// round prices all pairs again instead of only the dirty rows (when dirty rows * FullPassDivisor &gt; n; 0 never).
    /// </summary>
    internal sealed record PricingOptions(int PoolPerNode = 8, int FullPassDivisor = 8);

    internal static PricedSolution Solve(IPairWeights weights, int candidatesPerNode, Action<string>? progress, PricingOptions options)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
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
        MatchingSolution? previous = null;
        // Duals of the last full pass, and its margin: from then on the graph holds every allowed pair with
        // reference[u] + reference[v] - 2w < margin (see PriceAll), so only rows of vertices whose dual fell by more
        // than margin / 2 since can hold a violator, and only those rows are priced again (PriceRows).
        long[]? reference = null;
        long margin = 0;
        while (true)
        {
            rounds++;
            var graph = BuildGraph(n, keys, weights);
            sw.Restart();
            var solution = MaximumWeightMatching.SolveFrom(graph, previous);
            solveTime += sw.Elapsed;
            progress?.Invoke($"round {rounds}: solve {sw.Elapsed.TotalSeconds:F2} s on {graph.EdgeCount} edges, {solution.Duals.Blossoms.Count} blossoms{(previous == null ? "" : " (warm)")}");

            sw.Restart();
            long[] u2 = solution.Duals.VertexDual2x;
            var chains = new BlossomChains(n, solution.Duals.Blossoms);
            int[]? dirty = reference == null ? null : DirtyRows(reference, u2, margin);
            Pricing found;
            if (dirty == null || (long)dirty.Length * options.FullPassDivisor > n)
            {
                margin = ChooseMargin(weights, u2, (long)n * options.PoolPerNode);
                found = PriceAll(weights, u2, chains, margin, (long)n * options.PoolPerNode * 4);
                margin = found.Margin;
                reference = (long[])u2.Clone();
                progress?.Invoke($"round {rounds}: full pricing {sw.Elapsed.TotalSeconds:F2} s, {found.Violators} violators, margin {margin}, pool {found.Keys.Count}");
            }
            else
            {
                found = PriceRows(weights, u2, chains, dirty, margin);
                progress?.Invoke($"round {rounds}: pricing {dirty.Length} rows {sw.Elapsed.TotalSeconds:F2} s, {found.Violators} violators, pool {found.Keys.Count}");
            }

            pricingTime += sw.Elapsed;
            if (found.Violators == 0)
            {
                return new PricedSolution(solution, graph, rounds, added, candidateTime, solveTime, pricingTime);
            }

            int before = keys.Length;
            keys = Merge(keys, found.Keys);
            added += keys.Length - before;
            previous = solution;
        }
    }

    private sealed record Pricing(List<long> Keys, int Violators, long Margin);

    private static long[] Merge(long[] keys, List<long> more)
    {
        var merged = new long[keys.Length + more.Count];
        keys.CopyTo(merged, 0);
        more.CopyTo(merged, keys.Length);
        Array.Sort(merged);
        int distinct = 0;
        for (int i = 0; i < merged.Length; i++)
        {
            if (distinct == 0 || merged[i] != merged[distinct - 1])
            {
                merged[distinct++] = merged[i];
            }
        }

        return distinct == merged.Length ? merged : merged.AsSpan(0, distinct).ToArray();
    }

    /// <summary>Vertices whose dual fell by more than margin / 2 below the reference (the only rows that can hold a violator).</summary>
    private static int[] DirtyRows(long[] reference, long[] u2, long margin)
    {
        var dirty = new List<int>();
        for (int v = 0; v < u2.Length; v++)
        {
            if (2 * (reference[v] - u2[v]) > margin)
            {
                dirty.Add(v);
            }
        }

        return [.. dirty];
    }

    /// <summary>
    /// The largest margin (0..256, in the scaled units of the duals) whose pool is estimated, from a sample of whole
    /// rows, to stay within <paramref name="target"/> pairs. Only sizes the pool; correctness never depends on it.
    /// </summary>
    private static long ChooseMargin(IPairWeights weights, long[] u2, long target)
    {
        const int Buckets = 257;
        int n = weights.NodeCount;
        int samples = Math.Min(n, 128);
        if (samples == 0)
        {
            return 0;
        }

        var counts = new long[Buckets];
        var row = new long[n];
        for (int s = 0; s < samples; s++)
        {
            int u = (int)((long)s * n / samples);
            weights.WeightsRow(u, 0, row);
            for (int v = 0; v < n; v++)
            {
                long w = row[v];
                if (v == u || w <= 0)
                {
                    continue;
                }

                long r0 = u2[u] + u2[v] - (2 * w);
                if (r0 < Buckets - 1)
                {
                    counts[Math.Max(0, r0)]++;
                }
            }
        }

        // Each sampled row stands for n / (2 * samples) of the rows of the upper triangle.
        double scale = n / (2.0 * samples);
        double total = 0;
        long margin = 0;
        for (int m = 0; m < Buckets - 1; m++)
        {
            total += counts[m] * scale;
            if (total > target)
            {
                break;
            }

            margin = m + 1;
        }

        return margin;
    }

    /// <summary>
    /// Prices every allowed pair (row u against v &gt; u): counts the violators (negative reduced cost with the blossom
    /// duals) and returns as pool every pair with U[u] + U[v] - 2w &lt; margin (blossoms ignored, so the pool holds all
    /// violators). Should the pool outgrow <paramref name="cap"/>, the margin is halved (the result says which margin
    /// the pool is complete for).
    /// </summary>
    private static Pricing PriceAll(IPairWeights weights, long[] u2, BlossomChains chains, long margin, long cap)
    {
        int n = weights.NodeCount;
        var gate = new object();
        var keys = new List<long>();
        var rooms = new List<long>();
        int violators = 0;
        long sharedMargin = margin;
        long perWorkerCap = Math.Max(1024, cap / Math.Max(1, Environment.ProcessorCount));
        Parallel.For(0, n - 1, () => new RowState(n), (u, _, state) =>
        {
            long m = Volatile.Read(ref sharedMargin);
            if (m < state.Margin)
            {
                state.Shrink(m);
            }

            int len = n - u - 1;
            var row = state.Row.AsSpan(0, len);
            weights.WeightsRow(u, u + 1, row);
            PriceRow(u, u + 1, row, u2, chains, state);
            if (state.Keys.Count > perWorkerCap)
            {
                long lower = state.Margin / 2;
                state.Shrink(lower);
                long seen;
                while ((seen = Volatile.Read(ref sharedMargin)) > lower && Interlocked.CompareExchange(ref sharedMargin, lower, seen) != seen)
                {
                }
            }

            return state;
        }, state =>
        {
            lock (gate)
            {
                keys.AddRange(state.Keys);
                rooms.AddRange(state.Rooms);
                violators += state.Violators;
            }
        });

        long final = Volatile.Read(ref sharedMargin);
        if (final < margin)
        {
            int kept = 0;
            for (int i = 0; i < keys.Count; i++)
            {
                if (rooms[i] < final)
                {
                    keys[kept++] = keys[i];
                }
            }

            keys.RemoveRange(kept, keys.Count - kept);
        }

        return new Pricing(keys, violators, final);
    }

    /// <summary>Prices the whole rows of <paramref name="rows"/> exactly; the pool is every pair there with U[u] + U[v] - 2w &lt; margin.</summary>
    private static Pricing PriceRows(IPairWeights weights, long[] u2, BlossomChains chains, int[] rows, long margin)
    {
        int n = weights.NodeCount;
        var gate = new object();
        var keys = new List<long>();
        int violators = 0;
        Parallel.For(0, rows.Length, () => new RowState(n) { Margin = margin }, (r, _, state) =>
        {
            int u = rows[r];
            var row = state.Row.AsSpan(0, n);
            weights.WeightsRow(u, 0, row);
            PriceRow(u, 0, row, u2, chains, state);
            return state;
        }, state =>
        {
            lock (gate)
            {
                keys.AddRange(state.Keys);
                violators += state.Violators;
            }
        });
        return new Pricing(keys, violators, margin);
    }

    private sealed class RowState(int n)
    {
        public long[] Row { get; } = new long[n];

        public List<long> Keys { get; } = new();

        public List<long> Rooms { get; } = new();

        public long Margin { get; set; } = long.MaxValue;

        public int Violators { get; set; }

        public void Shrink(long margin)
        {
            int kept = 0;
            for (int i = 0; i < Keys.Count; i++)
            {
                if (Rooms[i] < margin)
                {
                    Keys[kept] = Keys[i];
                    Rooms[kept] = Rooms[i];
                    kept++;
                }
            }

            Keys.RemoveRange(kept, Keys.Count - kept);
            Rooms.RemoveRange(kept, Rooms.Count - kept);
            Margin = margin;
        }
    }

    /// <summary>
    /// Pairs (u, firstV + i) with weights <paramref name="row"/>: every allowed pair with U[u] + U[v] - 2w &lt; margin
    /// goes to the pool, and counts as a violator when even the shared blossom duals leave its reduced cost negative.
    /// </summary>
    private static void PriceRow(int u, int firstV, Span<long> row, long[] u2, BlossomChains chains, RowState state)
    {
        long du = u2[u];
        long margin = state.Margin;
        var dv = u2.AsSpan(firstV, row.Length);
        int len = row.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // Hit when w > 0 and du - margin + dv < 2w; most blocks of four have none.
            var left = Vector256.Create(du - margin);
            int vecEnd = len & ~3;
            for (; i < vecEnd; i += 4)
            {
                var w4 = Vector256.Create<long>(row.Slice(i, 4));
                var hit = Vector256.GreaterThan(w4, Vector256<long>.Zero) & Vector256.LessThan(left + Vector256.Create<long>(dv.Slice(i, 4)), w4 + w4);
                if (hit == Vector256<long>.Zero)
                {
                    continue;
                }

                for (int j = i; j < i + 4; j++)
                {
                    Consider(u, firstV + j, row[j], du, dv[j], margin, chains, state);
                }
            }
        }

        for (; i < len; i++)
        {
            Consider(u, firstV + i, row[i], du, dv[i], margin, chains, state);
        }
    }

    private static void Consider(int u, int v, long w, long du, long dv, long margin, BlossomChains chains, RowState state)
    {
        if (w <= 0 || v == u)
        {
            return;
        }

        long room = du + dv - (2 * w);
        if (room >= margin)
        {
            return;
        }

        state.Keys.Add(PairKey(u, v));
        state.Rooms.Add(room);
        if (room < 0 && room + chains.SharedDual(u, v) < 0)
        {
            state.Violators++;
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
