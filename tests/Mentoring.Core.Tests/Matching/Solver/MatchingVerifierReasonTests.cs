using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Tests.Matching.Solver;

/// <summary>
/// The certificate check names exactly what is wrong: the draft's optimality certificate shows this reason to admins,
/// and a check that rejects for the wrong reason would hide the real defect.
/// </summary>
public class MatchingVerifierReasonTests
{
    // 0-1 (4), 1-2 (2): the optimum matches 0-1; 2 stays unmatched.
    private static readonly WeightedGraph Path = WeightedGraph.FromEdges(3, [(0, 1, 4), (1, 2, 2)]);

    // Triangle 0-1-2 of weight 6 plus 2-3 (1) and 3-4 (5). The optimum matches 0-1 and 3-4 (11); 2 stays unmatched.
    private static readonly WeightedGraph TriangleAndTail = WeightedGraph.FromEdges(5, [(0, 1, 6), (1, 2, 6), (0, 2, 6), (2, 3, 1), (3, 4, 5)]);
    private static readonly int[] TriangleMate = [1, 0, -1, 4, 3];

    private static MatchingSolution Solution(int[] mate, long total, long[] u, params BlossomDual[] blossoms) =>
        new(mate, total, new MatchingDuals(u, blossoms));

    private static string? Reason(WeightedGraph graph, MatchingSolution solution)
    {
        var result = MatchingVerifier.Verify(graph, solution);
        Assert.Equal(result.Reason is null, result.IsOptimal);
        return result.Reason;
    }

    [Fact]
    public void A_hand_checked_certificate_is_accepted()
    {
        Assert.Null(Reason(Path, Solution([1, 0, -1], 4, [4, 4, 0])));
        Assert.Same(VerificationResult.Ok, MatchingVerifier.Verify(Path, Solution([1, 0, -1], 4, [4, 4, 0])));
    }

    [Fact]
    public void Arrays_of_the_wrong_length_are_named()
    {
        Assert.Equal("Mate has length 2, expected 3.", Reason(Path, Solution([1, 0], 4, [4, 4, 0])));
        Assert.Equal("VertexDual2x has length 4, expected 3.", Reason(Path, Solution([1, 0, -1], 4, [4, 4, 0, 0])));
    }

    [Theory]
    [InlineData(new[] { 0, 0, -1 }, "Mate[0] = 0 is not a valid partner.")]
    [InlineData(new[] { 3, 0, -1 }, "Mate[0] = 3 is not a valid partner.")]
    [InlineData(new[] { -2, -1, -1 }, "Mate[0] = -2 is not a valid partner.")]
    [InlineData(new[] { 1, 2, 1 }, "Mate is not symmetric: Mate[0] = 1 but Mate[1] = 2.")]
    public void A_mate_array_that_is_not_a_matching_is_named(int[] mate, string reason)
    {
        Assert.Equal(reason, Reason(Path, Solution(mate, 4, [4, 4, 0])));
    }

    [Fact]
    public void A_matched_count_that_disagrees_with_the_pairs_is_named()
    {
        var solution = Solution([1, 0, -1], 4, [4, 4, 0]);
        solution.Mate[0] = -1;
        solution.Mate[1] = -1;

        Assert.Equal("MatchedNodes is 2 but Mate matches 0 nodes.", Reason(Path, solution));
    }

    [Fact]
    public void Vertex_duals_must_be_non_negative_and_zero_on_unmatched_vertices()
    {
        Assert.Equal("Vertex dual of 1 is negative (-2).", Reason(Path, Solution([1, 0, -1], 4, [10, -2, 4])));
        Assert.Equal("Vertex 2 has positive dual 2 but is unmatched.", Reason(Path, Solution([1, 0, -1], 4, [4, 4, 2])));
    }

