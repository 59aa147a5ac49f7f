using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Tests.Matching.Solver;

/// <summary>
/// Degenerate graphs (many equal weights) make the engine nest blossoms one inside the next, tens of thousands of
/// levels deep at a million people. Work that walks the nest once per level is quadratic in its depth: the 1M-person
/// synthetic solve ran more than 40 minutes, mostly there (bench/matching/README.md, sixth session).
/// </summary>
public class DeepNestTests
{
    /// <summary>
    /// A ladder of matched pairs (t_i, s_i) over an exposed root r: r-t_0-s_0-r is a triangle, and each next pair closes
    /// an odd cycle with the one before (t_i-s_{i-1}, s_i-t_{i-1}), so r's tree absorbs two vertices into a new blossom
    /// around the last one at every rung (checked by the step count below); z, one more exposed vertex with a lighter edge to the
    /// top rung, ends the tree's growth by augmenting through the nest.
    /// </summary>
    private static WeightedGraph Ladder(int rungs, long weight)
    {
        var edges = new List<(int, int, long)>();
        for (int i = 0; i < rungs; i++)
        {
            edges.Add((2 * i, (2 * i) + 1, weight));
        }

        int r = 2 * rungs, z = r + 1;
        edges.Add((r, 0, weight));
        edges.Add((r, 1, weight));
        for (int i = 1; i < rungs; i++)
        {
            edges.Add((2 * i, (2 * (i - 1)) + 1, weight));
            edges.Add(((2 * i) + 1, 2 * (i - 1), weight));
        }

        edges.Add(((2 * (rungs - 1)) + 1, z, weight - 1));
        return WeightedGraph.FromEdges(2 * rungs + 2, edges);
    }

    [Fact]
    public void A_nest_twenty_thousand_deep_is_solved_with_work_linear_in_its_depth()
    {
        const int rungs = 20_000;
        var graph = Ladder(rungs, 10);
        var engine = new BlossomEngine(graph);
        engine.Run();
        var solution = new MatchingSolution(engine.Mate, engine.TotalWeight(), engine.Duals());

        // A perfect matching: z on its lighter edge, r, and all rungs but one, shifted along the ladder.
        Assert.Equal((rungs * 10L) + 9, solution.TotalWeight);
        Assert.Equal(graph.NodeCount, solution.MatchedNodes);
        var check = MatchingVerifier.Verify(graph, solution);
        Assert.True(check.IsOptimal, check.Reason);

        // Walking the rest of the nest at every level takes about rungs^2 / 2 = 2e8 steps (150 million, measured,
        // when a blossom's vertices were walked whatever their dual convention).
        Assert.InRange(engine.StatNestSteps, rungs, 20L * graph.NodeCount);
    }
}
