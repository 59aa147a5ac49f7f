using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Tests.Matching.Solver;

/// <summary>
/// The engine's start (duals and a greedy matching on their tight edges) decides how much searching is left. These
/// graphs are solved by the start alone, so the engine's dual-step counter must stay at zero; more steps mean the
/// start left work it should not have (the bench/matching figures depend on it).
/// </summary>
public class JumpStartTests
{
    // 0 -4- 1 -6- 2 -4- 3: the two light edges together (8) beat the heavy middle one (6).
    private static WeightedGraph LightHeavyLight() => WeightedGraph.FromEdges(4, [(0, 1, 4), (1, 2, 6), (2, 3, 4)]);

    [Fact]
    public void A_heavy_edge_between_two_lighter_ones_is_resolved_by_the_start_without_a_dual_step()
    {
        var engine = new BlossomEngine(LightHeavyLight());

        engine.Run();

        Assert.Equal(8, engine.TotalWeight());
        Assert.Equal([1, 0, 3, 2], engine.Mate);
        Assert.Equal(0, engine.StatDualSteps);
    }

    [Fact]
    public void A_warm_start_whose_duals_sit_far_above_the_new_weights_is_lowered_to_them_before_any_search()
    {
        // The earlier optimum matched 1-2 at weight 50, so both its duals are 50 (scaled by two).
        var earlier = MaximumWeightMatching.Solve(WeightedGraph.FromEdges(4, [(1, 2, 50)]));
        var engine = new BlossomEngine(LightHeavyLight());

        engine.Run(earlier);

        Assert.Equal(8, engine.TotalWeight());
        Assert.Equal([1, 0, 3, 2], engine.Mate);
        Assert.Equal(0, engine.StatDualSteps);
        Assert.True(MatchingVerifier.Verify(LightHeavyLight(), new MatchingSolution(engine.Mate, engine.TotalWeight(), engine.Duals())).IsOptimal);
    }
}