    [Fact]
    public void An_edge_whose_duals_are_too_small_is_named_with_its_reduced_cost()
    {
        Assert.Equal("Edge (0,1) weight 4 violates dual feasibility (reduced cost -2).", Reason(Path, Solution([1, 0, -1], 4, [3, 3, 0])));
        Assert.Equal("Edge (1,2) weight 2 violates dual feasibility (reduced cost -1).", Reason(Path, Solution([1, 0, -1], 4, [5, 3, 0])));
    }

    [Fact]
    public void A_matched_edge_with_slack_is_not_tight()
    {
        Assert.Equal("Matched edge (0,1) is not tight (reduced cost 2).", Reason(Path, Solution([1, 0, -1], 4, [4, 6, 0])));
    }

    [Fact]
    public void A_pair_that_is_not_an_edge_is_named()
    {
        var graph = WeightedGraph.FromEdges(3, [(0, 1, 4), (1, 2, 2)]);

        Assert.Equal("Matched pair (0,2) is not an edge of the graph.", Reason(graph, Solution([2, -1, 0], 0, [8, 0, 4])));
    }

    [Fact]
    public void A_total_that_disagrees_with_the_matched_edges_is_named()
    {
        Assert.Equal("TotalWeight is 5 but the matched edges weigh 4.", Reason(Path, Solution([1, 0, -1], 5, [4, 4, 0])));
    }

    [Fact]
    public void Parallel_edges_count_with_their_heaviest_weight_and_the_matched_pair_is_tight_on_it()
    {
        var graph = WeightedGraph.FromEdges(2, [(0, 1, 2), (1, 0, 5)]);

        Assert.Null(Reason(graph, Solution([1, 0], 5, [5, 5])));
        Assert.Equal("TotalWeight is 2 but the matched edges weigh 5.", Reason(graph, Solution([1, 0], 2, [5, 5])));
        Assert.Equal("Matched edge (1,0) is not tight (reduced cost 2).", Reason(graph, Solution([1, 0], 5, [6, 6])));
        // Heaviest first: the lighter parallel edge has slack and is no reason to doubt the certificate.
        Assert.Null(Reason(WeightedGraph.FromEdges(2, [(0, 1, 5), (1, 0, 2)]), Solution([1, 0], 5, [5, 5])));
    }

    [Fact]
    public void Malformed_blossoms_are_named()
    {
        var triangle = WeightedGraph.FromEdges(4, [(0, 1, 6), (1, 2, 6), (0, 2, 6), (2, 3, 1)]);
        var mate = new[] { 1, 0, 3, 2 };

        Assert.Equal("Blossom 0 has negative dual -2.", Reason(triangle, Solution(mate, 7, [6, 6, 6, 0], new BlossomDual([0, 1, 2], -2))));
        Assert.Equal("Blossom 0 has 2 members; an odd set of at least 3 is required.", Reason(triangle, Solution(mate, 7, [6, 6, 6, 0], new BlossomDual([0, 1], 0))));
        Assert.Equal("Blossom 0 has 1 members; an odd set of at least 3 is required.", Reason(triangle, Solution(mate, 7, [6, 6, 6, 0], new BlossomDual([0], 0))));
        Assert.Equal("Blossom 0 has 4 members; an odd set of at least 3 is required.", Reason(triangle, Solution(mate, 7, [6, 6, 6, 0], new BlossomDual([0, 1, 2, 3], 0))));
        Assert.Equal("Blossom 0 has member 4 outside the graph.", Reason(triangle, Solution(mate, 7, [6, 6, 6, 0], new BlossomDual([0, 1, 4], 0))));
        Assert.Equal("Blossom 0 has member -1 outside the graph.", Reason(triangle, Solution(mate, 7, [6, 6, 6, 0], new BlossomDual([-1, 0, 1], 0))));
        Assert.Equal("Blossom 1 lists member 1 twice.", Reason(triangle, Solution(mate, 7, [6, 6, 6, 0], new BlossomDual([0, 1, 2], 0), new BlossomDual([1, 1, 3], 0))));
        Assert.Equal("Blossom 0 has positive dual but only 0 of 1 matched edges inside.",
            Reason(TriangleAndTail, Solution(TriangleMate, 11, [0, 0, 0, 2, 8], new BlossomDual([0, 2, 3], 2))));
        Assert.Null(Reason(TriangleAndTail, Solution(TriangleMate, 11, [0, 0, 0, 2, 8], new BlossomDual([0, 1, 2], 12), new BlossomDual([0, 2, 3], 0))));

        // Five members hold one matched pair (0-1); a full blossom of five would hold two.
        var threePairs = WeightedGraph.FromEdges(7, [(0, 1, 6), (2, 3, 6), (4, 5, 6), (5, 6, 1)]);
        Assert.Equal("Blossom 0 has positive dual but only 1 of 2 matched edges inside.",
            Reason(threePairs, Solution([1, 0, 3, 2, 5, 4, -1], 18, [6, 6, 6, 6, 6, 6, 0], new BlossomDual([0, 1, 2, 4, 6], 2))));
    }

