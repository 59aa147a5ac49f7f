using Mentoring.Core.Matching.Bipartite;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Tests.Matching.Bipartite;

public class BipartiteVerifierTests
{
    // Mentees 0,1 (capacity 1); mentor 0 takes two, mentor 1 takes one. The optimum is 0-0 (9) and 1-1 (8): 17.
    private static BipartiteGraph Small() =>
        BipartiteGraph.FromEdges([1, 1], [2, 1], [(0, 0, 9), (0, 1, 5), (1, 0, 7), (1, 1, 8)]);

    [Fact]
    public void The_solvers_own_answer_is_accepted()
    {
        var g = Small();
        var s = BipartiteMatching.Solve(g, MatchingObjective.HighestScore);
        Assert.Equal(17, s.TotalWeight);
        Assert.True(BipartiteVerifier.Verify(g, s).IsOptimal);
    }

    [Fact]
    public void A_suboptimal_matching_with_the_optimal_potentials_is_rejected()
    {
        var g = Small();
        var s = BipartiteMatching.Solve(g, MatchingObjective.HighestScore);
        // Swap to 0-1 (5) and 1-0 (7): feasible, but 12 < 17.
        var broken = BipartiteSolution.Of(s.Objective, s.EdgeBonus, [false, true, true, false], 12, s.LeftPotential, s.RightPotential);
        var check = BipartiteVerifier.Verify(g, broken);
        Assert.False(check.IsOptimal);
        Assert.Contains("over-covered", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_matching_over_a_capacity_is_rejected()
    {
        var g = Small();
        var broken = BipartiteSolution.Of(MatchingObjective.HighestScore, 0, [true, true, false, false], 14, [0, 0], [9, 8]);
        var check = BipartiteVerifier.Verify(g, broken);
        Assert.False(check.IsOptimal);
        Assert.Contains("capacity", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_potentials_that_leave_an_edge_uncovered_are_rejected()
    {
        var g = Small();
        var s = BipartiteMatching.Solve(g, MatchingObjective.HighestScore);
        var broken = BipartiteSolution.Of(s.Objective, s.EdgeBonus, s.Chosen, s.TotalWeight, new long[2], new long[2]);
        var check = BipartiteVerifier.Verify(g, broken);
        Assert.False(check.IsOptimal);
        Assert.Contains("not covered", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_positive_potential_on_a_node_with_room_is_rejected()
    {
        // One mentee, one mentor with room for two: the mentor cannot carry a price while a slot is free.
        var g = BipartiteGraph.FromEdges([1], [2], [(0, 0, 4)]);
        var broken = BipartiteSolution.Of(MatchingObjective.HighestScore, 0, [true], 4, [0], [4]);
        var check = BipartiteVerifier.Verify(g, broken);
        Assert.False(check.IsOptimal);
        Assert.Contains("room", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Most_pairs_needs_a_bonus_big_enough_to_put_pairs_first()
    {
        // 0-0 weighs 10 alone; 0-1 and 1-0 weigh 2 together. With no bonus the lone heavy edge would be "optimal".
        var g = BipartiteGraph.FromEdges([1, 1], [1, 1], [(0, 0, 10), (0, 1, 1), (1, 0, 1)]);
        var best = BipartiteMatching.Solve(g, MatchingObjective.MostPairsThenScore);
        Assert.Equal((2, 2L), (best.MatchedEdges, best.TotalWeight));
        Assert.True(BipartiteVerifier.Verify(g, best).IsOptimal);
        var weightOnly = BipartiteMatching.Solve(g, MatchingObjective.HighestScore);
        var claimed = BipartiteSolution.Of(MatchingObjective.MostPairsThenScore, 0, weightOnly.Chosen, weightOnly.TotalWeight, weightOnly.LeftPotential, weightOnly.RightPotential);
        Assert.False(BipartiteVerifier.Verify(g, claimed).IsOptimal);
    }

    [Fact]
    public void A_pair_listed_twice_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => BipartiteGraph.FromEdges([1], [1], [(0, 0, 1), (0, 0, 2)]));
        Assert.Contains("twice", ex.Message, StringComparison.Ordinal);
    }
}
