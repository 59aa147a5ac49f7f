using Mentoring.Core.Programs;

namespace Mentoring.Core.Matching.Bipartite;

/// <summary>
/// Exact maximum-weight bipartite b-matching (every node's chosen degree at most its capacity), with node potentials
/// as the optimality certificate (<see cref="BipartiteVerifier"/> checks them).
/// </summary>
public static class BipartiteMatching
{
    /// <summary>
    /// The optimum of <paramref name="graph"/> for <paramref name="objective"/>: the most edges, then the highest
    /// total weight (default); or the highest total weight alone.
    /// </summary>
    public static BipartiteSolution Solve(BipartiteGraph graph, MatchingObjective objective = MatchingObjective.MostPairsThenScore)
    {
        ArgumentNullException.ThrowIfNull(graph);
        long bonus = objective == MatchingObjective.MostPairsThenScore ? EdgeBonusFor(graph) : 0;
        return Solve(graph, objective, bonus);
    }

    /// <summary>Solve with a given per-edge bonus (the priced solver fixes it for the complete graph).</summary>
    internal static BipartiteSolution Solve(BipartiteGraph graph, MatchingObjective objective, long bonus)
    {
        // Searches start from the side with less capacity to give: each finds room on the other side sooner
        // (20,000 mentees x 5,000 mentors with 1-4 each: 17 s rooted at the mentees, 1 s at the mentors).
        if (UsableCapacity(graph.RightCapacity, graph.EdgeRight) < UsableCapacity(graph.LeftCapacity, graph.EdgeLeft))
        {
            var engine = new ShortestAugmentingPaths(graph.Transposed(), bonus);
            engine.Run();
            var t = engine.Result(objective);
            return new BipartiteSolution(objective, bonus, t.Chosen, t.TotalWeight, t.MatchedEdges, t.RightPotential, t.LeftPotential);
        }
        else
        {
            var engine = new ShortestAugmentingPaths(graph, bonus);
            engine.Run();
            return engine.Result(objective);
        }
    }

    private static long UsableCapacity(ReadOnlySpan<int> capacity, ReadOnlySpan<int> edgeEnd)
    {
        var degree = new int[capacity.Length];
        foreach (int x in edgeEnd)
        {
            degree[x]++;
        }

        long sum = 0;
        for (int i = 0; i < capacity.Length; i++)
        {
            sum += Math.Min(capacity[i], degree[i]);
        }

        return sum;
    }

    /// <summary>
    /// A bonus per edge larger than the heaviest possible b-matching, so that one more edge outweighs any difference
    /// in score: (most edges any b-matching can have) * (heaviest edge) + 1.
    /// </summary>
    internal static long EdgeBonusFor(BipartiteGraph graph)
    {
        long maxWeight = 0;
        var degL = new int[graph.LeftCount];
        var degR = new int[graph.RightCount];
        for (int e = 0; e < graph.EdgeCount; e++)
        {
            maxWeight = Math.Max(maxWeight, graph.EdgeWeight[e]);
            degL[graph.EdgeLeft[e]]++;
            degR[graph.EdgeRight[e]]++;
        }

        long left = 0, right = 0;
        for (int i = 0; i < degL.Length; i++)
        {
            left += Math.Min(degL[i], graph.LeftCapacity[i]);
        }

        for (int j = 0; j < degR.Length; j++)
        {
            right += Math.Min(degR[j], graph.RightCapacity[j]);
        }

        return EdgeBonusFor(Math.Min(left, right), maxWeight);
    }

    internal static long EdgeBonusFor(long maxEdges, long maxWeight)
    {
        if (maxWeight > 0 && maxEdges > (1L << 60) / maxWeight)
        {
            throw new ArgumentException("Too many edges times the heaviest weight for the most-pairs objective; use HighestScore or smaller weights.");
        }

        return maxEdges * maxWeight + 1;
    }
}
