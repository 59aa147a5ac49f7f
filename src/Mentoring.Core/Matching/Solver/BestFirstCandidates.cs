using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Mentoring.Core.Matching.Solver;

/// <summary>
/// Each node's k heaviest allowed partners for weights with block bounds (<see cref="IPairWeightBounds"/>), one whole
/// row per node, its blocks visited from the highest bound down. A row's own heap is its only heap, so a block is
/// skipped as soon as its bound is at most the row's current k-th best (no other node's threshold is involved), and
/// the row stops when the next bound level is at or below it: every pair left is then no heavier than k kept ones.
/// With sub-blocks, a block that cannot be skipped is scored only in the runs of its sub-blocks whose bound beats the
/// row's k-th best.
/// </summary>
public static partial class PricedMaximumWeightMatching
{
    /// <summary>Bound levels a row's blocks are bucketed into (the top level is the row's highest bound).</summary>
    private const int BoundLevels = 128;

    /// <summary>Blocks of a band at most this far apart share one call for their sub-block bounds.</summary>
    private const int SubBoundsGap = 16;

    private static long[] BestFirstCandidates(IPairWeights weights, BoundBlocks blocks, int k)
    {
        int n = weights.NodeCount;
        int count = blocks.Count;
        var hw = new long[(long)n * k];
        var hv = new int[(long)n * k];
        var size = new int[n];
        var thr = new long[n];
        Parallel.For(0, n, () => new BestFirstScratch(count, Math.Min(n, RowBlock), blocks.SubCount), (u, _, scratch) =>
        {
            BestFirstRow(weights, blocks, k, u, hw, hv, size, thr, scratch);
            return scratch;
        }, _ => { });

        var keys = new long[(long)n * k];
        int filled = 0;
        for (int u = 0; u < n; u++)
        {
            long b = (long)u * k;
            for (int i = 0; i < size[u]; i++)
            {
                keys[filled++] = PairKey(u, hv[b + i]);
            }
        }

        Array.Sort(keys, 0, filled);
        int distinct = 0;
        for (int i = 0; i < filled; i++)
        {
            if (distinct == 0 || keys[i] != keys[distinct - 1])
            {
                keys[distinct++] = keys[i];
            }
        }

        return keys.AsSpan(0, distinct).ToArray();
    }

    private sealed class BestFirstScratch(int blocks, int rowLength, int subBlocks)
    {
        public long[] SubBound { get; } = new long[subBlocks];

        public long[] Bound { get; } = new long[blocks];

        /// <summary>A band's blocks in index order, as collected.</summary>
        public int[] Order { get; } = new int[blocks];

        /// <summary>A band's blocks sorted by level.</summary>
        public int[] Sorted { get; } = new int[blocks];

        public byte[] Level { get; } = new byte[blocks];

        public int[] LevelStart { get; } = new int[BoundLevels];

        public long[] LevelMax { get; } = new long[BoundLevels];

        public long[] Row { get; } = new long[rowLength];
    }

    private static void BestFirstRow(IPairWeights weights, BoundBlocks blocks, int k, int u, long[] hw, int[] hv, int[] size, long[] thr, BestFirstScratch s)
    {
        var bound = s.Bound.AsSpan(0, blocks.Count);
        blocks.Bounds.BlockBoundsRange(u, 0, bound);
        long top = Max(bound);
        if (top <= 0)
        {
            return;
        }

        // Blocks go by level, highest first (by index within a level); level 0 (bound 0: not allowed) is never scanned.
        // The level is a multiply and shift, monotone in the bound (a division per block cost more than the sort).
        // Sorting every block of the row cost more than scanning the few that matter, so the levels are taken in bands
        // from the top: each band collects only its blocks above u's current k-th best (one vector pass), sorts them
        // and visits them. Every block left out would have been skipped, so the pairs scored, in their order, are those
        // of one sort of the whole row.
        long scale = ((long)(BoundLevels - 2) << 32) / top;
        var row = new RowScan(weights, blocks, k, u, hw, hv, size, thr, s);
        for (int high = BoundLevels, width = 4; high > 1; high = Math.Max(1, high - width), width *= 2)
        {
            // Blocks of levels [low, high) have floor(low) <= bound < floor(high).
            long ceiling = LevelFloor(high, scale);
            if (ceiling - 1 <= thr[u])
            {
                return; // Every block left is no heavier than the k kept.
            }

            int low = Math.Max(1, high - width);
            if (!row.VisitBand(LevelFloor(low, scale), ceiling, scale))
            {
                return;
            }
        }
    }

