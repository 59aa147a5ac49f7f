using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Tests.Matching.Solver;

/// <summary>
/// Two levels of bounds: blocks whose bound is loose (the best of several unlike sub-blocks) and sub-blocks whose bound
/// is tight. The passes must find the same candidates and the same optimum with its proof as with the blocks alone,
/// while asking for fewer pairs.
/// </summary>
public class SubBlockBoundsTests
{
    /// <summary>
    /// Sub-blocks of 1..MaxSub alike nodes (even sizes when every node's partner v xor 1 must share its sub-block), a
    /// block every four sub-blocks. A pair weighs a sub-block-pair base (0 = not allowed) plus a per-pair part of 0..9,
    /// so a sub-block's bound is its base + 9 and a block's the largest of its sub-blocks' bounds. Counts the pairs it
    /// was asked for.
    /// </summary>
    private sealed class TwoLevelWeights : IPairWeights, IPairWeightBounds
    {
        private const int MaxSub = 12;
        private const int SubsPerBlock = 4;
        private const long Partner = 1000;

        private readonly int[] _subOf;
        private readonly int[] _feature;
        private readonly int[] _subStarts;
        private readonly bool _useSubs;
        private readonly bool _heavyPartner;
        private readonly int _seed;
        private long _asked;

        public TwoLevelWeights(int n, int seed, bool useSubs, bool heavyPartner)
        {
            NodeCount = n;
            _seed = seed;
            _useSubs = useSubs;
            _heavyPartner = heavyPartner;
            var rng = new Random(seed);
            var starts = new List<int> { 0 };
            while (starts[^1] < n)
            {
                int size = heavyPartner ? 2 * rng.Next(1, (MaxSub / 2) + 1) : rng.Next(1, MaxSub + 1);
                starts.Add(Math.Min(n, starts[^1] + size));
            }

            _subStarts = [.. starts];
            _subOf = new int[n];
            for (int s = 0; s + 1 < _subStarts.Length; s++)
            {
                for (int v = _subStarts[s]; v < _subStarts[s + 1]; v++)
                {
                    _subOf[v] = s;
                }
            }

            _feature = [.. Enumerable.Range(0, _subStarts.Length - 1).Select(_ => rng.Next(40))];
            BlockStarts = [.. _subStarts.Where((_, s) => s % SubsPerBlock == 0 || s == _subStarts.Length - 1)];
        }

        public int NodeCount { get; }

        public long Asked => Interlocked.Read(ref _asked);

        public int[] BlockStarts { get; }

        public int[]? SubBlockStarts => _useSubs ? _subStarts : null;

        public long Weight(int u, int v)
        {
            if (u == v)
            {
                return 0;
            }

            if (_heavyPartner && u / 2 == v / 2)
            {
                return Partner;
            }

            long b = Base(_subOf[u], _subOf[v]);
            return b == 0 ? 0 : b + (TestGraphs.PairHash(u, v, _seed) % 10);
        }

        public void WeightsRow(int u, int firstV, Span<long> into)
        {
            Interlocked.Add(ref _asked, into.Length);
            for (int i = 0; i < into.Length; i++)
            {
                into[i] = Weight(u, firstV + i);
            }
        }

        public long SubBlockBound(int u, int subBlock)
        {
            if (_heavyPartner && subBlock == _subOf[u])
            {
                return Partner;
            }

            long b = Base(_subOf[u], subBlock);
            return b == 0 ? 0 : b + 9;
        }

        public long BlockBound(int u, int block)
        {
            int first = Array.IndexOf(_subStarts, BlockStarts[block]);
            int last = Array.IndexOf(_subStarts, BlockStarts[block + 1]);
            return Enumerable.Range(first, last - first).Max(s => SubBlockBound(u, s));
        }

        private long Base(int su, int sv)
        {
            int d = Math.Abs(_feature[su] - _feature[sv]);
            return d > 25 ? 0 : 40 - d; // far apart: not allowed
        }
    }

