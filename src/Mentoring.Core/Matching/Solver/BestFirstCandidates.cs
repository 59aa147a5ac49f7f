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

        public int[] Order { get; } = new int[blocks];

        public byte[] Level { get; } = new byte[blocks];

        public int[] LevelStart { get; } = new int[BoundLevels];

        public long[] LevelMax { get; } = new long[BoundLevels];

        public long[] Row { get; } = new long[rowLength];
    }

    private static void BestFirstRow(IPairWeights weights, BoundBlocks blocks, int k, int u, long[] hw, int[] hv, int[] size, long[] thr, BestFirstScratch s)
    {
        int count = blocks.Count;
        var bound = s.Bound;
        blocks.Bounds.BlockBoundsRange(u, 0, bound);
        long top = 0;
        for (int b = 0; b < count; b++)
        {
            top = Math.Max(top, bound[b]);
        }

        if (top <= 0)
        {
            return;
        }

        // Counting sort of the blocks by level, highest first; level 0 (bound 0: not allowed) is never scanned. The
        // level is a multiply and shift, monotone in the bound (a division per block cost more than the sort).
        long scale = ((long)(BoundLevels - 2) << 32) / top;
        var level = s.Level;
        var start = s.LevelStart;
        var levelMax = s.LevelMax;
        Array.Clear(start);
        Array.Clear(levelMax);
        for (int b = 0; b < count; b++)
        {
            long x = bound[b];
            int l = x <= 0 ? 0 : 1 + (int)(((x - 1) * scale) >> 32);
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

        var order = s.Order;
        int scanned = 0;
        for (int b = 0; b < count; b++)
        {
            int l = level[b];
            if (l > 0)
            {
                order[start[l]++] = b;
                scanned++;
            }
        }

        // thr[u] is 0 until u's heap holds k pairs, then its lightest kept weight; only this row touches u's heap.
        // The row's sub-block bounds are read in one call, when the first block that cannot be skipped needs them.
        bool subBoundsRead = false;
        for (int i = 0; i < scanned; i++)
        {
            int b = order[i];
            long x = bound[b];
            if (x <= thr[u])
            {
                if (levelMax[level[b]] <= thr[u])
                {
                    break; // Every later block is on this level or a lower one: none can beat the k kept.
                }

                continue;
            }

            if (blocks.SubStarts == null)
            {
                ScanForRow(weights, k, u, blocks.Starts[b], blocks.Starts[b + 1], hw, hv, size, thr, s.Row);
                continue;
            }

            // The block may hold a heavier partner: look at its sub-blocks, and score each run of those that may.
            if (!subBoundsRead)
            {
                blocks.Bounds.SubBlockBoundsRange(u, 0, s.SubBound);
                subBoundsRead = true;
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
