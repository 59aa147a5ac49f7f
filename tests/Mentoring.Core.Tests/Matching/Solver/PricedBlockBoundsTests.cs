using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Tests.Matching.Solver;

public class PricedBlockBoundsTests
{
    /// <summary>
    /// Nodes in blocks of alike nodes: a pair's weight is a block-pair base (0 = not allowed) plus a per-pair part of
    /// 0..9, so a block's bound is its base + 9. Counts the pairs it was asked for.
    /// </summary>
    private class BlockWeights : IPairWeights
    {
        private readonly int _blockSize;
        private readonly int[] _feature;
        private readonly int _seed;
        private long _asked;

        public BlockWeights(int n, int blockSize, int seed)
        {
            NodeCount = n;
            _blockSize = blockSize;
            _seed = seed;
            var rng = new Random(seed);
            _feature = Enumerable.Range(0, (n + blockSize - 1) / blockSize).Select(_ => rng.Next(40)).ToArray();
        }

        public int NodeCount { get; }

        public long Asked => Interlocked.Read(ref _asked);

        public long Weight(int u, int v) => u == v ? 0 : Base(u / _blockSize, v / _blockSize) is var b && b == 0 ? 0 : b + Noise(u, v);

        public void WeightsRow(int u, int firstV, Span<long> into)
        {
            Interlocked.Add(ref _asked, into.Length);
            for (int i = 0; i < into.Length; i++)
            {
                into[i] = Weight(u, firstV + i);
            }
        }

        protected long Base(int bu, int bv)
        {
            int d = Math.Abs(_feature[bu] - _feature[bv]);
            return d > 25 ? 0 : 40 - d; // far apart: not allowed
        }

        protected int BlockSize => _blockSize;

        private long Noise(int u, int v) => TestGraphs.PairHash(u, v, _seed) % 10;
    }

    private sealed class BoundedBlockWeights(int n, int blockSize, int seed) : BlockWeights(n, blockSize, seed), IPairWeightBounds
    {
        public int[] BlockStarts { get; } = [.. Enumerable.Range(0, (n + blockSize - 1) / blockSize).Select(b => b * blockSize), n];

        public long BlockBound(int u, int block)
        {
            long b = Base(u / BlockSize, block);
            return b == 0 ? 0 : b + 9;
        }
    }

    [Theory]
    [InlineData(4200, 25, 1, 2)]
    [InlineData(4301, 17, 2, 5)]
    public void Block_bounds_skip_pairs_and_leave_the_optimum_and_its_proof_unchanged(int n, int blockSize, int seed, int k)
    {
        var plain = new BlockWeights(n, blockSize, seed);
        var bounded = new BoundedBlockWeights(n, blockSize, seed);

        var plainLog = new List<string>();
        var boundedLog = new List<string>();
        var expected = PricedMaximumWeightMatching.Solve(plain, k, plainLog.Add);
        var actual = PricedMaximumWeightMatching.Solve(bounded, k, boundedLog.Add);

        Assert.Equal(expected.Solution.TotalWeight, actual.Solution.TotalWeight);
        var check = MatchingVerifier.Verify(actual.FinalGraph, actual.Solution);
        Assert.True(check.IsOptimal, check.Reason);
        // The final graph holds every pair the last pricing could not rule out; each of its edges is a real pair.
        for (int e = 0; e < actual.FinalGraph.EdgeCount; e++)
        {
            Assert.Equal(plain.Weight(actual.FinalGraph.EdgeU[e], actual.FinalGraph.EdgeV[e]), actual.FinalGraph.EdgeWeight[e]);
        }

        // The pricing proof covers every allowed pair, skipped blocks included: no pair violates the duals.
        var d = actual.Solution.Duals;
        var inBlossoms = new List<(int Blossom, long Dual)>[n];
        for (int i = 0; i < d.Blossoms.Count; i++)
        {
            foreach (int x in d.Blossoms[i].Members)
            {
                (inBlossoms[x] ??= []).Add((i, d.Blossoms[i].Dual2x));
            }
        }

        for (int u = 0; u < n; u++)
        {
            for (int v = u + 1; v < n; v++)
            {
                long shared = inBlossoms[u] == null || inBlossoms[v] == null ? 0
                    : inBlossoms[u].Where(a => inBlossoms[v].Exists(c => c.Blossom == a.Blossom)).Sum(a => a.Dual);
                Assert.True(d.VertexDual2x[u] + d.VertexDual2x[v] + shared >= 2 * plain.Weight(u, v), $"pair ({u},{v}) violates the duals");
            }
        }

        // Compared per pass over all pairs (the top-k pass and each full pricing): how many full pricings a run needs
        // depends on which worker lowers the shared pool margin first, so totals alone vary with thread timing.
        long plainPerPass = plain.Asked / Passes(plainLog), boundedPerPass = bounded.Asked / Passes(boundedLog);
        Assert.True(boundedPerPass < plainPerPass * 3 / 4, $"bounded {boundedPerPass} vs plain {plainPerPass} pairs asked per pass");
    }

