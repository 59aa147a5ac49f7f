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
    public void A_person_who_can_pair_with_nobody_starts_no_search()
    {
        // Node 2 has no edge: its dual starts at zero, so it is not a tree root and needs no dual step to stay single.
        var engine = new BlossomEngine(WeightedGraph.FromEdges(3, [(0, 1, 5)]));

        engine.Run();

        Assert.Equal([1, 0, -1], engine.Mate);
        Assert.Equal(0, engine.StatDualSteps);
    }

    [Fact]
    public void A_new_edge_that_beats_its_ends_duals_raises_the_unpaired_end_and_the_old_pair_stays_with_one_dual_step()
    {
        // Earlier optimum: 0-1 at weight 10. The new edge 1-2 (8) violates the old duals. Raising 2 (unpaired anyway)
        // keeps 0-1 tight and paired; 2 then lowers its dual to zero in one step and stays single (10 beats 8).
        var earlier = MaximumWeightMatching.Solve(WeightedGraph.FromEdges(3, [(0, 1, 10)]));
        var engine = new BlossomEngine(WeightedGraph.FromEdges(3, [(0, 1, 10), (1, 2, 8)]));

        engine.Run(earlier);

        Assert.Equal([1, 0, -1], engine.Mate);
        Assert.Equal(1, engine.StatDualSteps);
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
