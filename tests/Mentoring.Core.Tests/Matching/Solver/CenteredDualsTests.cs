using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Tests.Matching.Solver;

/// <summary>Centering a sparse optimum's duals keeps it an optimum and moves each pair's duals towards the middle.</summary>
public class CenteredDualsTests
{
    [Fact]
    public void A_lopsided_pair_shares_its_weight_as_far_as_its_other_edges_allow()
    {
        // Pairs (0, 1) and (3, 2) keep all their dual at 1 and 2 (20 of 2 * 10). The edge (1, 2) of weight 12 has
        // slack 20 + 20 - 24 = 16, and both its ends want to give 10: each may give half the slack, 8, so the edge
        // ends tight at 12 + 12 = 2 * 12 instead of violated at 10 + 10.
        var graph = WeightedGraph.FromEdges(4, [(0, 1, 10), (2, 3, 10), (1, 2, 12)]);
        var lopsided = new MatchingSolution([1, 0, 3, 2], 20, new MatchingDuals([0, 20, 20, 0], []));

        var centered = PricedMaximumWeightMatching.CenterDuals(graph, lopsided);

        Assert.Equal([8, 12, 12, 8], centered.Duals.VertexDual2x);
        Assert.Equal(lopsided.Mate, centered.Mate);
        var check = MatchingVerifier.Verify(graph, centered);
        Assert.True(check.IsOptimal, check.Reason);
    }

    [Fact]
    public void A_pair_with_room_on_both_sides_meets_in_the_middle_and_exposed_vertices_keep_zero()
    {
        // (0, 1) weight 7: duals 0 and 14 become 7 and 7. Vertex 2 is exposed (dual 0) and never moves, so 1 may use
        // the whole slack of their edge (weight 3: 14 + 0 - 6 = 8), not half of it, and drops to 7 (7 + 0 >= 6).
        var graph = WeightedGraph.FromEdges(3, [(0, 1, 7), (1, 2, 3)]);
        var lopsided = new MatchingSolution([1, 0, -1], 7, new MatchingDuals([0, 14, 0], []));

        var centered = PricedMaximumWeightMatching.CenterDuals(graph, lopsided);

        Assert.Equal([7, 7, 0], centered.Duals.VertexDual2x);
        Assert.True(MatchingVerifier.Verify(graph, centered).IsOptimal);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 40)]
    [InlineData(3, 1000)]
    public void Every_centered_optimum_is_still_certified(int seed, int maxWeight)
    {
        // Random graphs, blossoms included: the centered duals must stay feasible, keep every matched edge tight and
        // leave the blossom duals alone, whatever the engine's duals were.
        var rng = new Random(seed);
        int moved = 0;
        for (int i = 0; i < 150; i++)
        {
            var graph = TestGraphs.Random(rng, rng.Next(2, 60), rng.NextDouble(), maxWeight);
            var optimum = MaximumWeightMatching.Solve(graph);

            var centered = PricedMaximumWeightMatching.CenterDuals(graph, optimum);

            var check = MatchingVerifier.Verify(graph, centered);
            Assert.True(check.IsOptimal, check.Reason);
            Assert.Equal(optimum.TotalWeight, centered.TotalWeight);
            moved += optimum.Duals.VertexDual2x.Zip(centered.Duals.VertexDual2x).Count(p => p.First != p.Second);
        }

        Assert.True(moved > 0);
    }
}