    /// <summary>
    /// Random weights 1..40 (a fifth of the pairs not allowed) in the given blocks; every bound is the largest weight,
    /// so bounds define blocks but hardly ever skip one.
    /// </summary>
    private sealed class RandomBlockedWeights(int n, int seed, int[] blockStarts) : IPairWeights, IPairWeightBounds
    {
        public int NodeCount => n;

        public int[] BlockStarts => blockStarts;

        public long Weight(int u, int v) =>
            u == v || TestGraphs.PairHash(u, v, seed) % 5 == 0 ? 0 : 1 + (TestGraphs.PairHash(u, v, seed) / 5 % 40);

        public long BlockBound(int u, int block) => 40;

        /// <summary>One wide first block of half the nodes, then blocks of eight.</summary>
        public static RandomBlockedWeights WideFirstBlock(int n, int seed) =>
            new(n, seed, [0, .. Enumerable.Range(0, n / 16).Select(b => (n / 2) + (b * 8)), n]);
    }

    [Theory]
    [InlineData(1, 0, 0)]
    [InlineData(2, 0, 0)]
    [InlineData(3, 2, 1)]
    public void Pricing_only_the_dirty_rows_still_reaches_the_optimum_over_every_pair(int seed, int poolPerNode, int fullPassDivisor)
    {
        // Rows priced again after a full pass run from column 0, through the wide first block.
        var weights = RandomBlockedWeights.WideFirstBlock(320, seed);
        var log = new List<string>();
        var priced = PricedMaximumWeightMatching.Solve(weights, 1, log.Add, new PricedMaximumWeightMatching.PricingOptions(poolPerNode, fullPassDivisor));

        Assert.Contains(log, line => line.Contains(" rows ", StringComparison.Ordinal)); // at least one dirty-row pass
        AssertOptimalOverEveryPair(weights, priced.Solution);
    }

    /// <summary>
    /// The weights of <see cref="RandomBlockedWeights"/> in blocks of nine (coarse enough for the solver to use them),
    /// each bound exactly the block's heaviest pair with u: a skip decided one point too eagerly loses a pair. The rows
    /// hold every count of blocks, so their last blocks often fall outside the four whose skips are tested at a time.
    /// </summary>
    private sealed class ExactBlockedWeights(int n, int seed) : IPairWeights, IPairWeightBounds
    {
        private readonly RandomBlockedWeights _weights = new(n, seed, [.. Enumerable.Range(0, (n + 8) / 9).Select(b => b * 9), n]);

        public int NodeCount => n;

        public int[] BlockStarts => _weights.BlockStarts;

        public long Weight(int u, int v) => _weights.Weight(u, v);

        public long BlockBound(int u, int block) => TestGraphs.HeaviestInBlock(this, BlockStarts, u, block);
    }

    [Theory]
    [InlineData(1, 8, 8)]
    [InlineData(2, 0, 0)]
    [InlineData(3, 1, 1)]
    public void Bounds_without_slack_still_price_every_pair(int seed, int poolPerNode, int fullPassDivisor)
    {
        var weights = new ExactBlockedWeights(302, seed);

        var priced = PricedMaximumWeightMatching.Solve(weights, 1, null, new PricedMaximumWeightMatching.PricingOptions(poolPerNode, fullPassDivisor));

        AssertOptimalOverEveryPair(weights, priced.Solution);
    }

    [Fact]
    public void One_block_holding_every_node_is_a_valid_partition()
    {
        var weights = new RandomBlockedWeights(120, 4, [0, 120]);

        var priced = PricedMaximumWeightMatching.Solve(weights, 2);

        AssertOptimalOverEveryPair(weights, priced.Solution);
    }

    private static void AssertOptimalOverEveryPair(IPairWeights weights, MatchingSolution solution)
    {
        var complete = TestGraphs.CompleteGraph(weights);
        Assert.Equal(MaximumWeightMatching.Solve(complete).TotalWeight, solution.TotalWeight);
        var check = MatchingVerifier.Verify(complete, solution);
        Assert.True(check.IsOptimal, check.Reason);
    }

    private static int Passes(List<string> log) => 1 + log.Count(line => line.Contains("full pricing", StringComparison.Ordinal));
}