    [Fact]
    public void A_blossom_dual_counts_only_for_edges_with_both_ends_inside()
    {
        // A dual of 12 over {0,1,2} covers the triangle; edge (2,3) has one end outside, so 3 must cover it alone.
        Assert.Null(Reason(TriangleAndTail, Solution(TriangleMate, 11, [0, 0, 0, 2, 8], new BlossomDual([0, 1, 2], 12))));
        Assert.Equal("Edge (2,3) weight 1 violates dual feasibility (reduced cost -2).",
            Reason(TriangleAndTail, Solution(TriangleMate, 11, [0, 0, 0, 0, 10], new BlossomDual([0, 1, 2], 12))));
        // A zero dual adds nothing, even on a set holding both ends.
        Assert.Equal("Edge (2,3) weight 1 violates dual feasibility (reduced cost -2).",
            Reason(TriangleAndTail, Solution(TriangleMate, 11, [0, 0, 0, 0, 10], new BlossomDual([0, 1, 2], 12), new BlossomDual([2, 3, 4], 0))));
    }

    [Fact]
    public void Nested_blossoms_add_up_on_the_edges_they_share()
    {
        // {0,1,2} (10) inside {0,1,2,3,4} (2): the triangle's edges get 12, (2,3) and (3,4) get 2.
        Assert.Null(Reason(TriangleAndTail, Solution(TriangleMate, 11, [0, 0, 0, 0, 8], new BlossomDual([0, 1, 2], 10), new BlossomDual([0, 1, 2, 3, 4], 2))));
        Assert.Equal("Edge (0,1) weight 6 violates dual feasibility (reduced cost -2).",
            Reason(TriangleAndTail, Solution(TriangleMate, 11, [0, 0, 0, 0, 8], new BlossomDual([0, 1, 2], 10), new BlossomDual([2, 3, 4], 2))));
        // The same certificates with every edge listed from its other end.
        var reversed = WeightedGraph.FromEdges(5, [(1, 0, 6), (2, 1, 6), (2, 0, 6), (3, 2, 1), (4, 3, 5)]);
        Assert.Null(Reason(reversed, Solution(TriangleMate, 11, [0, 0, 0, 0, 8], new BlossomDual([0, 1, 2], 10), new BlossomDual([0, 1, 2, 3, 4], 2))));
        Assert.Equal("Edge (3,2) weight 1 violates dual feasibility (reduced cost -2).",
            Reason(reversed, Solution(TriangleMate, 11, [0, 0, 0, 0, 10], new BlossomDual([0, 1, 2], 12), new BlossomDual([1, 3, 4], 0))));
        Assert.Equal("Matched edge (1,0) is not tight (reduced cost 2).",
            Reason(reversed, Solution(TriangleMate, 11, [0, 0, 0, 0, 8], new BlossomDual([0, 1, 2, 3, 4], 2), new BlossomDual([0, 1, 2], 12))));
    }
}