    [Theory]
    [InlineData(900, 1, 2)]
    [InlineData(901, 2, 5)]
    public void Sub_block_bounds_ask_for_fewer_pairs_and_leave_the_optimum_and_its_proof_unchanged(int n, int seed, int k)
    {
        var blocksOnly = new TwoLevelWeights(n, seed, useSubs: false, heavyPartner: false);
        var twoLevels = new TwoLevelWeights(n, seed, useSubs: true, heavyPartner: false);

        var blocksLog = new List<string>();
        var twoLevelsLog = new List<string>();
        var expected = PricedMaximumWeightMatching.Solve(blocksOnly, k, blocksLog.Add);
        var actual = PricedMaximumWeightMatching.Solve(twoLevels, k, twoLevelsLog.Add);

        Assert.Equal(expected.Solution.TotalWeight, actual.Solution.TotalWeight);
        // The proof covers every allowed pair, pairs in skipped sub-blocks included.
        var check = MatchingVerifier.Verify(TestGraphs.CompleteGraph(twoLevels), actual.Solution);
        Assert.True(check.IsOptimal, check.Reason);
        long blocksPerPass = blocksOnly.Asked / Passes(blocksLog), twoLevelsPerPass = twoLevels.Asked / Passes(twoLevelsLog);
        Assert.True(twoLevelsPerPass < blocksPerPass * 3 / 4, $"two levels {twoLevelsPerPass} vs blocks only {blocksPerPass} pairs asked per pass");
    }

    [Theory]
    [InlineData(800, 3, 3)]
    [InlineData(802, 4, 6)]
    public void Sub_block_bounds_still_give_each_node_its_k_heaviest_partners(int n, int seed, int k)
    {
        // Every node's partner outweighs the rest, so round 1 is optimal and the final graph is the candidate graph.
        var blocksOnly = new TwoLevelWeights(n, seed, useSubs: false, heavyPartner: true);
        var twoLevels = new TwoLevelWeights(n, seed, useSubs: true, heavyPartner: true);

        long blocksOnlyAsked = 0, twoLevelsAsked = 0;
        var expected = PricedMaximumWeightMatching.Solve(blocksOnly, k, line => blocksOnlyAsked = AskedByCandidates(line, blocksOnly, blocksOnlyAsked));
        var priced = PricedMaximumWeightMatching.Solve(twoLevels, k, line => twoLevelsAsked = AskedByCandidates(line, twoLevels, twoLevelsAsked));

        Assert.Equal(1, priced.Rounds);
        TestGraphs.AssertEachNodeHasItsKHeaviestWeights(twoLevels, priced.FinalGraph, k);
        Assert.True(twoLevelsAsked < blocksOnlyAsked * 3 / 4, $"two levels {twoLevelsAsked} vs blocks only {blocksOnlyAsked} pairs asked for the candidates");
        Assert.Equal(expected.Solution.TotalWeight, priced.Solution.TotalWeight);
    }

    /// <summary>The pairs asked for by the candidate pass: the count when its progress line arrives (the first line).</summary>
    private static long AskedByCandidates(string line, TwoLevelWeights weights, long before) =>
        line.StartsWith("candidates ", StringComparison.Ordinal) ? weights.Asked : before;

    private static int Passes(List<string> log) => 1 + log.Count(line => line.Contains("full pricing", StringComparison.Ordinal));

    /// <summary>
    /// Random weights 1..1000 in blocks of eight, each node a sub-block of its own (so a sub-block's bound is the pair's
    /// weight): a row of n / 8 blocks is read in many windows of sub-block bounds, and with one candidate per node most
    /// blocks of most rows hold violators, so the windows follow each other. A bound read for another row (or never
    /// read) is the wrong pair's weight there, and would hide a violator.
    /// </summary>
    private sealed class OnePerSubBlock(int n, int seed) : IPairWeights, IPairWeightBounds
    {
        public int NodeCount => n;

        public int[] BlockStarts { get; } = [.. Enumerable.Range(0, (n + 7) / 8).Select(b => b * 8), n];

        public int[]? SubBlockStarts { get; } = [.. Enumerable.Range(0, n + 1)];

        public long Weight(int u, int v) => u == v ? 0 : 1 + (TestGraphs.PairHash(u, v, seed) % 1000);

        public long BlockBound(int u, int block) => TestGraphs.HeaviestInBlock(this, BlockStarts, u, block);

        public long SubBlockBound(int u, int subBlock) => Weight(u, subBlock);
    }

    [Theory]
    [InlineData(1600, 7)]
    [InlineData(1601, 8)]
    public void Pricing_reads_the_sub_block_bound_of_every_pair_it_may_skip_in_rows_of_many_blocks(int n, int seed)
    {
        var weights = new OnePerSubBlock(n, seed);

        var priced = PricedMaximumWeightMatching.Solve(weights, 1);

        var check = MatchingVerifier.Verify(TestGraphs.CompleteGraph(weights), priced.Solution);
        Assert.True(check.IsOptimal, check.Reason);
    }
}
