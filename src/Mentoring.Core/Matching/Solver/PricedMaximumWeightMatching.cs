using System.Diagnostics;
using System.Runtime.InteropServices;
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
/// <para>
/// Only one pass prices every pair. It keeps, besides the violators, a pool of every pair whose room
/// U[u] + U[v] - 2w + min(Spine[u], Spine[v]) (vertex duals, scaled by 2, and the part of the blossom duals any two
/// vertices surely share, see BlossomChains.Spine) is below a margin, and the graph takes them all. Re-solves start
/// warm from the previous optimum. A pair outside the graph then had room &gt;= margin against the reference duals
/// of that pass, and blossom duals are never negative, so it can only violate the new duals if U[u] + U[v] fell by
/// more than margin less the smaller spine sum: so only the rows of vertices whose dual fell by more than
/// (margin - Spine) / 2 are priced again (exactly, with blossoms). Every skipped pair is thereby proved
/// non-violating, so the last pass is still a full proof.
/// </para>
/// </summary>
public static partial class PricedMaximumWeightMatching
{
    /// <summary>
    /// The optimum over all allowed pairs of <paramref name="weights"/>, starting from each node's
    /// <paramref name="candidatesPerNode"/> heaviest pairs. <paramref name="progress"/> receives one line per phase.
    /// </summary>
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
        var blocks = BoundBlocks.For(weights);
        var keys = blocks != null ? BestFirstCandidates(weights, blocks, candidatesPerNode) : TopCandidates(weights, candidatesPerNode);
        var candidateTime = sw.Elapsed;
        progress?.Invoke($"candidates {keys.Length} edges in {candidateTime.TotalSeconds:F2} s");

        var solveTime = TimeSpan.Zero;
        var pricingTime = TimeSpan.Zero;
        int rounds = 0;
        int added = 0;
        MatchingSolution? previous = null;
        // Duals of the last full pass, and its margin: from then on the graph holds every allowed pair with
        // reference[u] + reference[v] - 2w + min(spine) < margin (see PriceAll), so only rows of vertices whose dual
        // fell far enough since can hold a violator (DirtyRows), and only those rows are priced again (PriceRows).
        long[]? reference = null;
        long[]? referenceSpine = null;
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
            int[]? dirty = reference == null ? null : DirtyRows(reference, referenceSpine!, u2, margin);
            Pricing found;
            if (dirty == null || (long)dirty.Length * options.FullPassDivisor > n)
            {
                margin = ChooseMargin(weights, u2, chains.Spine, (long)n * options.PoolPerNode);
                found = PriceAll(weights, u2, chains, margin, (long)n * options.PoolPerNode * 4, Math.Max(1, options.PoolPerNode));
                margin = found.Margin;
                // A partial pool proves nothing about the pairs left out: the next round prices everything again.
                reference = found.Partial ? null : (long[])u2.Clone();
                referenceSpine = chains.Spine;
                progress?.Invoke($"round {rounds}: full pricing {sw.Elapsed.TotalSeconds:F2} s, {found.Violators} violators, {(found.Partial ? "most violated only" : $"margin {margin}")}, pool {found.Keys.Count}");
            }
            else
            {
                found = PriceRows(weights, u2, chains, dirty, margin, (long)n * options.PoolPerNode * 4);
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

    /// <summary>Pairs to add, how many violators the pass saw, and the margin the pool is complete for (unless Partial).</summary>
    private sealed record Pricing(List<long> Keys, int Violators, long Margin, bool Partial);

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

    /// <summary>
    /// The only rows that can hold a violator: vertices whose dual fell by more than margin / 2 below the reference, less
    /// half their spine sum then. A pair left out of the pool had reference room (with the smaller spine sum, at most
    /// the mean of the two) of at least margin, and a violator has negative room without blossoms, so one end's fall
    /// plus half its spine sum exceeds margin / 2.
    /// </summary>
    private static int[] DirtyRows(long[] reference, long[] referenceSpine, long[] u2, long margin)
    {
        var dirty = new List<int>();
        for (int v = 0; v < u2.Length; v++)
        {
            if ((2 * (reference[v] - u2[v])) + referenceSpine[v] > margin)
            {
                dirty.Add(v);
            }
        }

        return [.. dirty];
    }

    /// <summary>
    /// A margin (in the scaled units of the duals, 0 or more) whose pool is estimated, from a sample of whole rows, to
    /// hold about <paramref name="target"/> pairs: the matching quantile of the sampled rooms (see PriceAll). Only sizes
    /// the pool (and so the number of dirty rows later); correctness never depends on it.
    /// </summary>
    private static long ChooseMargin(IPairWeights weights, long[] u2, long[] spine, long target)
    {
        int n = weights.NodeCount;
        int samples = Math.Min(n, 64);
        if (samples < 2 || target <= 0)
        {
            return 0;
        }

        // The sample holds samples * (n - 1) of the n * (n - 1) ordered pairs, so keep its smallest 2 * target * samples / n.
        int need = (int)Math.Clamp(2 * target * samples / n, 1, 1 << 20);
        var smallest = new PriorityQueue<long, long>(need + 1, Comparer<long>.Create((x, y) => y.CompareTo(x)));
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

                long r0 = u2[u] + u2[v] - (2 * w) + Math.Min(spine[u], spine[v]);
                if (smallest.Count < need)
                {
                    smallest.Enqueue(r0, r0);
                }
                else if (r0 < smallest.Peek())
                {
                    smallest.EnqueueDequeue(r0, r0);
                }
            }
        }

