using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Tests.Matching.Solver;

/// <summary>
/// The best-first candidate pass groups a row's blocks into bound levels; with many more distinct bounds than levels,
/// one level holds blocks of different bounds, and the pass must still find each node's k heaviest partners.
/// </summary>
public class BestFirstCandidateTests
{
    private const int BlockSize = 8;
    private const long PairRange = 1L << 22; // above every pair number n * n + n, so the bounds hold

    /// <summary>
    /// Node v's partner (v xor 1) outweighs everything, so the round-1 optimum pairs them and needs no second round;
    /// other pairs weigh a block-pair base of up to ~3,000 distinct values (scaled) plus a distinct pair number.
    /// </summary>
    private sealed class FineBoundWeights(int n, int seed) : IPairWeights, IPairWeightBounds
    {
        private readonly int[] _position = Positions(n, seed);

        public int NodeCount { get; } = n;

        public int[] BlockStarts { get; } = [.. Enumerable.Range(0, (n + BlockSize - 1) / BlockSize).Select(b => b * BlockSize), n];

        private static int[] Positions(int n, int seed)
        {
            var rng = new Random(seed);
            return [.. Enumerable.Range(0, (n + BlockSize - 1) / BlockSize).Select(_ => rng.Next(6000))];
        }

        private long Base(int bu, int bv)
        {
            int d = Math.Abs(_position[bu] - _position[bv]);
            return d > 3000 ? 0 : 3001 - d;
        }

        public long Weight(int u, int v)
        {
            if (u == v)
            {
                return 0;
            }

            long pair = ((long)Math.Min(u, v) * NodeCount) + Math.Max(u, v) + 1;
            if (u / 2 == v / 2)
            {
                return (5000 * PairRange) + pair;
            }

            long b = Base(u / BlockSize, v / BlockSize);
            return b == 0 ? 0 : (b * PairRange) + pair;
        }

        public long BlockBound(int u, int block) =>
            u / BlockSize == block ? 5001 * PairRange : Base(u / BlockSize, block) is var b && b == 0 ? 0 : (b + 1) * PairRange;

        public HashSet<(int, int)> TopK(int k)
        {
            var pairs = new HashSet<(int, int)>();
            for (int u = 0; u < NodeCount; u++)
            {
                foreach (int v in Enumerable.Range(0, NodeCount).Where(v => Weight(u, v) > 0).OrderByDescending(v => Weight(u, v)).Take(k))
                {
                    pairs.Add((Math.Min(u, v), Math.Max(u, v)));
                }
            }

            return pairs;
        }
    }

    [Theory]
    [InlineData(1200, 1, 3)]
    [InlineData(1600, 2, 5)]
    public void Blocks_of_different_bounds_on_one_level_still_give_each_node_its_k_heaviest_partners(int n, int seed, int k)
    {
        var weights = new FineBoundWeights(n, seed);

        var priced = PricedMaximumWeightMatching.Solve(weights, k);

        Assert.Equal(1, priced.Rounds);
        var edges = new HashSet<(int, int)>();
        for (int e = 0; e < priced.FinalGraph.EdgeCount; e++)
        {
            int u = priced.FinalGraph.EdgeU[e], v = priced.FinalGraph.EdgeV[e];
            edges.Add((Math.Min(u, v), Math.Max(u, v)));
        }

        Assert.Equal(weights.TopK(k), edges);
        Assert.True(MatchingVerifier.Verify(priced.FinalGraph, priced.Solution).IsOptimal);
    }

    /// <summary>
    /// Bounds with no slack at all (each is the heaviest pair of its block) and weights dense in 1..599 (about one pair
    /// per value in a row), so a block whose best pair is one point above a row's k-th best is common: skipping it would
    /// lose a partner. Node v's partner (v xor 1) outweighs everything again, so the candidate graph is the final graph.
    /// </summary>
    private sealed class TightBoundWeights(int n, int seed) : IPairWeights, IPairWeightBounds
    {
        private const int Size = 12; // coarse enough for the solver to use the bounds (at most n / 8 blocks)

        public int NodeCount { get; } = n;

        public int[] BlockStarts { get; } = [.. Enumerable.Range(0, (n + Size - 1) / Size).Select(b => b * Size), n];

        public long Weight(int u, int v)
        {
            if (u == v)
            {
                return 0;
            }

            if (u / 2 == v / 2)
            {
                return 1000;
            }

            uint h = TestGraphs.PairHash(u, v, seed);
            return h % 600; // 0: not allowed
        }

        public long BlockBound(int u, int block) => TestGraphs.HeaviestInBlock(this, BlockStarts, u, block);
    }

    [Theory]
    [InlineData(400, 1, 5)]
    [InlineData(402, 2, 5)]
    [InlineData(400, 3, 8)]
    [InlineData(600, 4, 5)]
    public void Bounds_without_slack_still_give_each_node_weights_as_heavy_as_its_k_heaviest_partners(int n, int seed, int k)
    {
        var weights = new TightBoundWeights(n, seed);

        var priced = PricedMaximumWeightMatching.Solve(weights, k);

        Assert.Equal(1, priced.Rounds);
        TestGraphs.AssertEachNodeHasItsKHeaviestWeights(weights, priced.FinalGraph, k);
    }

    /// <summary>The first block's people may be paired with nobody (every bound and weight 0); the rest as in <see cref="TightBoundWeights"/>.</summary>
    private sealed class NobodyForTheFirstBlock(int n) : IPairWeights, IPairWeightBounds
    {
        private readonly TightBoundWeights _rest = new(n, 5);

        public int NodeCount => n;

        public int[] BlockStarts => _rest.BlockStarts;

        public long Weight(int u, int v) => u < BlockStarts[1] || v < BlockStarts[1] ? 0 : _rest.Weight(u, v);

