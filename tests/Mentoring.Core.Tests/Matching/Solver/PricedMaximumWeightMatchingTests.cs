using System.Globalization;
using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Tests.Matching.Solver;

public class PricedMaximumWeightMatchingTests
{
    /// <summary>Symmetric random weights; a share of the pairs is not allowed (weight 0).</summary>
    private sealed class MatrixWeights : IPairWeights
    {
        private readonly long[,] _w;

        public MatrixWeights(int n, int seed, double forbidden, int maxWeight, bool clustered)
        {
            var rng = new Random(seed);
            _w = new long[n, n];
            var group = Enumerable.Range(0, n).Select(_ => rng.Next(6)).ToArray();
            for (int i = 0; i < n; i++)
            {
                for (int j = i + 1; j < n; j++)
                {
                    long w = rng.NextDouble() < forbidden ? 0 : rng.Next(1, maxWeight + 1);
                    if (clustered && w > 0 && group[i] == group[j])
                    {
                        w += maxWeight / 2; // structure: heavier inside groups, so candidate lists overlap
                    }

                    _w[i, j] = w;
                    _w[j, i] = w;
                }
            }

            NodeCount = n;
        }

        public int NodeCount { get; }

        public long Weight(int u, int v) => _w[u, v];
    }

    [Theory]
    [InlineData(1, 300, 2, 0.2, 100, false)]
    [InlineData(2, 400, 3, 0.5, 20, true)]
    [InlineData(3, 250, 1, 0.0, 5, false)]
    [InlineData(4, 301, 4, 0.3, 1000, true)]
    [InlineData(5, 200, 2, 0.9, 50, false)]
    public void Priced_optimum_equals_the_complete_graph_optimum(int seed, int n, int k, double forbidden, int maxWeight, bool clustered)
    {
        var weights = new MatrixWeights(n, seed, forbidden, maxWeight, clustered);
        var priced = PricedMaximumWeightMatching.Solve(weights, k);
        var complete = TestGraphs.CompleteGraph(weights);
        var exact = MaximumWeightMatching.Solve(complete);

        Assert.Equal(exact.TotalWeight, priced.Solution.TotalWeight);
        var onFinal = MatchingVerifier.Verify(priced.FinalGraph, priced.Solution);
        Assert.True(onFinal.IsOptimal, onFinal.Reason);
        // Pricing proved dual feasibility for every allowed pair, so the certificate holds on the complete graph too.
        var onComplete = MatchingVerifier.Verify(complete, priced.Solution);
        Assert.True(onComplete.IsOptimal, onComplete.Reason);
        Assert.True(priced.FinalEdgeCount < complete.EdgeCount);
        Assert.Equal(priced.FinalEdgeCount, priced.FinalGraph.EdgeCount);
        for (int v = 0; v < n; v++)
        {
            int m = priced.Solution.Mate[v];
            Assert.True(m < 0 || weights.Weight(v, m) > 0, "only allowed pairs may be matched");
        }
    }

