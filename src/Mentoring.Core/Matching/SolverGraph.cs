using System.Globalization;
using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Matching;

/// <summary>
/// The weighted graph the engine solves for a 1:1 draft: one node per person not pinned, one edge per pair the hard
/// rules allow, weighted by the program's objective. Exported so other solvers can be run on identical inputs.
/// </summary>
public static class SolverGraph
{
    public static (WeightedGraph Graph, IReadOnlyList<string> ParticipantIds) For(MatchingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ctx = DraftContext.Create(request);
        var pinned = new HashSet<int>(ctx.Pins.SelectMany(p => new[] { p.A, p.B }));
        var free = Enumerable.Range(0, ctx.Count).Where(i => !pinned.Contains(i)).ToArray();
        var weights = new PairingWeights(ctx, free);
        var edges = new List<(int U, int V, long Weight)>();
        for (var u = 0; u < free.Length; u++)
        {
            for (var v = u + 1; v < free.Length; v++)
            {
                if (weights.Weight(u, v) is var w and > 0)
                {
                    edges.Add((u, v, w));
                }
            }
        }
        return (WeightedGraph.FromEdges(free.Length, edges), [.. free.Select(i => ctx.Members[i].Id)]);
    }

    /// <summary>Writes the edge-list format the CLI reads: "n m", then "u v w" per edge (0-based nodes).</summary>
    public static void WriteEdgeList(WeightedGraph graph, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(string.Create(CultureInfo.InvariantCulture, $"{graph.NodeCount} {graph.EdgeCount}\n"));
        for (var e = 0; e < graph.EdgeCount; e++)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{graph.EdgeU[e]} {graph.EdgeV[e]} {graph.EdgeWeight[e]}\n"));
        }
    }
}