        public long BlockBound(int u, int block) => u < BlockStarts[1] || block == 0 ? 0 : _rest.BlockBound(u, block);
    }

    [Fact]
    public void People_who_may_be_paired_with_nobody_stay_unmatched_and_everyone_else_is_matched_optimally()
    {
        var weights = new NobodyForTheFirstBlock(240);

        var priced = PricedMaximumWeightMatching.Solve(weights, 3);

        Assert.True(MatchingVerifier.Verify(priced.FinalGraph, priced.Solution).IsOptimal);
        Assert.All(Enumerable.Range(0, weights.BlockStarts[1]), u => Assert.Equal(-1, priced.Solution.Mate[u]));
        Assert.All(Enumerable.Range(weights.BlockStarts[1], 240 - weights.BlockStarts[1]), u => Assert.Equal(u ^ 1, priced.Solution.Mate[u]));
    }

    /// <summary>
    /// Each node's partner (v xor 1, in its own block) weighs a million times more than anyone else, so every other
    /// block of its row sits on the lowest bound level; the next k - 1 partners must still come from there.
    /// </summary>
    private sealed class OneHeavyPartner(int n) : IPairWeights, IPairWeightBounds
    {
        private const int Size = 8;

        public int NodeCount { get; } = n;

        public int[] BlockStarts { get; } = [.. Enumerable.Range(0, (n + Size - 1) / Size).Select(b => b * Size), n];

        public long Weight(int u, int v)
        {
            if (u == v)
            {
                return 0;
            }

            if (u / 2 == v / 2)
            {
                return 1_000_000_000;
            }

            uint h = TestGraphs.PairHash(u, v, 0);
            return 1 + (h % 5000);
        }

        public long BlockBound(int u, int block) => TestGraphs.HeaviestInBlock(this, BlockStarts, u, block);
    }

    [Fact]
    public void Partners_far_lighter_than_a_nodes_best_still_fill_its_candidate_list()
    {
        const int n = 240, k = 3;
        var weights = new OneHeavyPartner(n);
        var priced = PricedMaximumWeightMatching.Solve(weights, k);

        Assert.Equal(1, priced.Rounds);
        TestGraphs.AssertEachNodeHasItsKHeaviestWeights(weights, priced.FinalGraph, k);
    }

    /// <summary>
    /// Blocks of eight in three kinds, by block number: a pair weighs the larger of its two blocks' values (50, 114,
    /// 115), and a node's partner (v xor 1, in its own block) 126. The 114 blocks are bounded loosely (120), the others
    /// exactly. For a node of a 50 block the loose blocks come first and fill its heap with 114s, and only then the
    /// 115s beat them: a pass that stopped when the next bound is one above its k-th best would keep the 114s.
    /// </summary>
    private sealed class LooseAboveTight(int n) : IPairWeights, IPairWeightBounds
    {
        private const int Size = 8;
        private static readonly long[] Value = [50, 114, 115];

        public int NodeCount { get; } = n;

        public int[] BlockStarts { get; } = [.. Enumerable.Range(0, (n + Size - 1) / Size).Select(b => b * Size), n];

        public long Weight(int u, int v) =>
            u == v ? 0 : u / 2 == v / 2 ? 126 : Math.Max(Value[u / Size % 3], Value[v / Size % 3]);

        public long BlockBound(int u, int block) =>
            block == u / Size ? 126 : Math.Max(Value[u / Size % 3], block % 3 == 1 ? 120 : Value[block % 3]);
    }

    [Theory]
    [InlineData(240, 3)]
    [InlineData(240, 5)]
    public void A_loose_bound_above_a_tight_one_does_not_end_the_search_early(int n, int k)
    {
        var weights = new LooseAboveTight(n);

        var priced = PricedMaximumWeightMatching.Solve(weights, k);

        Assert.Equal(1, priced.Rounds);
        TestGraphs.AssertEachNodeHasItsKHeaviestWeights(weights, priced.FinalGraph, k);
    }

    /// <summary>
    /// Fifteen blocks of eight, and each node's best pair (its partner, v xor 1) at 126: so a row's bound levels are its
    /// weights, and the level bands start at 124, 116, 100, ... (the pass's arithmetic, worked by hand). Every other pair
    /// with a node of the last block weighs 124, exactly the lower edge of the first band and the upper edge of the next;
    /// every other pair weighs less than 116. The last block is past the last group of four bounds the vector pass
    /// compares, so the one-at-a-time tail decides whether a bound on a band's edge is taken in one band or in both:
    /// taken twice, its eight nodes fill a row's list of ten twice over, and the row's tenth heaviest partner is lost.
    /// The partners are the optimum, so the candidates are the final graph.
    /// </summary>
    private sealed class BoundOnABandEdge : IPairWeights, IPairWeightBounds
    {
        private const int Size = 8, Last = 14 * Size;

        public int NodeCount => 15 * Size;

        public int[] BlockStarts { get; } = [.. Enumerable.Range(0, 16).Select(b => b * Size)];

        public long Weight(int u, int v) =>
            u == v ? 0 : u / 2 == v / 2 ? 126 : u >= Last || v >= Last ? 124 : 1 + ((u + v) * 37 % 101);

        public long BlockBound(int u, int block) => TestGraphs.HeaviestInBlock(this, BlockStarts, u, block);
    }

    [Fact]
    public void A_block_bounded_on_the_edge_of_two_bands_is_scored_once()
    {
        var weights = new BoundOnABandEdge();

        var priced = PricedMaximumWeightMatching.Solve(weights, 10);

        Assert.Equal(1, priced.Rounds);
        TestGraphs.AssertEachNodeHasItsKHeaviestWeights(weights, priced.FinalGraph, 10);
    }
}
