using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Tests.Matching.Solver;

/// <summary>
/// The solver's entry points refuse input they cannot solve exactly, and say which argument and which rule: a graph
/// exported by the CLI or a custom weight source is checked before any work starts.
/// </summary>
public class SolverInputTests
{
    private sealed class NoPairs(int n) : IPairWeights
    {
        public int NodeCount => n;

        public long Weight(int u, int v) => 0;
    }

    private sealed class BlockedNoPairs(int n, int[] starts, int[]? subStarts = null) : IPairWeights, IPairWeightBounds
    {
        public int NodeCount => n;

        public int[] BlockStarts => starts;

        public int[]? SubBlockStarts => subStarts;

        public long SubBlockBound(int u, int subBlock) => 0;

        public long Weight(int u, int v) => 0;

        public long BlockBound(int u, int block) => 0;
    }

    [Fact]
    public void The_heaviest_supported_weight_is_accepted_and_one_more_is_refused()
    {
        var heaviest = WeightedGraph.FromEdges(2, [(0, 1, WeightedGraph.MaxWeight)]);
        Assert.Equal(WeightedGraph.MaxWeight, MaximumWeightMatching.Solve(heaviest).TotalWeight);

        var tooHeavy = Assert.Throws<ArgumentException>(() => WeightedGraph.FromEdges(2, [(1, 0, WeightedGraph.MaxWeight + 1)]));
        Assert.Equal("edgeWeight", tooHeavy.ParamName);
        Assert.StartsWith($"Edge 0 (1,0) has weight {WeightedGraph.MaxWeight + 1}; weights must be in 1..{WeightedGraph.MaxWeight}.", tooHeavy.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_weight_of_zero_or_less_is_refused_naming_the_edge()
    {
        var zero = Assert.Throws<ArgumentException>(() => WeightedGraph.FromEdges(3, [(0, 1, 4), (1, 2, 0)]));
        Assert.Equal("edgeWeight", zero.ParamName);
        Assert.StartsWith("Edge 1 (1,2) has weight 0;", zero.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => WeightedGraph.FromEdges(3, [(0, 1, -5)]));
        Assert.Equal(1, MaximumWeightMatching.Solve(WeightedGraph.FromEdges(2, [(0, 1, 1)])).TotalWeight);
    }

    [Fact]
    public void An_endpoint_outside_the_nodes_is_refused_naming_the_edge()
    {
        var above = Assert.Throws<ArgumentException>(() => WeightedGraph.FromEdges(3, [(0, 1, 1), (2, 3, 1)]));
        Assert.Equal("edgeU", above.ParamName);
        Assert.StartsWith("Edge 1 (2,3) has an endpoint outside 0..2.", above.Message, StringComparison.Ordinal);
        var negative = Assert.Throws<ArgumentException>(() => WeightedGraph.FromEdges(3, [(-1, 1, 1)]));
        Assert.Equal("edgeU", negative.ParamName);
        Assert.Throws<ArgumentException>(() => WeightedGraph.FromEdges(3, [(1, -1, 1)]));
        Assert.StartsWith("Edge 0 (3,0) has an endpoint outside 0..2.", Assert.Throws<ArgumentException>(() => WeightedGraph.FromEdges(3, [(3, 0, 1)])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_self_loop_is_refused_naming_the_node()
    {
        var loop = Assert.Throws<ArgumentException>(() => WeightedGraph.FromEdges(3, [(0, 1, 1), (2, 2, 1)]));
        Assert.Equal("edgeU", loop.ParamName);
        Assert.StartsWith("Edge 1 is a self loop on node 2.", loop.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Edge_arrays_of_different_lengths_and_a_negative_node_count_are_refused()
    {
        var weights = Assert.Throws<ArgumentException>(() => new WeightedGraph(2, [0], [1], [1, 1]));
        Assert.Equal("edgeWeight", weights.ParamName);
        Assert.StartsWith("edgeU, edgeV and edgeWeight must have the same length.", weights.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new WeightedGraph(2, [0, 1], [1], [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeightedGraph(-1, [], [], []));
    }

    [Fact]
    public void A_warm_start_from_a_graph_with_another_node_count_is_refused()
    {
        var graph = WeightedGraph.FromEdges(3, [(0, 1, 2), (1, 2, 3)]);
        var fewerDuals = new MatchingSolution([-1, -1, -1], 0, new MatchingDuals([0, 0], []));
        var fewerMates = new MatchingSolution([-1, -1], 0, new MatchingDuals([0, 0, 0], []));

        var duals = Assert.Throws<ArgumentException>(() => MaximumWeightMatching.SolveFrom(graph, fewerDuals));
        Assert.Equal("warm", duals.ParamName);
        Assert.StartsWith("The warm start belongs to a graph with another node count.", duals.Message, StringComparison.Ordinal);
        Assert.Equal("warm", Assert.Throws<ArgumentException>(() => MaximumWeightMatching.SolveFrom(graph, fewerMates)).ParamName);
    }

    [Fact]
    public void Priced_matching_needs_at_least_one_candidate_per_node()
    {
        Assert.Equal("candidatesPerNode", Assert.Throws<ArgumentOutOfRangeException>(() => PricedMaximumWeightMatching.Solve(new NoPairs(4), 0)).ParamName);
        Assert.Equal(0, PricedMaximumWeightMatching.Solve(new NoPairs(4), 1).Solution.TotalWeight);
    }

    [Fact]
    public void Priced_matching_refuses_more_candidates_than_it_can_index()
    {
        // Checked before any pair is weighed, so the huge node count costs nothing.
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => PricedMaximumWeightMatching.Solve(new NoPairs(int.MaxValue / 4), 3));
        Assert.Equal("candidatesPerNode", tooMany.ParamName);
        Assert.Contains("NodeCount * candidatesPerNode is too large.", tooMany.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 1, 32, 64 }, "BlockStarts must run from 0 to NodeCount.")]
    [InlineData(new[] { 0, 32, 63 }, "BlockStarts must run from 0 to NodeCount.")]
    [InlineData(new[] { 0 }, "BlockStarts must run from 0 to NodeCount.")]
    [InlineData(new[] { 0, 32, 32, 64 }, "Block 1 must hold 1..2048 nodes.")]
    [InlineData(new[] { 0, 40, 32, 64 }, "Block 1 must hold 1..2048 nodes.")]
    public void Block_bounds_that_do_not_cover_the_nodes_in_order_are_refused(int[] starts, string rule)
    {
        var refused = Assert.Throws<ArgumentException>(() => PricedMaximumWeightMatching.Solve(new BlockedNoPairs(64, starts), 2));
        Assert.Equal("weights", refused.ParamName);
        Assert.StartsWith(rule, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_may_hold_up_to_one_row_buffer_of_nodes_but_not_more()
    {
        int[] fits = [0, 2048, 4096, 4200];
        Assert.Equal(0, PricedMaximumWeightMatching.Solve(new BlockedNoPairs(4200, fits), 1).Solution.TotalWeight);

        int[] tooBig = [0, 2049, 4200];
        var refused = Assert.Throws<ArgumentException>(() => PricedMaximumWeightMatching.Solve(new BlockedNoPairs(4200, tooBig), 1));
        Assert.StartsWith("Block 0 must hold 1..2048 nodes.", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 1, 16, 64 }, "SubBlockStarts must run from 0 to NodeCount.")]
    [InlineData(new[] { 0, 16, 60 }, "SubBlockStarts must run from 0 to NodeCount.")]
    [InlineData(new[] { 0, 16, 16, 64 }, "Sub-block 1 must hold at least one node.")]
    [InlineData(new[] { 0, 16, 40, 64 }, "Block 1 must start where a sub-block starts.")]
    public void Sub_blocks_that_do_not_cut_the_blocks_in_order_are_refused(int[] subStarts, string rule)
    {
        var weights = new BlockedNoPairs(64, [0, 32, 64], subStarts);

        var refused = Assert.Throws<ArgumentException>(() => PricedMaximumWeightMatching.Solve(weights, 2));
        Assert.Equal("weights", refused.ParamName);
        Assert.StartsWith(rule, refused.Message, StringComparison.Ordinal);
    }
}
