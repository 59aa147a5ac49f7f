using System.Diagnostics;
using System.Text.RegularExpressions;
using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Tests.Matching.Solver;

/// <summary>
/// What the priced solver reports about its rounds (the CLI's --verbose log and the bench read it): one line per phase,
/// counts that agree with the result, and a final graph that holds every pair once.
/// </summary>
public partial class PricedRoundsTests
{
    /// <summary>Seeded random symmetric weights, a fifth of the pairs not allowed.</summary>
    private sealed class RandomWeights : IPairWeights
    {
        private readonly long[,] _w;

        public RandomWeights(int n, int seed)
        {
            var rng = new Random(seed);
            _w = new long[n, n];
            for (int i = 0; i < n; i++)
            {
                for (int j = i + 1; j < n; j++)
                {
                    long w = rng.NextDouble() < 0.2 ? 0 : rng.Next(1, 41);
                    _w[i, j] = w;
                    _w[j, i] = w;
                }
            }

            NodeCount = n;
        }

        public int NodeCount { get; }

        public long Weight(int u, int v) => _w[u, v];
    }

    [GeneratedRegex(@"^candidates (\d+) edges in \d+[.,]\d\d s$")]
    private static partial Regex CandidatesLine();

    [GeneratedRegex(@"^round (\d+): solve \d+[.,]\d\d s on (\d+) edges, \d+ blossoms( \(warm\))?$")]
    private static partial Regex SolveLine();

    [GeneratedRegex(@"^round (\d+): (?:full pricing \d+[.,]\d\d s, (\d+) violators, (?:margin \d+|most violated only), pool \d+|pricing \d+ rows \d+[.,]\d\d s, (\d+) violators, pool \d+)$")]
    private static partial Regex PricingLine();

    private static (PricedSolution Priced, List<string> Log) SolveLogged(int seed, PricedMaximumWeightMatching.PricingOptions options)
    {
        var log = new List<string>();
        var priced = PricedMaximumWeightMatching.Solve(new RandomWeights(200, seed), 1, log.Add, options);
        return (priced, log);
    }

    [Theory]
    [InlineData(41, 8, 8)]
    [InlineData(42, 0, 0)]
    [InlineData(43, 2, 1)]
    public void Every_round_logs_its_solve_and_its_pricing_and_only_the_last_pricing_finds_no_violator(int seed, int poolPerNode, int fullPassDivisor)
    {
        var (priced, log) = SolveLogged(seed, new PricedMaximumWeightMatching.PricingOptions(poolPerNode, fullPassDivisor));

        Assert.True(priced.Rounds > 1, "one candidate per node is never enough on these weights");
        Assert.Equal(1 + (2 * priced.Rounds), log.Count);
        var candidates = CandidatesLine().Match(log[0]);
        Assert.True(candidates.Success, log[0]);
        Assert.Equal(priced.FinalEdgeCount - priced.EdgesAdded, int.Parse(candidates.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

        for (int round = 1; round <= priced.Rounds; round++)
        {
            var solve = SolveLine().Match(log[(2 * round) - 1]);
            Assert.True(solve.Success, log[(2 * round) - 1]);
            Assert.Equal(round.ToString(System.Globalization.CultureInfo.InvariantCulture), solve.Groups[1].Value);
            Assert.Equal(round > 1, solve.Groups[3].Success);

            var pricing = PricingLine().Match(log[2 * round]);
            Assert.True(pricing.Success, log[2 * round]);
            Assert.Equal(round.ToString(System.Globalization.CultureInfo.InvariantCulture), pricing.Groups[1].Value);
            string violators = pricing.Groups[2].Success ? pricing.Groups[2].Value : pricing.Groups[3].Value;
            Assert.Equal(round == priced.Rounds, violators == "0");
        }

        Assert.EndsWith($" on {priced.FinalEdgeCount} edges, {priced.Solution.Duals.Blossoms.Count} blossoms (warm)", log[^2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(44, 8, 8)]
    [InlineData(45, 0, 0)]
    public void Pricing_adds_each_violating_pair_once_and_reports_what_it_added(int seed, int poolPerNode, int fullPassDivisor)
    {
        var weights = new RandomWeights(200, seed);
        var log = new List<string>();
        var priced = PricedMaximumWeightMatching.Solve(weights, 1, log.Add, new PricedMaximumWeightMatching.PricingOptions(poolPerNode, fullPassDivisor));

        var pairs = new HashSet<(int, int)>();
        for (int e = 0; e < priced.FinalGraph.EdgeCount; e++)
        {
            int u = priced.FinalGraph.EdgeU[e], v = priced.FinalGraph.EdgeV[e];
            Assert.True(u < v, $"edge {e} is ({u},{v}): pairs are stored smaller id first");
            Assert.True(pairs.Add((u, v)), $"pair ({u},{v}) is in the final graph twice");
            Assert.Equal(weights.Weight(u, v), priced.FinalGraph.EdgeWeight[e]);
        }

        int candidates = int.Parse(CandidatesLine().Match(log[0]).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(priced.EdgesAdded > 0);
        Assert.Equal(candidates + priced.EdgesAdded, priced.FinalEdgeCount);

        Assert.True(priced.CandidateTime >= TimeSpan.Zero);
        Assert.True(priced.SolveTime > TimeSpan.Zero);
        Assert.True(priced.PricingTime > TimeSpan.Zero);
    }

    [Fact]
    public void The_phase_times_it_reports_are_separate_parts_of_the_run()
    {
        var weights = new RandomWeights(300, 46);
        var options = new PricedMaximumWeightMatching.PricingOptions();
        PricedMaximumWeightMatching.Solve(weights, 1, null, options); // compiled before the run that is timed

        var whole = Stopwatch.StartNew();
        var priced = PricedMaximumWeightMatching.Solve(weights, 1, null, options);
        whole.Stop();

        // Candidates, each solve and each pricing are timed from their own start: no phase also counts the one before,
        // so the phases add up to no more than the whole call.
        Assert.True(priced.Rounds > 1, "one candidate per node is never enough on these weights");
        var phases = priced.CandidateTime + priced.SolveTime + priced.PricingTime;
        Assert.True(phases <= whole.Elapsed, $"phases {phases.TotalMilliseconds} ms, whole run {whole.Elapsed.TotalMilliseconds} ms");
    }
}
