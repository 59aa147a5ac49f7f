using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Tests.Matching.Solver;

public class MatchingVerifierTests
{
    // A 5-cycle plus a pendant: the optimum needs a blossom dual in its certificate for some weightings.
    private static WeightedGraph Sample()
    {
        var rng = new Random(5);
        while (true)
        {
            var graph = TestGraphs.Random(rng, 10, 0.5, 30);
            var solution = MaximumWeightMatching.Solve(graph);
            if (solution.MatchedNodes >= 6 && solution.Duals.Blossoms.Any(b => b.Dual2x > 0))
            {
                return graph;
            }
        }
    }

    private static MatchingSolution With(MatchingSolution s, int[]? mate = null, long? total = null, long[]? u = null, IReadOnlyList<BlossomDual>? blossoms = null)
        => new(mate ?? (int[])s.Mate.Clone(), total ?? s.TotalWeight,
            new MatchingDuals(u ?? (long[])s.Duals.VertexDual2x.Clone(), blossoms ?? s.Duals.Blossoms));

    [Fact]
    public void Accepts_the_solver_output()
    {
        var graph = Sample();
        Assert.True(MatchingVerifier.Verify(graph, MaximumWeightMatching.Solve(graph)).IsOptimal);
    }

    [Fact]
    public void Rejects_swapped_partners()
    {
        var graph = Sample();
        var s = MaximumWeightMatching.Solve(graph);
        int a = Array.FindIndex(s.Mate, m => m >= 0);
        int b = s.Mate[a];
        int c = Array.FindIndex(s.Mate, m => m >= 0 && m != a && m != b);
        int d = s.Mate[c];
        var mate = (int[])s.Mate.Clone();
        mate[a] = c;
        mate[c] = a;
        mate[b] = d;
        mate[d] = b;
        var result = MatchingVerifier.Verify(graph, With(s, mate));
        Assert.False(result.IsOptimal);
        Assert.NotNull(result.Reason);
    }

    [Fact]
    public void Rejects_a_dropped_edge()
    {
        var graph = Sample();
        var s = MaximumWeightMatching.Solve(graph);
        int a = Array.FindIndex(s.Mate, m => m >= 0);
        int b = s.Mate[a];
        var mate = (int[])s.Mate.Clone();
        mate[a] = -1;
        mate[b] = -1;
        long dropped = TestGraphs.MatchingWeight(graph, s.Mate) - TestGraphs.MatchingWeight(graph, mate);
        Assert.False(MatchingVerifier.Verify(graph, With(s, mate, s.TotalWeight - dropped)).IsOptimal);
        Assert.False(MatchingVerifier.Verify(graph, With(s, mate)).IsOptimal);
    }

    [Fact]
    public void Rejects_a_wrong_total()
    {
        var graph = Sample();
        var s = MaximumWeightMatching.Solve(graph);
        Assert.False(MatchingVerifier.Verify(graph, With(s, total: s.TotalWeight + 1)).IsOptimal);
    }

    [Fact]
    public void Rejects_perturbed_duals()
    {
        var graph = Sample();
        var s = MaximumWeightMatching.Solve(graph);
        for (int v = 0; v < graph.NodeCount; v++)
        {
            foreach (long change in new long[] { -1, 1 })
            {
                var u = (long[])s.Duals.VertexDual2x.Clone();
                u[v] += change;
                // Lowering breaks feasibility or tightness; raising breaks tightness or slackness; either way reject
                // unless v is exposed with slack on all edges and raised (then only complementary slackness fails).
                Assert.False(MatchingVerifier.Verify(graph, With(s, u: u)).IsOptimal, $"vertex {v} change {change}");
            }
        }

        var blossoms = s.Duals.Blossoms.ToList();
        int i = blossoms.FindIndex(b => b.Dual2x > 0);
        blossoms[i] = blossoms[i] with { Dual2x = blossoms[i].Dual2x - 2 };
        Assert.False(MatchingVerifier.Verify(graph, With(s, blossoms: blossoms)).IsOptimal);
    }

    [Fact]
    public void Rejects_a_non_matching()
    {
        var graph = WeightedGraph.FromEdges(3, [(0, 1, 1), (1, 2, 1)]);
        var s = MaximumWeightMatching.Solve(graph);
        Assert.False(MatchingVerifier.Verify(graph, With(s, mate: [1, 2, 1])).IsOptimal);
        Assert.False(MatchingVerifier.Verify(graph, With(s, mate: [2, -1, 0])).IsOptimal); // (0,2) is not an edge
        Assert.False(MatchingVerifier.Verify(graph, With(s, mate: [0, -1, -1])).IsOptimal);
        Assert.False(MatchingVerifier.Verify(graph, With(s, mate: [1, 0])).IsOptimal);
    }

    [Fact]
    public void Rejects_malformed_blossoms()
    {
        var graph = WeightedGraph.FromEdges(4, [(0, 1, 4), (1, 2, 4), (2, 3, 4)]);
        var s = MaximumWeightMatching.Solve(graph);
        Assert.False(MatchingVerifier.Verify(graph, With(s, blossoms: [new BlossomDual([0, 1], 2)])).IsOptimal);
        Assert.False(MatchingVerifier.Verify(graph, With(s, blossoms: [new BlossomDual([0, 1, 2], -2)])).IsOptimal);
        Assert.False(MatchingVerifier.Verify(graph, With(s, blossoms: [new BlossomDual([0, 1, 1], 0)])).IsOptimal);
    }
}