        // Fewer allowed pairs in the sample than needed: the pool may as well hold them all (PriceAll caps it anyway).
        return smallest.Count < need ? long.MaxValue / 4 : Math.Max(0, smallest.Peek());
    }

    /// <summary>
    /// Prices every allowed pair (row u against v &gt; u): counts the violators (negative reduced cost with the blossom
    /// duals) and returns as pool every pair with room U[u] + U[v] - 2w + min(Spine[u], Spine[v]) &lt; margin (a lower
    /// bound of the reduced cost, so the pool holds all violators). Should the pool outgrow <paramref name="cap"/>, the
    /// margin is halved (the result says which margin the pool is complete for); should it outgrow the cap even at
    /// margin 0 (a poor first solve), the pool keeps only the most violated pairs, at most <paramref name="perNode"/>
    /// per node (<see cref="MostViolatedPerNode"/>), and the result is marked <see cref="Pricing.Partial"/> (complete for
    /// no margin).
    /// </summary>
    private static Pricing PriceAll(IPairWeights weights, long[] u2, BlossomChains chains, long margin, long cap, int perNode)
    {
        int n = weights.NodeCount;
        var blocks = BoundBlocks.For(weights);
        var minima = blocks?.Minima(u2, chains.Spine);
        long sharedMargin = margin;
        int perWorkerCap = (int)Math.Clamp(cap / Workers(n), 1024, 1 << 26);
        var states = RunWorkers(n - 1, () => new RowState(n, margin), (u, state) =>
        {
            long m = Volatile.Read(ref sharedMargin);
            if (!state.Partial && m < state.Margin)
            {
                state.Shrink(m);
            }

            PriceRange(weights, blocks, minima, u, u + 1, n, u2, chains, state);

            if (state.Keys.Count > perWorkerCap)
            {
                if (!state.Partial && state.Margin > 0)
                {
                    long lower = state.Margin / 2;
                    state.Shrink(lower);
                    long seen;
                    while ((seen = Volatile.Read(ref sharedMargin)) > lower && Interlocked.CompareExchange(ref sharedMargin, lower, seen) != seen)
                    {
                    }
                }
                else if (!state.CappedPerNode)
                {
                    // From here the pool holds at most perNode pairs per node, so it needs no further trimming.
                    state.KeepMostViolatedPerNode(perNode);
                }
            }
        });

        long final = Volatile.Read(ref sharedMargin);
        bool partial = states.Exists(st => st.Partial);
        var keys = new List<long>();
        var exact = new List<long>();
        int violators = 0;
        foreach (var st in states)
        {
            violators += st.Violators;
            for (int i = 0; i < st.Keys.Count; i++)
            {
                if (partial ? st.Exact[i] < 0 : st.Rooms[i] < final)
                {
                    keys.Add(st.Keys[i]);
                    exact.Add(st.Exact[i]);
                }
            }
        }

        return new Pricing(partial ? MostViolatedPerNode(n, keys, exact, perNode) : keys, violators, final, partial);
    }

    /// <summary>
    /// Of a partial pool's violators, the most violated first, each kept while both its ends have fewer than
    /// <paramref name="perNode"/> kept: every pair left out has an end that already got perNode pairs more violated
    /// (or as much). A poor first solve leaves a few vertices violated against much of the company (on the 1M-person
    /// graph, 923 vertices held 44.7 million of 45.5 million violators); their rows filled the pool, and the re-solve
    /// took a graph of 37.5 million edges. Added, a vertex's most violated pairs raise its dual, and its other pairs
    /// stop violating. The pairs left out are priced again by the next full pass (a partial pool proves nothing).
    /// </summary>
    internal static List<long> MostViolatedPerNode(int n, List<long> keys, List<long> exact, int perNode)
    {
        var byExact = exact.ToArray();
        var pairs = keys.ToArray();
        Array.Sort(byExact, pairs);
        var cap = new PerNodeCap(n, perNode);
        var kept = new List<long>();
        foreach (long key in pairs)
        {
            if (cap.TryTake(key))
            {
                kept.Add(key);
            }
        }

        return kept;
    }

    /// <summary>Pairs taken per node: a pair is taken only while both its ends have fewer than the cap.</summary>
    private sealed class PerNodeCap(int n, int cap)
    {
        private readonly int[] _taken = new int[n];

        public bool TryTake(long key)
        {
            int u = (int)(key >> 32);
            int v = (int)key;
            if (_taken[u] >= cap || _taken[v] >= cap)
            {
                return false;
            }

            _taken[u]++;
            _taken[v]++;
            return true;
        }
    }

    /// <summary>Prices the whole rows of <paramref name="rows"/> exactly; the pool is every pair there with a room (see PriceAll) below margin (fewer if it outgrows the cap).</summary>
    private static Pricing PriceRows(IPairWeights weights, long[] u2, BlossomChains chains, int[] rows, long margin, long cap)
    {
        int n = weights.NodeCount;
        var blocks = BoundBlocks.For(weights);
        var minima = blocks?.Minima(u2, chains.Spine);
        int perWorkerCap = (int)Math.Clamp(cap / Workers(n), 1024, 1 << 26);
        var states = RunWorkers(rows.Length, () => new RowState(n, margin), (r, state) =>
        {
            PriceRange(weights, blocks, minima, rows[r], 0, n, u2, chains, state);

            if (state.Keys.Count > perWorkerCap)
            {
                // These extras are optional (the pool of a row pass proves nothing): drop to violators first.
                if (!state.Partial && state.Margin > 0)
                {
                    state.Shrink(0);
                }

                if (state.Keys.Count > perWorkerCap)
                {
                    state.KeepMostViolated(perWorkerCap / 2);
                }
            }
        });

        var keys = new List<long>();
        int violators = 0;
        foreach (var state in states)
        {
            for (int i = 0; i < state.Keys.Count; i++)
            {
                if (!state.Partial || state.Exact[i] < 0)
                {
                    keys.Add(state.Keys[i]);
                }
            }

            violators += state.Violators;
        }

        return new Pricing(keys, violators, margin, Partial: true);
    }

    /// <summary>
    /// Prices the pairs (u, v) for v in [from, to). With bounds, a block is skipped when even its bound leaves every
    /// pair a room of at least the pool threshold: U[u] + min U[block] - 2 * bound + min(Spine[u], min Spine[block])
    /// &gt;= ScanBelow (never a violator, since the other blossom duals only add to the room, and never in the pool).
    /// A block that is not skipped is tried again sub-block by sub-block, when there are sub-blocks.
    /// </summary>
    private static void PriceRange(IPairWeights weights, BoundBlocks? blocks, BlockMinima? minima, int u, int from, int to, long[] u2, BlossomChains chains, RowState state)
    {
        if (blocks == null || minima == null)
        {
            for (int start = from; start < to; start += RowBlock)
            {
                var row = state.Row.AsSpan(0, Math.Min(RowBlock, to - start));
                weights.WeightsRow(u, start, row);
                PriceRow(u, start, row, u2, chains, state);
            }

            return;
        }

        long du = u2[u];
        long su = chains.Spine[u];
        int b0 = blocks.BlockOf[from];
        var bounds = (state.BlockBounds ??= new long[blocks.Count]).AsSpan(0, blocks.BlockOf[to - 1] + 1 - b0);
        blocks.Bounds.BlockBoundsRange(u, b0, bounds);
        var dual = minima.Dual.AsSpan(b0, bounds.Length);
        var spine = minima.Spine.AsSpan(b0, bounds.Length);
        var run = new PricedRun(weights, u, u2, chains, state);
        var subBounds = Span<long>.Empty;
        int s0 = 0;
        int subRead = 0; // the sub-block bounds of s0 .. subRead - 1 are read (those of blocks skipped whole may not be)
        for (int i = 0; i < bounds.Length; i += 4)
        {
            uint keep = KeptBlocks(bounds, dual, spine, i, du, su, state.ScanBelow);
            if (keep == 0)
            {
                run.Flush(Math.Max(from, blocks.Starts[b0 + i]));
                continue;
            }

            for (int j = i; j < Math.Min(i + 4, bounds.Length); j++)
            {
                int b = b0 + j;
                int pos = Math.Max(from, blocks.Starts[b]);
                int end = Math.Min(to, blocks.Starts[b + 1]);
                bool skip = (keep & (1u << (j - i))) == 0;
                if (skip || blocks.SubStarts == null)
                {
                    run.Next(pos, end, skip);
                    continue;
                }

                if (subBounds.IsEmpty)
                {
                    s0 = blocks.SubOf![from];
                    subBounds = (state.SubBounds ??= new long[blocks.SubCount]).AsSpan(0, blocks.SubOf[to - 1] + 1 - s0);
                    subRead = s0;
                }

                if (blocks.SubOf![end - 1] >= subRead)
                {
                    // The sub-block bounds of this block and the next few in one call: kept blocks come in runs (alike
                    // people sit together), a call per block cost more than the bounds it saved, and one per row read
                    // the bounds of many blocks that are skipped whole.
                    int readFrom = Math.Max(subRead, blocks.SubOf[pos]);
                    int readTo = Math.Min(s0 + subBounds.Length, blocks.FirstSub![Math.Min(blocks.Count, b + SubBoundsWindow)]);
                    blocks.Bounds.SubBlockBoundsRange(u, readFrom, subBounds[(readFrom - s0)..(readTo - s0)]);
                    subRead = readTo;
                }

                for (int s = blocks.SubOf[pos]; s <= blocks.SubOf[end - 1]; s++)
                {
                    bool subSkip = Skips(du, su, minima.SubDual![s], minima.SubSpine![s], subBounds[s - s0], state.ScanBelow);
                    run.Next(Math.Max(pos, blocks.SubStarts[s]), Math.Min(end, blocks.SubStarts[s + 1]), subSkip);
                }
            }
        }

        run.Flush(to);
    }

    /// <summary>
    /// Whether a block (or sub-block) can be skipped: even its bound leaves every pair a room of at least the pool
    /// threshold, U[u] + min U[block] - 2 * bound + min(Spine[u], min Spine[block]) &gt;= scanBelow.
    /// </summary>
    private static bool Skips(long du, long su, long minDual, long minSpine, long bound, long scanBelow) =>
        du + minDual - (2 * bound) + Math.Min(su, minSpine) >= scanBelow;

    /// <summary>Bit j set: block i + j is not skipped (<see cref="Skips"/>), for the up to four blocks from i on.</summary>
    private static uint KeptBlocks(ReadOnlySpan<long> bounds, ReadOnlySpan<long> minDual, ReadOnlySpan<long> minSpine, int i, long du, long su, long scanBelow)
    {
        if (Vector256.IsHardwareAccelerated && i + 4 <= bounds.Length)
        {
            var room = Vector256.Create(du) + Vector256.Create(minDual.Slice(i, 4)) - (Vector256.Create(bounds.Slice(i, 4)) * 2)
                + Vector256.Min(Vector256.Create(su), Vector256.Create(minSpine.Slice(i, 4)));
            return Vector256.LessThan(room, Vector256.Create(scanBelow)).ExtractMostSignificantBits();
        }

        uint keep = 0;
        for (int j = i; j < Math.Min(i + 4, bounds.Length); j++)
        {
            if (!Skips(du, su, minDual[j], minSpine[j], bounds[j], scanBelow))
            {
                keep |= 1u << (j - i);
            }
        }

        return keep;
    }

    /// <summary>
    /// Gathers the consecutive parts of a row that are not skipped into segments of at most RowBlock pairs, and prices
    /// each segment with one call for its weights.
    /// </summary>
    private struct PricedRun(IPairWeights weights, int u, long[] u2, BlossomChains chains, RowState state)
    {
        private int _segment = -1;

        public void Next(int pos, int end, bool skip)
        {
            if (skip || end - (_segment < 0 ? pos : _segment) > RowBlock)
            {
                Flush(pos);
            }

            if (!skip && _segment < 0)
            {
                _segment = pos;
            }
        }

        public void Flush(int pos)
        {
            if (_segment >= 0)
            {
                PriceSegment(weights, u, _segment, pos, u2, chains, state);
                _segment = -1;
            }
        }
    }

    private static void PriceSegment(IPairWeights weights, int u, int from, int to, long[] u2, BlossomChains chains, RowState state)
    {
        var row = state.Row.AsSpan(0, to - from);
        weights.WeightsRow(u, from, row);
        PriceRow(u, from, row, u2, chains, state);
    }

    /// <summary>The blocks of an <see cref="IPairWeightBounds"/>, when they are coarse enough to pay for their bounds.</summary>
    private sealed class BoundBlocks
    {
        private BoundBlocks(IPairWeightBounds bounds, int n, int[]? subStarts)
        {
            Bounds = bounds;
            Starts = bounds.BlockStarts;
            BlockOf = PartOf(Starts, n);
            if (subStarts != null)
            {
                SubStarts = subStarts;
                SubOf = PartOf(subStarts, n);
                FirstSub = [.. Starts.Select(v => v == n ? subStarts.Length - 1 : SubOf[v])];
            }
        }

        public IPairWeightBounds Bounds { get; }

        public int[] Starts { get; }

        public int[] BlockOf { get; }

        public int Count => Starts.Length - 1;

        /// <summary>The sub-blocks (<see cref="IPairWeightBounds.SubBlockStarts"/>), or null for one level.</summary>
        public int[]? SubStarts { get; }

        public int[]? SubOf { get; }

        /// <summary>FirstSub[b]: the first sub-block of block b (FirstSub[Count]: the number of sub-blocks).</summary>
        public int[]? FirstSub { get; }

        public int SubCount => SubStarts == null ? 0 : SubStarts.Length - 1;

        private static int[] PartOf(int[] starts, int n)
        {
            var of = new int[n];
            for (int b = 0; b + 1 < starts.Length; b++)
            {
                for (int v = starts[b]; v < starts[b + 1]; v++)
                {
                    of[v] = b;
                }
            }

            return of;
        }

        public static BoundBlocks? For(IPairWeights weights)
        {
            int n = weights.NodeCount;
            if (weights is not IPairWeightBounds bounds || bounds.BlockStarts.Length - 1 > n / 8)
            {
                return null;
            }

            var starts = bounds.BlockStarts;
            if (starts.Length < 2 || starts[0] != 0 || starts[^1] != n)
            {
                throw new ArgumentException("BlockStarts must run from 0 to NodeCount.", nameof(weights));
            }

            for (int b = 0; b + 1 < starts.Length; b++)
            {
                // Every segment of consecutive blocks is priced in one row buffer of RowBlock.
                if (starts[b + 1] <= starts[b] || starts[b + 1] - starts[b] > RowBlock)
                {
                    throw new ArgumentException($"Block {b} must hold 1..{RowBlock} nodes.", nameof(weights));
                }
            }

            var subs = bounds.SubBlockStarts;
            if (subs != null)
            {
                if (subs.Length < 2 || subs[0] != 0 || subs[^1] != n)
                {
                    throw new ArgumentException("SubBlockStarts must run from 0 to NodeCount.", nameof(weights));
                }

                for (int s = 0; s + 1 < subs.Length; s++)
                {
                    if (subs[s + 1] <= subs[s])
                    {
                        throw new ArgumentException($"Sub-block {s} must hold at least one node.", nameof(weights));
                    }
                }

                for (int b = 0; b + 1 < starts.Length; b++)
                {
                    if (Array.BinarySearch(subs, starts[b]) < 0)
                    {
                        throw new ArgumentException($"Block {b} must start where a sub-block starts.", nameof(weights));
                    }
                }
            }

            return new BoundBlocks(bounds, n, subs);
        }

        /// <summary>The smallest vertex dual and spine of each block and sub-block, for the pricing skips.</summary>
        public BlockMinima Minima(long[] u2, long[] spine) => new(
            MinPer(Starts, u2), MinPer(Starts, spine),
            SubStarts == null ? null : MinPer(SubStarts, u2), SubStarts == null ? null : MinPer(SubStarts, spine));

        private static long[] MinPer(int[] starts, long[] values)
        {
            var min = new long[starts.Length - 1];
            for (int b = 0; b < min.Length; b++)
            {
                long m = long.MaxValue;
                for (int v = starts[b]; v < starts[b + 1]; v++)
                {
                    m = Math.Min(m, values[v]);
                }

                min[b] = m;
            }

            return min;
        }
    }

    /// <summary>Per block (and sub-block, when there are any) the smallest vertex dual and the smallest spine.</summary>
    private sealed record BlockMinima(long[] Dual, long[] Spine, long[]? SubDual, long[]? SubSpine);

    private static int Workers(int n) => Math.Max(1, Math.Min(Environment.ProcessorCount, n / 64 + 1));

    /// <summary>Runs <paramref name="body"/> for items 0..count-1 on a fixed set of workers (one state each), handing out one item at a time.</summary>
    private static List<RowState> RunWorkers(int count, Func<RowState> init, Action<int, RowState> body)
    {
        int workers = Workers(count);
        var states = new RowState[workers];
        int next = 0;
        var tasks = new Task[workers];
        for (int t = 0; t < workers; t++)
        {
            var state = states[t] = init();
            tasks[t] = Task.Run(() =>
            {
                int item;
                while ((item = Interlocked.Increment(ref next) - 1) < count)
                {
                    body(item, state);
                }
            });
        }

        Task.WaitAll(tasks);
        return [.. states];
    }

    /// <summary>One worker's pool: pair keys with their room U[u] + U[v] - 2w + min(Spine[u], Spine[v]) and exact reduced cost (with blossoms).</summary>
    private sealed class RowState(int n, long margin)
    {
        private readonly int _n = n;

        public long[] Row { get; } = new long[Math.Min(n, RowBlock)];

        /// <summary>The current row's block bounds, one entry per block (allocated on first use).</summary>
        public long[]? BlockBounds { get; set; }

        /// <summary>The current row's sub-block bounds (allocated on first use).</summary>
        public long[]? SubBounds { get; set; }

        public List<long> Keys { get; } = new();

        public List<long> Rooms { get; } = new();

        public List<long> Exact { get; } = new();

        /// <summary>Pool threshold: rooms below it are kept; once <see cref="Partial"/>, exact reduced costs below it.</summary>
        public long Margin { get; private set; } = margin;

        /// <summary>The pool overflowed even at margin 0 and keeps only the most violated pairs.</summary>
        public bool Partial { get; private set; }

        public int Violators { get; set; }

        /// <summary>Pairs with a room at least this large need no look at all.</summary>
        public long ScanBelow => Partial ? 0 : Math.Max(0, Margin);

        public void Add(long key, long room, long exact)
        {
            if (_perNode != null)
            {
                if (exact >= 0 || !_perNode.TryTake(key))
                {
                    return;
                }
            }
            else if (Partial ? exact >= Margin : room >= Margin)
            {
                return;
            }

            Keys.Add(key);
            Rooms.Add(room);
            Exact.Add(exact);
        }

        private PerNodeCap? _perNode;

        /// <summary>The pool takes violators only, at most a cap per node (<see cref="KeepMostViolatedPerNode"/>).</summary>
        public bool CappedPerNode => _perNode != null;

        /// <summary>
        /// Keeps violators only, the most violated first while both ends have fewer than <paramref name="cap"/> kept,
        /// and from then on takes a violator only while both its ends have room (see MostViolatedPerNode): a few rows
        /// violated against much of the company no longer crowd the other violators out of the pool.
        /// </summary>
        public void KeepMostViolatedPerNode(int cap)
        {
            var order = Enumerable.Range(0, Keys.Count).Where(i => Exact[i] < 0).ToArray();
            var exact = order.Select(i => Exact[i]).ToArray();
            Array.Sort(exact, order);
            var keys = order.Select(i => Keys[i]).ToArray();
            var rooms = order.Select(i => Rooms[i]).ToArray();
            Keys.Clear();
            Rooms.Clear();
            Exact.Clear();
            _perNode = new PerNodeCap(_n, cap);
            Partial = true;
            Margin = 0;
            for (int i = 0; i < keys.Length; i++)
            {
                Add(keys[i], rooms[i], exact[i]);
            }
        }

        public void Shrink(long margin)
        {
            Filter(i => Rooms[i] < margin);
            Margin = margin;
        }

        /// <summary>Keeps the <paramref name="count"/> most violated pairs (at least one violator stays when there was one).</summary>
        public void KeepMostViolated(int count)
        {
            var sorted = Exact.Where(x => x < 0).Order().ToArray();
            if (sorted.Length > count)
            {
                // Keep those strictly below the boundary, plus enough ties to reach count (at least one).
                long boundary = sorted[count - 1];
                int below = 0;
                int ties = count - sorted.Count(x => x < boundary);
                Filter(i => Exact[i] < boundary || (Exact[i] == boundary && below++ < ties));
                Margin = boundary;
            }
            else
            {
                Filter(i => Exact[i] < 0);
                Margin = 0;
            }

            Partial = true;
        }

        private void Filter(Func<int, bool> keep)
        {
            int kept = 0;
            for (int i = 0; i < Keys.Count; i++)
            {
                if (keep(i))
                {
                    Keys[kept] = Keys[i];
                    Rooms[kept] = Rooms[i];
                    Exact[kept] = Exact[i];
                    kept++;
                }
            }

            Keys.RemoveRange(kept, Keys.Count - kept);
            Rooms.RemoveRange(kept, Rooms.Count - kept);
            Exact.RemoveRange(kept, Exact.Count - kept);
        }
    }

    /// <summary>
    /// Pairs (u, firstV + i) with weights <paramref name="row"/>: counts the violators (negative reduced cost even with
    /// the shared blossom duals) and offers the pool every allowed pair with a small room.
    /// </summary>
    private static void PriceRow(int u, int firstV, Span<long> row, long[] u2, BlossomChains chains, RowState state)
    {
        long du = u2[u];
        var dv = u2.AsSpan(firstV, row.Length);
        int len = row.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // Hit when w > 0 and du - scanBelow + dv + min(spine u, spine v) < 2w; most blocks of four have none.
            var left = Vector256.Create(du - state.ScanBelow);
            var su = Vector256.Create(chains.Spine[u]);
            ref long w0 = ref MemoryMarshal.GetReference(row);
            ref long d0 = ref MemoryMarshal.GetReference(dv);
            ref long s0 = ref MemoryMarshal.GetReference(chains.Spine.AsSpan(firstV, len));
            int vecEnd = len & ~3;
            for (; i < vecEnd; i += 4)
            {
                var w4 = Vector256.LoadUnsafe(ref w0, (nuint)i);
                var shared = Vector256.Min(su, Vector256.LoadUnsafe(ref s0, (nuint)i));
                var hit = Vector256.GreaterThan(w4, Vector256<long>.Zero) & Vector256.LessThan(left + Vector256.LoadUnsafe(ref d0, (nuint)i) + shared, w4 + w4);
                if (hit == Vector256<long>.Zero)
                {
                    continue;
                }

                for (int j = i; j < i + 4; j++)
                {
                    Consider(u, firstV + j, row[j], du, dv[j], chains, state);
                }
            }
        }

        for (; i < len; i++)
        {
            Consider(u, firstV + i, row[i], du, dv[i], chains, state);
        }
    }

    private static void Consider(int u, int v, long w, long du, long dv, BlossomChains chains, RowState state)
    {
        if (w <= 0 || v == u)
        {
            return;
        }

        long vertexRoom = du + dv - (2 * w);
        long room = vertexRoom + Math.Min(chains.Spine[u], chains.Spine[v]);
        if (room >= state.ScanBelow)
        {
            return;
        }

        long exact = vertexRoom < 0 ? vertexRoom + chains.SharedDual(u, v) : vertexRoom;
        if (exact < 0)
        {
            state.Violators++;
        }

        state.Add(PairKey(u, v), room, exact);
    }

    private static long PairKey(int u, int v) => u < v ? ((long)u << 32) | (uint)v : ((long)v << 32) | (uint)u;

    /// <summary>
    /// Each node's k heaviest allowed partners, as sorted distinct pair keys, for weights without block bounds (see
    /// BestFirstCandidates for those). Every unordered pair is evaluated once (row u against v &gt; u) and offered to
    /// both ends' heaps; each worker keeps its own heaps, merged at the end.
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
                var row = new long[Math.Min(n, RowBlock)];
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
                    // Column blocks outermost: the heaps of a block's columns stay in cache for all rows of the chunk,
                    // and each block of weights is scanned while it is still in the L1 cache.
                    for (int start = first + 1; start < n; start += RowBlock)
                    {
                        int end = Math.Min(n, start + RowBlock);
                        for (int u = first; u < last; u++)
                        {
                            int from = Math.Max(start, u + 1);
                            if (from >= end)
                            {
                                continue;
                            }

                            var span = row.AsSpan(0, end - from);
                            weights.WeightsRow(u, from, span);
                            ScanForTop(hw, hv, size, thr, k, u, from, span);
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
                // Heaviest first, then keep k. Ties at the k-th weight fall in no fixed order (the sort is unstable
                // and the workers' heaps depend on scheduling); pricing makes the optimum independent of which
                // tied partner stays a candidate.
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

    /// <summary>Row length the passes ask <see cref="IPairWeights.WeightsRow"/> for at a time.</summary>
    private const int RowBlock = 2048;

    /// <summary>Pricing reads the sub-block bounds of up to this many blocks in one call (see PriceRange).</summary>
    private const int SubBoundsWindow = 16;

    private static void ScanForTop(long[] hw, int[] hv, int[] size, long[] thr, int k, int u, int firstV, Span<long> span)
    {
        int len = span.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref long w0 = ref MemoryMarshal.GetReference(span);
            ref long t0 = ref thr[firstV];
            int vecEnd = len & ~3;
            for (; i < vecEnd; i += 4)
            {
                var w4 = Vector256.LoadUnsafe(ref w0, (nuint)i);
                var hit = Vector256.GreaterThan(w4, Vector256.LoadUnsafe(ref t0, (nuint)i)) | Vector256.GreaterThan(w4, Vector256.Create(thr[u]));
                if (hit == Vector256<long>.Zero)
                {
                    continue;
                }

                for (int j = i; j < i + 4; j++)
                {
                    OfferBoth(hw, hv, size, thr, k, u, firstV + j, span[j]);
                }
            }
        }

        for (; i < len; i++)
        {
            OfferBoth(hw, hv, size, thr, k, u, firstV + i, span[i]);
        }
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
        int b = node * k;
        int s = size[node];
        if (s < k)
        {
            var heapW = hw.AsSpan(b, k);
            var heapV = hv.AsSpan(b, k);
            heapW[s] = w;
            heapV[s] = other;
            SiftUp(heapW, heapV, s);
            size[node] = ++s;
            if (s == k)
            {
                thr[node] = heapW[0];
            }

            return;
        }

        // Replace the root (the lightest kept) and move the hole down: children move up instead of swapping.
        int i = 0;
        while (true)
        {
            int c = (2 * i) + 1;
            if (c >= k)
            {
                break;
            }

            long cw = hw[b + c];
            if (c + 1 < k && hw[b + c + 1] < cw)
            {
                c++;
                cw = hw[b + c];
            }

            if (w <= cw)
            {
                break;
            }

            hw[b + i] = cw;
            hv[b + i] = hv[b + c];
            i = c;
        }

        hw[b + i] = w;
        hv[b + i] = other;
        thr[node] = hw[b];
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
    internal sealed class BlossomChains
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

            // The spine: the largest blossom, then the largest inside it, and so on (a blossom joins when the blossoms
            // holding it are exactly the spine so far). Laminar, so every vertex's chain starts with the spine
            // blossoms that hold it, and two vertices share at least the smaller of their spine sums.
            var spine = new List<int>();
            foreach (int b in order)
            {
                int x = blossoms[b].Members[0];
                int depth = Array.IndexOf(_ids, b, _start[x], _start[x + 1] - _start[x]) - _start[x];
                if (depth == spine.Count && (depth == 0 || _ids[_start[x] + depth - 1] == spine[^1]))
                {
                    spine.Add(b);
                }
            }

            Spine = new long[n];
            for (int v = 0; v < n; v++)
            {
                int i = 0;
                while (i < spine.Count && _start[v] + i < _start[v + 1] && _ids[_start[v] + i] == spine[i])
                {
                    i++;
                }

                Spine[v] = i == 0 ? 0 : _prefix[_start[v] + i - 1];
            }
        }

        /// <summary>
        /// Per vertex, the duals of the spine blossoms holding it: a lower bound of what it shares with any vertex,
        /// min(Spine[u], Spine[v]) &lt;= SharedDual(u, v). An odd number of people leaves one exposed, and the optimum
        /// then nests large positive blossoms over nearly everyone: without this bound every pair inside looked
        /// violated to the pricing passes, which then could skip nothing and kept only a partial pool.
        /// </summary>
        public long[] Spine { get; }

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