    /// <summary>The smallest bound on level <paramref name="level"/> (level(x) = 1 + ((x - 1) * scale &gt;&gt; 32) for x &gt; 0).</summary>
    private static long LevelFloor(int level, long scale)
    {
        if (level >= BoundLevels)
        {
            return long.MaxValue;
        }

        if (level <= 1)
        {
            return 1;
        }

        // (x - 1) * scale >= (level - 1) * 2^32, the smallest such x; with scale 0 every bound is on level 1.
        return scale == 0 ? long.MaxValue : 1 + ((((long)(level - 1) << 32) + scale - 1) / scale);
    }

    private static long Max(ReadOnlySpan<long> values)
    {
        long max = 0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var m = Vector256<long>.Zero;
            for (; i + 4 <= values.Length; i += 4)
            {
                m = Vector256.Max(m, Vector256.Create(values.Slice(i, 4)));
            }

            for (int j = 0; j < 4; j++)
            {
                max = Math.Max(max, m.GetElement(j));
            }
        }

        for (; i < values.Length; i++)
        {
            max = Math.Max(max, values[i]);
        }

        return max;
    }

    /// <summary>One row of the best-first pass: u's block bounds, u's heap, and the row's sub-block bounds once read.</summary>
    private ref struct RowScan(IPairWeights weights, BoundBlocks blocks, int k, int u, long[] hw, int[] hv, int[] size, long[] thr, BestFirstScratch s)
    {

        /// <summary>
        /// Visits the blocks with floor &lt;= bound &lt; ceiling that are above u's k-th best, highest level first; false when
        /// a level shows that no block left in the row can beat the k kept.
        /// </summary>
        public bool VisitBand(long floor, long ceiling, long scale)
        {
            var bound = s.Bound.AsSpan(0, blocks.Count);
            int found = Collect(bound, Math.Max(floor, thr[u] + 1), ceiling, s.Order);
            if (found == 0)
            {
                return true;
            }

            if (blocks.SubStarts != null)
            {
                ReadSubBounds(s.Order.AsSpan(0, found));
            }

            // Counting sort of the band's blocks by level, highest first.
            var level = s.Level;
            var start = s.LevelStart;
            var levelMax = s.LevelMax;
            Array.Clear(start);
            Array.Clear(levelMax);
            var band = s.Order.AsSpan(0, found);
            foreach (int b in band)
            {
                long x = bound[b];
                int l = 1 + (int)(((x - 1) * scale) >> 32);
                level[b] = (byte)l;
                start[l]++;
                levelMax[l] = Math.Max(levelMax[l], x);
            }

            for (int l = BoundLevels - 1, at = 0; l >= 1; l--)
            {
                int c = start[l];
                start[l] = at;
                at += c;
            }

            var order = s.Sorted;
            foreach (int b in band)
            {
                order[start[level[b]]++] = b;
            }

            // thr[u] is 0 until u's heap holds k pairs, then its lightest kept weight; only this row touches u's heap.
            for (int i = 0; i < found; i++)
            {
                int b = order[i];
                long x = bound[b];
                if (x <= thr[u])
                {
                    if (levelMax[level[b]] <= thr[u])
                    {
                        return false; // Every later block is on this level or a lower one: none can beat the k kept.
                    }

                    continue;
                }

                Visit(b);
            }

            return true;
        }

        /// <summary>Scores block b's pairs, or with sub-blocks the runs of its sub-blocks that may beat u's k-th best.</summary>
        private void Visit(int b)
        {
            if (blocks.SubStarts == null)
            {
                ScanForRow(weights, k, u, blocks.Starts[b], blocks.Starts[b + 1], hw, hv, size, thr, s.Row);
                return;
            }

            int first = blocks.FirstSub![b];
            var sub = s.SubBound.AsSpan(first, blocks.FirstSub[b + 1] - first);
            for (int at = 0; at < sub.Length;)
            {
                if (sub[at] <= thr[u])
                {
                    at++;
                    continue;
                }

                int end = at + 1;
                while (end < sub.Length && sub[end] > thr[u])
                {
                    end++;
                }

                ScanForRow(weights, k, u, blocks.SubStarts[first + at], blocks.SubStarts[first + end], hw, hv, size, thr, s.Row);
                at = end;
            }
        }

        /// <summary>
        /// Reads the sub-block bounds of a band's blocks (in index order), one call per run of blocks at most
        /// <see cref="SubBoundsGap"/> apart: alike people sit together, so a band's blocks come in runs, and a call
        /// costs more than the few bounds of the blocks between (a call per block was slower than one per row).
        /// Each block is in one band only, so no bound is read twice.
        /// </summary>
        private readonly void ReadSubBounds(ReadOnlySpan<int> band)
        {
            var firstSub = blocks.FirstSub!;
            for (int i = 0; i < band.Length;)
            {
                int from = band[i], to = from;
                while (++i < band.Length && band[i] - to <= SubBoundsGap)
                {
                    to = band[i];
                }

                int s0 = firstSub[from];
                blocks.Bounds.SubBlockBoundsRange(u, s0, s.SubBound.AsSpan(s0, firstSub[to + 1] - s0));
            }
        }

        /// <summary>The indexes of the bounds with floor &lt;= bound &lt; ceiling into <paramref name="into"/>, in order; returns how many.</summary>
        private static int Collect(ReadOnlySpan<long> bound, long floor, long ceiling, int[] into)
        {
            int found = 0;
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var lo = Vector256.Create(floor);
                var hi = Vector256.Create(ceiling);
                for (; i + 4 <= bound.Length; i += 4)
                {
                    var x = Vector256.Create(bound.Slice(i, 4));
                    uint inside = (Vector256.GreaterThanOrEqual(x, lo) & Vector256.LessThan(x, hi)).ExtractMostSignificantBits();
                    while (inside != 0)
                    {
                        into[found++] = i + BitOperations.TrailingZeroCount(inside);
                        inside &= inside - 1;
                    }
                }
            }

            for (; i < bound.Length; i++)
            {
                if (bound[i] >= floor && bound[i] < ceiling)
                {
                    into[found++] = i;
                }
            }

            return found;
        }
    }

    /// <summary>Scores the pairs (u, v) for v in [from, to) and offers u's heap each one above its k-th best.</summary>
    private static void ScanForRow(IPairWeights weights, int k, int u, int from, int to, long[] hw, int[] hv, int[] size, long[] thr, long[] buffer)
    {
        var row = buffer.AsSpan(0, to - from);
        weights.WeightsRow(u, from, row);
        for (int j = NextAbove(row, 0, thr[u]); j < row.Length; j = NextAbove(row, j + 1, thr[u]))
        {
            if (from + j != u)
            {
                Offer(hw, hv, size, thr, k, u, from + j, row[j]);
            }
        }
    }

    /// <summary>
    /// The first index at or after <paramref name="start"/> whose weight is above <paramref name="threshold"/>, or the
    /// row's length. Most of a row is at or below u's k-th best, so this skips it four weights per compare.
    /// </summary>
    private static int NextAbove(ReadOnlySpan<long> row, int start, long threshold)
    {
        int i = start;
        if (Vector256.IsHardwareAccelerated)
        {
            var t = Vector256.Create(threshold);
            ref long r0 = ref MemoryMarshal.GetReference(row);
            for (; i + 4 <= row.Length; i += 4)
            {
                uint above = Vector256.GreaterThan(Vector256.LoadUnsafe(ref r0, (nuint)i), t).ExtractMostSignificantBits();
                if (above != 0)
                {
                    return i + BitOperations.TrailingZeroCount(above);
                }
            }
        }

        for (; i < row.Length; i++)
        {
            if (row[i] > threshold)
            {
                return i;
            }
        }

        return row.Length;
    }
}
