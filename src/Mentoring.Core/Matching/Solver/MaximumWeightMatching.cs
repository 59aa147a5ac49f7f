namespace Mentoring.Core.Matching.Solver;

/// <summary>Exact maximum-weight matching (not maximum cardinality) with a dual certificate.</summary>
public static class MaximumWeightMatching
{
    /// <summary>
    /// Maximum total weight matching of <paramref name="graph"/>. To prefer the most pairs first, add a large enough
    /// constant to every weight before calling.
    /// </summary>
    public static MatchingSolution Solve(WeightedGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var engine = new BlossomEngine(graph);
        engine.Run();
        return new MatchingSolution(engine.Mate, engine.TotalWeight(), engine.Duals());
    }

    /// <summary>
    /// The same optimum, starting from <paramref name="warm"/>: an optimum of a subgraph on the same nodes (for example
    /// the previous round of the priced solver). Exact whatever the warm start; it only saves work when it is close.
    /// </summary>
    internal static MatchingSolution SolveFrom(WeightedGraph graph, MatchingSolution? warm)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var engine = new BlossomEngine(graph);
        engine.Run(warm);
        return new MatchingSolution(engine.Mate, engine.TotalWeight(), engine.Duals());
    }
}
