using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Tests.Matching.Solver;

public class MaximumWeightMatchingBruteForceTests
{
    [Theory]
    [InlineData(1, 1000, 3)] // many equal weights
    [InlineData(2, 1000, 10)]
    [InlineData(3, 800, 1000)]
    [InlineData(4, 400, 1_000_000_000)]
    public void Random_small_graphs_match_the_exhaustive_optimum_and_are_certified(int seed, int graphs, int maxWeight)
    {
        var rng = new Random(seed);
        for (int g = 0; g < graphs; g++)
        {
            int n = rng.Next(0, 15);
            double density = rng.NextDouble();
            var graph = TestGraphs.Random(rng, n, density, maxWeight);
            var solution = MaximumWeightMatching.Solve(graph);
            long expected = TestGraphs.BruteForceOptimum(graph);
            Assert.True(expected == solution.TotalWeight, $"seed {seed} graph {g}: n={n}, expected {expected}, got {solution.TotalWeight}");
            var check = MatchingVerifier.Verify(graph, solution);
            Assert.True(check.IsOptimal, $"seed {seed} graph {g}: {check.Reason}");
        }
    }

    [Fact]
    public void Parallel_edges_count_with_their_heaviest_weight()
    {
        var graph = WeightedGraph.FromEdges(4, [(0, 1, 2), (1, 0, 9), (2, 3, 4), (1, 2, 10), (3, 2, 1)]);
        var solution = MaximumWeightMatching.Solve(graph);
        Assert.Equal(TestGraphs.BruteForceOptimum(graph), solution.TotalWeight);
        Assert.True(MatchingVerifier.Verify(graph, solution).IsOptimal);
    }

    [Fact]
    public void Random_graphs_do_exercise_blossom_duals()
    {
        var rng = new Random(11);
        int withBlossoms = 0;
        for (int g = 0; g < 300; g++)
        {
            var graph = TestGraphs.Random(rng, rng.Next(5, 15), 0.6, 20);
            var solution = MaximumWeightMatching.Solve(graph);
            if (solution.Duals.Blossoms.Any(b => b.Dual2x > 0))
            {
                withBlossoms++;
            }
        }

        Assert.True(withBlossoms > 10, $"only {withBlossoms} certificates used blossoms");
    }
}