    public static TheoryData<int, int, int, double, int, int> PricingVariants()
    {
        var data = new TheoryData<int, int, int, double, int, int>();
        for (int seed = 10; seed < 34; seed++)
        {
            // pool per node 0: the pool holds only negative rooms, so every dual that falls makes its row dirty;
            // full pass divisor 0: never price everything twice, only the dirty rows.
            data.Add(seed, 60 + (seed * 37 % 150), 1 + (seed % 3), seed % 4 * 0.2, 0, 0);
            data.Add(seed, 60 + (seed * 53 % 150), 1 + (seed % 2), seed % 3 * 0.3, 2, 0);
            data.Add(seed, 60 + (seed * 71 % 150), 2, 0.1, 1000, 8);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PricingVariants))]
    public void Pool_and_dirty_row_pricing_still_prove_the_complete_graph_optimum(int seed, int n, int k, double forbidden, int poolPerNode, int fullPassDivisor)
    {
        var weights = new MatrixWeights(n, seed, forbidden, 1 + (seed * 13 % 60), clustered: seed % 2 == 0);
        var options = new PricedMaximumWeightMatching.PricingOptions(poolPerNode, fullPassDivisor);
        var priced = PricedMaximumWeightMatching.Solve(weights, k, null, options);
        var complete = TestGraphs.CompleteGraph(weights);

        Assert.Equal(MaximumWeightMatching.Solve(complete).TotalWeight, priced.Solution.TotalWeight);
        var onFinal = MatchingVerifier.Verify(priced.FinalGraph, priced.Solution);
        Assert.True(onFinal.IsOptimal, onFinal.Reason);
        var onComplete = MatchingVerifier.Verify(complete, priced.Solution);
        Assert.True(onComplete.IsOptimal, onComplete.Reason);
    }

    [Fact]
    public void Dirty_row_rounds_happen_and_stay_exact()
    {
        // One candidate per node and no pool: the warm re-solves lower duals, so later rounds price only dirty rows.
        int rowRounds = 0;
        for (int seed = 40; seed < 52; seed++)
        {
            var weights = new MatrixWeights(200, seed, 0.2, 40, clustered: true);
            var log = new List<string>();
            var priced = PricedMaximumWeightMatching.Solve(weights, 1, log.Add, new PricedMaximumWeightMatching.PricingOptions(0, 0));
            rowRounds += log.Count(l => l.Contains(" rows ", StringComparison.Ordinal));
            var onComplete = MatchingVerifier.Verify(TestGraphs.CompleteGraph(weights), priced.Solution);
            Assert.True(onComplete.IsOptimal, onComplete.Reason);
        }

        Assert.True(rowRounds > 0);
    }

    [Fact]
    public void Too_many_violators_add_only_the_most_violated_and_stay_exact()
    {
        // One candidate per node on a dense instance: the first pricing finds far more violators than the pool may
        // hold, so only the most violated are added and the next round prices everything again.
        var weights = new MatrixWeights(500, 61, 0.0, 1000, clustered: false);
        var log = new List<string>();
        var priced = PricedMaximumWeightMatching.Solve(weights, 1, log.Add, new PricedMaximumWeightMatching.PricingOptions(0, 8));
        var partial = log.Where(l => l.Contains("most violated only", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(partial);
        // At most one added pair per node (PoolPerNode 0 still adds one): a partial pool is a matching of violators,
        // so no node's row can fill it, however many of its pairs violate.
        foreach (string line in partial)
        {
            int pool = int.Parse(line[(line.LastIndexOf("pool ", StringComparison.Ordinal) + 5)..], CultureInfo.InvariantCulture);
            int violators = int.Parse(line.Split(", ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
            Assert.InRange(pool, 1, 500 / 2);
            Assert.True(violators > pool, line);
        }
        var complete = TestGraphs.CompleteGraph(weights);
        Assert.Equal(MaximumWeightMatching.Solve(complete).TotalWeight, priced.Solution.TotalWeight);
        var onComplete = MatchingVerifier.Verify(complete, priced.Solution);
        Assert.True(onComplete.IsOptimal, onComplete.Reason);
    }

    [Theory]
    [InlineData(1, new[] { 0, 3, 1, 2 })]
    [InlineData(2, new[] { 0, 3, 0, 1, 1, 2, 2, 3 })]
    public void A_partial_pool_takes_the_most_violated_pairs_while_both_ends_have_room(int perNode, int[] expected)
    {
        // Most violated first: (0,3) -20, (0,1) -10, (0,2) -9, (1,2) -8, (2,3) -1. With one pair per node, (0,3) fills
        // 0 and 3, so (0,1) and (0,2) wait and (1,2) is next; with two, (0,2) finds 0 full after (0,3) and (0,1).
        static long Key(int u, int v) => ((long)u << 32) | (uint)v;
        var keys = new List<long> { Key(1, 2), Key(2, 3), Key(0, 1), Key(0, 3), Key(0, 2) };
        var exact = new List<long> { -8, -1, -10, -20, -9 };

        var kept = PricedMaximumWeightMatching.MostViolatedPerNode(4, keys, exact, perNode);

        Assert.Equal(Enumerable.Range(0, expected.Length / 2).Select(i => Key(expected[2 * i], expected[(2 * i) + 1])), kept);
    }

    [Fact]
    public void Small_candidate_lists_force_pricing_rounds()
    {
        var weights = new MatrixWeights(300, 7, 0.1, 100, clustered: false);
        var priced = PricedMaximumWeightMatching.Solve(weights, candidatesPerNode: 1);
        Assert.True(priced.Rounds > 1);
        Assert.True(priced.EdgesAdded > 0);
        Assert.Equal(MaximumWeightMatching.Solve(TestGraphs.CompleteGraph(weights)).TotalWeight, priced.Solution.TotalWeight);
    }

    [Fact]
    public void No_allowed_pairs_gives_an_empty_matching()
    {
        var weights = new MatrixWeights(20, 1, 1.0, 10, clustered: false);
        var priced = PricedMaximumWeightMatching.Solve(weights, 3);
        Assert.Equal(0, priced.Solution.TotalWeight);
        Assert.Equal(1, priced.Rounds);
        Assert.Equal(0, priced.FinalEdgeCount);
    }

    /// <summary>Hashed weights 1..1000 between everyone, except a share of not-allowed pairs and the people <paramref name="nobody"/> names.</summary>
    private sealed class HashedWeights(int n, int seed, double forbidden, Func<int, bool> nobody) : IPairWeights
    {
        public int NodeCount => n;

        public long Weight(int u, int v)
        {
            if (u == v || nobody(u) || nobody(v))
            {
                return 0;
            }

            uint h = TestGraphs.PairHash(u, v, seed);
            return (h % 1000) < forbidden * 1000 ? 0 : 1 + ((h >> 10) % 1000);
        }
    }

    /// <summary>The full pricing lines of a run: (violators, margin or null when only the most violated were kept, pool).</summary>
    private static List<(int Violators, long? Margin, int Pool)> FullPricings(List<string> log) =>
        [.. log.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"full pricing [0-9.]+ s, (\d+) violators, (?:margin (\d+)|most violated only), pool (\d+)$"))
            .Where(m => m.Success)
            .Select(m => (int.Parse(m.Groups[1].Value), m.Groups[2].Success ? long.Parse(m.Groups[2].Value) : (long?)null, int.Parse(m.Groups[3].Value)))];

    [Theory]
    [InlineData(400, 3, 0.0)]
    [InlineData(400, 4, 0.0)]
    [InlineData(800, 3, 0.5)]
    [InlineData(800, 4, 0.0)]
    [InlineData(800, 5, 0.5)]
    public void A_full_pricing_pass_keeps_about_the_pairs_per_node_it_aims_for(int n, int seed, double forbidden)
    {
        // The pool is the memory of a pass and the reach of the dirty-row rounds after it: PoolPerNode pairs per node
        // (estimated from 64 sampled rows), not a handful that forces more full passes, nor the whole graph.
        var weights = new HashedWeights(n, seed, forbidden, _ => false);
        var log = new List<string>();
        var priced = PricedMaximumWeightMatching.Solve(weights, 2, log.Add, new PricedMaximumWeightMatching.PricingOptions(8, 8));

        var sized = FullPricings(log).Where(p => p.Margin > 0).ToList();
        Assert.NotEmpty(sized);
        Assert.All(sized, p => Assert.InRange(p.Pool, 8 * n / 2, 8 * n * 2));
        Assert.True(MatchingVerifier.Verify(TestGraphs.CompleteGraph(weights), priced.Solution).IsOptimal);
    }

    [Theory]
    [InlineData(640)]
    [InlineData(1280)]
    public void A_margin_estimated_far_too_high_is_halved_until_the_pool_fits_and_the_result_stays_optimal(int n)
    {
        // Every sampled row (every n / 64-th person) may be paired with nobody, so the sample holds no pair and the
        // estimate is "everything"; the pass must lower the margin as the pool outgrows its cap of 4 * 8 pairs per node.
        int step = n / 64;
        var weights = new HashedWeights(n, 7, 0.0, u => u % step == 0);
        var log = new List<string>();
        var priced = PricedMaximumWeightMatching.Solve(weights, 2, log.Add, new PricedMaximumWeightMatching.PricingOptions(8, 8));

        var passes = FullPricings(log);
        Assert.Contains(passes, p => p.Margin is > 0 and < 1000);
        long cap = 4L * 8 * n;
        Assert.All(passes, p => Assert.True(p.Pool <= cap + ((long)n * Environment.ProcessorCount), $"pool {p.Pool} over the cap {cap}"));
        var complete = TestGraphs.CompleteGraph(weights);
        Assert.Equal(MaximumWeightMatching.Solve(complete).TotalWeight, priced.Solution.TotalWeight);
        Assert.True(MatchingVerifier.Verify(complete, priced.Solution).IsOptimal);
    }

    [Fact]
    public void Too_many_violators_for_the_cap_keep_at_most_the_cap_and_the_next_pass_converges()
    {
        // Two candidates per node on dense graphs: the first solve usually leaves tens of thousands of pairs below
        // margin 0, more than the 4 * 8 pairs per node a pass may hold, so the pass keeps only the most violated.
        const int n = 800;
        long cap = 4L * 8 * n;
        int partialPasses = 0;
        foreach (int seed in new[] { 1, 2, 3, 5 })
        {
            var weights = new HashedWeights(n, seed, 0.0, _ => false);
            var log = new List<string>();
            var priced = PricedMaximumWeightMatching.Solve(weights, 2, log.Add, new PricedMaximumWeightMatching.PricingOptions(8, 8));

            var passes = FullPricings(log);
            foreach (var pass in passes.Where(p => p.Margin is null))
            {
                partialPasses++;
                Assert.InRange(pass.Pool, 1, cap + ((long)n * Environment.ProcessorCount));
            }

            Assert.True(passes.Count <= 3, string.Join(" | ", log));
            Assert.True(MatchingVerifier.Verify(TestGraphs.CompleteGraph(weights), priced.Solution).IsOptimal);
        }

        Assert.True(partialPasses > 0);
    }

    /// <summary><see cref="HashedWeights"/> with block bounds that never rule a block out (every bound is the largest weight).</summary>
    private sealed class LooseBounds(int n, int seed) : IPairWeights, IPairWeightBounds
    {
        private readonly HashedWeights _weights = new(n, seed, 0.2, _ => false);

        public int NodeCount => n;

        public int[] BlockStarts { get; } = [.. Enumerable.Range(0, (n + 24) / 25).Select(b => b * 25), n];

        public long Weight(int u, int v) => _weights.Weight(u, v);

        public long BlockBound(int u, int block) => 1000;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rows_longer_than_one_row_buffer_are_priced_whole(bool withBounds)
    {
        // 2,100 people: a row spans more than the 2,048-pair buffer, so the top-k pass, the full passes and the
        // dirty-row passes (no pool, never a second full pass) each cut rows into pieces; no pair may fall between them.
        const int n = 2100;
        IPairWeights weights = withBounds ? new LooseBounds(n, 11) : new HashedWeights(n, 11, 0.2, _ => false);
        var log = new List<string>();
        var priced = PricedMaximumWeightMatching.Solve(weights, 1, log.Add, new PricedMaximumWeightMatching.PricingOptions(0, 0));

        Assert.Contains(log, l => l.Contains(" rows ", StringComparison.Ordinal));
        var check = MatchingVerifier.Verify(TestGraphs.CompleteGraph(weights), priced.Solution);
        Assert.True(check.IsOptimal, check.Reason);
    }

    [Theory]
    [InlineData(301, 1)]
    [InlineData(255, 2)]
    public void An_odd_number_of_alike_people_is_priced_with_the_blossom_duals_every_pair_shares(int n, int seed)
    {
        // Every pair is in the graph from the start (k = n - 1), so no pair can violate. Weights of 1 or 2 leave one
        // person over, and the certificate nests positive blossoms over nearly everyone. Counting vertex duals only,
        // the pass saw most pairs inside as violated and its pool overflowed into "most violated only" (at 100,001
        // synthetic people every round then priced everything again: 411 s instead of 21 s).
        var weights = new MatrixWeights(n, seed, forbidden: 0, maxWeight: 2, clustered: false);
        var log = new List<string>();
        var priced = PricedMaximumWeightMatching.Solve(weights, n - 1, log.Add, new PricedMaximumWeightMatching.PricingOptions(1, 8));

        Assert.Contains(priced.Solution.Duals.Blossoms, b => b.Dual2x > 0 && b.Members.Length > n / 2);
        Assert.Equal(1, priced.Rounds);
        Assert.DoesNotContain(log, l => l.Contains("most violated only", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("0 violators, margin", StringComparison.Ordinal));
        Assert.True(MatchingVerifier.Verify(TestGraphs.CompleteGraph(weights), priced.Solution).IsOptimal);
    }
}
