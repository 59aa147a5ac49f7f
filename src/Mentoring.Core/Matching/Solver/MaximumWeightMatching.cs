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
}
