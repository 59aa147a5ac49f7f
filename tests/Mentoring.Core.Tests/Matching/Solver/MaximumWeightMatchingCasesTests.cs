using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Tests.Matching.Solver;

public class MaximumWeightMatchingCasesTests
{
    private static MatchingSolution SolveAndCertify(WeightedGraph graph)
    {
        var solution = MaximumWeightMatching.Solve(graph);
        var check = MatchingVerifier.Verify(graph, solution);
        Assert.True(check.IsOptimal, check.Reason);
        Assert.Equal(TestGraphs.MatchingWeight(graph, solution.Mate), solution.TotalWeight);
        return solution;
    }

    [Fact]
    public void Empty_graph_has_empty_matching()
    {
        var solution = SolveAndCertify(new WeightedGraph(0, [], [], []));
        Assert.Empty(solution.Mate);
        Assert.Equal(0, solution.TotalWeight);
        Assert.Equal(0, solution.MatchedNodes);
    }

    [Fact]
    public void Single_node_is_unmatched()
    {
        var solution = SolveAndCertify(new WeightedGraph(1, [], [], []));
        Assert.Equal([-1], solution.Mate);
    }

    [Fact]
    public void Two_nodes_with_an_edge_are_matched()
    {
        var solution = SolveAndCertify(WeightedGraph.FromEdges(2, [(1, 0, 7)]));
        Assert.Equal([1, 0], solution.Mate);
        Assert.Equal(7, solution.TotalWeight);
        Assert.Equal(2, solution.MatchedNodes);
    }

    [Fact]
    public void Nodes_without_edges_stay_unmatched()
    {
        var solution = SolveAndCertify(new WeightedGraph(5, [], [], []));
        Assert.All(solution.Mate, m => Assert.Equal(-1, m));
    }

    [Fact]
    public void Triangle_takes_its_heaviest_edge()
    {
        var solution = SolveAndCertify(WeightedGraph.FromEdges(3, [(0, 1, 5), (1, 2, 6), (2, 0, 4)]));
        Assert.Equal(6, solution.TotalWeight);
        Assert.Equal(2, solution.Mate[1]);
    }

    [Fact]
    public void Odd_cycle_with_equal_weights()
    {
        var edges = Enumerable.Range(0, 7).Select(i => (i, (i + 1) % 7, 10L));
        var solution = SolveAndCertify(WeightedGraph.FromEdges(7, edges));
        Assert.Equal(30, solution.TotalWeight);
    }

    [Fact]
    public void Weight_beats_cardinality()
    {
        // Path a-b-c-d: the middle edge alone outweighs the two outer ones.
        var solution = SolveAndCertify(WeightedGraph.FromEdges(4, [(0, 1, 2), (1, 2, 10), (2, 3, 2)]));
        Assert.Equal(10, solution.TotalWeight);
        Assert.Equal(2, solution.MatchedNodes);
    }

    [Fact]
    public void Star_matches_its_heaviest_spoke()
    {
        var edges = Enumerable.Range(1, 9).Select(i => (0, i, (long)i * 3));
        var solution = SolveAndCertify(WeightedGraph.FromEdges(10, edges));
        Assert.Equal(27, solution.TotalWeight);
        Assert.Equal(9, solution.Mate[0]);
    }

    [Fact]
    public void Blossom_that_must_be_relabelled_as_T_and_expanded()
    {
        // A triangle blossom 1-2-3 is formed, then reached as a T blossom from outside and expanded when its dual hits 0.
        var solution = SolveAndCertify(WeightedGraph.FromEdges(7,
            [(1, 2, 19), (1, 3, 20), (2, 3, 20), (3, 4, 21), (4, 5, 19), (5, 6, 19), (2, 6, 23), (1, 5, 15), (0, 1, 4)]));
        Assert.Equal(TestGraphs.BruteForceOptimum(WeightedGraph.FromEdges(7,
            [(1, 2, 19), (1, 3, 20), (2, 3, 20), (3, 4, 21), (4, 5, 19), (5, 6, 19), (2, 6, 23), (1, 5, 15), (0, 1, 4)])), solution.TotalWeight);
    }

    [Fact]
    public void Nested_blossoms_are_created_augmented_and_expanded()
    {
        // Two nested odd cycles (an inner triangle inside a pentagon) with a heavy pendant edge that forces
        // augmentation through the nested structure, plus an S-blossom with an expanding T sub-blossom.
        (int, int, long)[] edges =
        [
            (1, 2, 40), (1, 3, 40), (2, 3, 60), (2, 4, 55), (3, 5, 55), (4, 5, 50), (1, 8, 15), (5, 7, 30), (7, 6, 10),
            (8, 10, 10), (4, 9, 30),
        ];
        var graph = WeightedGraph.FromEdges(11, edges);
        var solution = SolveAndCertify(graph);
        Assert.Equal(TestGraphs.BruteForceOptimum(graph), solution.TotalWeight);
    }

    [Fact]
    public void Many_equal_weights_on_a_complete_graph()
    {
        var edges = new List<(int, int, long)>();
        for (int i = 0; i < 13; i++)
        {
            for (int j = i + 1; j < 13; j++)
            {
                edges.Add((i, j, 5));
            }
        }

        var solution = SolveAndCertify(WeightedGraph.FromEdges(13, edges));
        Assert.Equal(30, solution.TotalWeight);
        Assert.Equal(12, solution.MatchedNodes);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void Dense_graphs_of_weights_one_and_two_solve_to_a_certified_optimum(int seed)
    {
        // Heavy ties grow many trees at once: their S vertices fill the scan queue past its first size in one scan.
        SolveAndCertify(TestGraphs.Random(new Random(seed), 81, 0.6, 2));
    }

    [Fact]
    public void Invalid_graphs_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => WeightedGraph.FromEdges(2, [(0, 0, 1)]));
        Assert.Throws<ArgumentException>(() => WeightedGraph.FromEdges(2, [(0, 2, 1)]));
        Assert.Throws<ArgumentException>(() => WeightedGraph.FromEdges(2, [(0, 1, 0)]));
        Assert.Throws<ArgumentException>(() => new WeightedGraph(2, [0], [1, 0], [1]));
    }
}
