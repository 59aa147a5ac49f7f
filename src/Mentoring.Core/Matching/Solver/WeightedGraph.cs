namespace Mentoring.Core.Matching.Solver;

/// <summary>
/// An undirected weighted graph in compact parallel arrays. Endpoint order does not matter,
/// self loops are rejected and weights must be at least 1. Parallel edges are allowed; the
/// solver treats a pair as carrying the largest weight among its parallel edges.
/// </summary>
public sealed class WeightedGraph
{
    /// <summary>Largest supported edge weight (keeps all scaled dual arithmetic far from overflow).</summary>
    public const long MaxWeight = 1L << 52;

    private readonly int[] _edgeU;
    private readonly int[] _edgeV;
    private readonly long[] _edgeWeight;

    public WeightedGraph(int nodeCount, int[] edgeU, int[] edgeV, long[] edgeWeight)
    {
        ArgumentNullException.ThrowIfNull(edgeU);
        ArgumentNullException.ThrowIfNull(edgeV);
        ArgumentNullException.ThrowIfNull(edgeWeight);
        ArgumentOutOfRangeException.ThrowIfNegative(nodeCount);
        if (edgeU.Length != edgeV.Length || edgeU.Length != edgeWeight.Length)
        {
            throw new ArgumentException("edgeU, edgeV and edgeWeight must have the same length.", nameof(edgeWeight));
        }

        for (int e = 0; e < edgeU.Length; e++)
        {
            int u = edgeU[e], v = edgeV[e];
            long w = edgeWeight[e];
            if ((uint)u >= (uint)nodeCount || (uint)v >= (uint)nodeCount)
            {
                throw new ArgumentException($"Edge {e} ({u},{v}) has an endpoint outside 0..{nodeCount - 1}.", nameof(edgeU));
            }

            if (u == v)
            {
                throw new ArgumentException($"Edge {e} is a self loop on node {u}.", nameof(edgeU));
            }

            if (w < 1 || w > MaxWeight)
            {
                throw new ArgumentException($"Edge {e} ({u},{v}) has weight {w}; weights must be in 1..{MaxWeight}.", nameof(edgeWeight));
            }
        }

        NodeCount = nodeCount;
        _edgeU = edgeU;
        _edgeV = edgeV;
        _edgeWeight = edgeWeight;
    }

    public int NodeCount { get; }

    public int EdgeCount => _edgeU.Length;

    public ReadOnlySpan<int> EdgeU => _edgeU;

    public ReadOnlySpan<int> EdgeV => _edgeV;

    public ReadOnlySpan<long> EdgeWeight => _edgeWeight;

    public static WeightedGraph FromEdges(int nodeCount, IEnumerable<(int U, int V, long Weight)> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var us = new List<int>();
        var vs = new List<int>();
        var ws = new List<long>();
        foreach (var (u, v, w) in edges)
        {
            us.Add(u);
            vs.Add(v);
            ws.Add(w);
        }

        return new WeightedGraph(nodeCount, us.ToArray(), vs.ToArray(), ws.ToArray());
    }
}
