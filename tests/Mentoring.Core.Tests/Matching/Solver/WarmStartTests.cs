using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Tests.Matching.Solver;

/// <summary>Re-solving from an earlier solution gives the same optimum, however far off (or invalid) the start is.</summary>
public class WarmStartTests
{
    private static WeightedGraph Subgraph(WeightedGraph g, Random rng, double keep)
    {
        var edges = new List<(int, int, long)>();
        for (int e = 0; e < g.EdgeCount; e++)
        {
            if (rng.NextDouble() < keep)
            {
                edges.Add((g.EdgeU[e], g.EdgeV[e], g.EdgeWeight[e]));
            }
        }

        return WeightedGraph.FromEdges(g.NodeCount, edges);
    }

    private static void AssertOptimal(WeightedGraph graph, MatchingSolution warm)
    {
        var cold = MaximumWeightMatching.Solve(graph);
        var again = MaximumWeightMatching.SolveFrom(graph, warm);
        Assert.Equal(cold.TotalWeight, again.TotalWeight);
        var check = MatchingVerifier.Verify(graph, again);
        Assert.True(check.IsOptimal, check.Reason);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 40)]
    [InlineData(3, 1000)]
    public void Warm_start_from_the_optimum_of_a_subgraph(int seed, int maxWeight)
    {
        var rng = new Random(seed);
        for (int i = 0; i < 60; i++)
        {
            var graph = TestGraphs.Random(rng, rng.Next(2, 70), rng.NextDouble(), maxWeight);
            var sub = Subgraph(graph, rng, rng.NextDouble());
            AssertOptimal(graph, MaximumWeightMatching.Solve(sub));
        }
    }

    [Fact]
    public void Warm_start_from_the_optimum_itself_changes_nothing()
    {
        var rng = new Random(9);
        for (int i = 0; i < 40; i++)
        {
            var graph = TestGraphs.Random(rng, rng.Next(2, 60), 0.3, 20);
            var cold = MaximumWeightMatching.Solve(graph);
            var again = MaximumWeightMatching.SolveFrom(graph, cold);
            Assert.Equal(cold.TotalWeight, again.TotalWeight);
            Assert.True(MatchingVerifier.Verify(graph, again).IsOptimal);
        }
    }

    [Theory]
    [InlineData(11, 3)]
    [InlineData(12, 40)]
    public void Re_solving_a_two_sided_graph_from_its_own_optimum_keeps_every_pair_and_searches_nothing(int seed, int maxWeight)
    {
        // Mentor/mentee-like graphs (two sides, so no blossoms): the earlier duals are copied as they are, every pair
        // is still tight and kept, and no tree is grown. Few weights (3) make many ties, where a fresh greedy pass
        // would pick other, equally good pairs.
        var rng = new Random(seed);
        for (int i = 0; i < 60; i++)
        {
            int left = rng.Next(1, 25), right = rng.Next(1, 25);
            var edges = new List<(int, int, long)>();
            for (int a = 0; a < left; a++)
            {
                for (int b = left; b < left + right; b++)
                {
                    if (rng.NextDouble() < 0.4)
                    {
                        edges.Add((a, b, rng.Next(1, maxWeight + 1)));
                    }
                }
            }

            var graph = WeightedGraph.FromEdges(left + right, edges);
            var optimum = MaximumWeightMatching.Solve(graph);
            var engine = new BlossomEngine(graph);

            engine.Run(optimum);

            Assert.Equal(optimum.Mate, engine.Mate);
            Assert.Equal(0, engine.StatDualSteps);
            Assert.Equal(0, engine.StatScans);
        }
    }

    [Fact]
    public void A_vertex_violated_against_many_new_edges_is_raised_once_and_no_pair_is_broken()
    {
        // Vertex 0 kept no dual in its pair (0, 1); each pair (a, b) is held at 10 / 10 by b's tight edge to a third
        // pair. Five new edges (0, a) are violated. Raising each a would break five pairs (b cannot give way); raising
        // 0 once repairs all five, and lowering 1 keeps (0, 1) tight: nothing is left to search.
        const int k = 5;
        var edges = new List<(int, int, long)> { (0, 1, 10) };
        var duals = new List<long> { 0, 20 };
        var mate = new List<int> { 1, 0 };
        for (int j = 0; j < k; j++)
        {
            int a = duals.Count, b = a + 1, c = a + 2, d = a + 3;
            edges.AddRange([(a, b, 10), (b, c, 10), (c, d, 10), (0, a, 8)]);
            duals.AddRange([10, 10, 10, 10]);
            mate.AddRange([b, a, d, c]);
        }

        var graph = WeightedGraph.FromEdges(duals.Count, edges);
        var engine = new BlossomEngine(graph);

        engine.Run(new MatchingSolution([.. mate], 0, new MatchingDuals([.. duals], [])));

        Assert.Equal(mate, engine.Mate);
        Assert.Equal(0, engine.StatScans);
        AssertOptimal(graph, new MatchingSolution([.. mate], 0, new MatchingDuals([.. duals], [])));
    }

    [Fact]
    public void Adversarial_warm_starts_still_give_the_optimum()
    {
        var rng = new Random(77);
        for (int i = 0; i < 200; i++)
        {
            int n = rng.Next(2, 40);
            var graph = TestGraphs.Random(rng, n, rng.NextDouble(), rng.Next(1, 50));
            // Random duals (negative, zero, odd, huge), a random and partly inconsistent mate array, random "blossoms".
            var duals = Enumerable.Range(0, n).Select(_ => (long)rng.Next(-30, 200)).ToArray();
            var mate = Enumerable.Range(0, n).Select(_ => rng.Next(-1, n)).ToArray();
            var blossoms = new List<BlossomDual>();
            for (int b = rng.Next(4); b > 0; b--)
            {
                int size = Math.Min(n - ((n + 1) % 2), 1 + (2 * rng.Next(3)));
                var members = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take(size).Order().ToArray();
                blossoms.Add(new BlossomDual(members, rng.Next(-5, 60)));
            }

            AssertOptimal(graph, new MatchingSolution(mate, 0, new MatchingDuals(duals, blossoms)));
        }
    }
}
