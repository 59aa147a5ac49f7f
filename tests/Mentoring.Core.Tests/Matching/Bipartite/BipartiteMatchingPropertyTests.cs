using FsCheck;
using FsCheck.Fluent;
using Mentoring.Core.Matching.Bipartite;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Tests.Matching.Bipartite;

public class BipartiteMatchingPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(400);

    private static void ForAllSeeds(Action<int> check) =>
        Check.One(Runs, Prop.ForAll(Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), (int seed) => check(seed)));

    [Fact]
    public void Highest_score_b_matchings_equal_the_exhaustive_optimum_and_are_certified()
    {
        ForAllSeeds(seed =>
        {
            var graph = BipartiteTestGraphs.Random(new Random(seed), maxSide: 5, maxEdges: 13, maxCapacity: 3, maxWeight: seed % 3 == 0 ? 3 : 50);
            var solution = BipartiteMatching.Solve(graph, MatchingObjective.HighestScore);
            var best = BipartiteTestGraphs.BruteForce(graph);
            Assert.True(best.Weight == solution.TotalWeight, $"seed {seed}: optimum {best.Weight}, got {solution.TotalWeight}");
            var check = BipartiteVerifier.Verify(graph, solution);
            Assert.True(check.IsOptimal, $"seed {seed}: {check.Reason}");
        });
    }

    [Fact]
    public void Most_pairs_then_score_b_matchings_equal_the_exhaustive_optimum_and_are_certified()
    {
        ForAllSeeds(seed =>
        {
            var graph = BipartiteTestGraphs.Random(new Random(seed), maxSide: 5, maxEdges: 13, maxCapacity: 3, maxWeight: seed % 3 == 0 ? 3 : 50);
            var solution = BipartiteMatching.Solve(graph, MatchingObjective.MostPairsThenScore);
            var best = BipartiteTestGraphs.BruteForce(graph);
            Assert.True((best.MostEdges, best.WeightAtMostEdges) == (solution.MatchedEdges, solution.TotalWeight),
                $"seed {seed}: optimum {best.MostEdges} edges weighing {best.WeightAtMostEdges}, got {solution.MatchedEdges} weighing {solution.TotalWeight}");
            var check = BipartiteVerifier.Verify(graph, solution);
            Assert.True(check.IsOptimal, $"seed {seed}: {check.Reason}");
        });
    }

    [Fact]
    public void Larger_random_b_matchings_keep_capacities_and_a_valid_certificate()
    {
        ForAllSeeds(seed =>
        {
            var rng = new Random(seed);
            var graph = BipartiteTestGraphs.Random(rng, maxSide: 60, maxEdges: 600, maxCapacity: 4, maxWeight: rng.Next(1, 200));
            foreach (var objective in new[] { MatchingObjective.HighestScore, MatchingObjective.MostPairsThenScore })
            {
                var check = BipartiteVerifier.Verify(graph, BipartiteMatching.Solve(graph, objective));
                Assert.True(check.IsOptimal, $"seed {seed} {objective}: {check.Reason}");
            }
        });
    }
}
