namespace Mentoring.Core.Matching.Bipartite;

/// <summary>
/// A bipartite graph with a capacity on every node: left nodes 0..LeftCount-1 (for example mentees), right nodes
/// 0..RightCount-1 (for example mentors), edges (left, right, weight) in parallel arrays. A pair appears at most once
/// and weights are at least 1; a capacity is how many chosen edges may meet the node (0 leaves it out).
/// </summary>
public sealed class BipartiteGraph
{
    /// <summary>Largest supported edge weight (keeps potentials, lexicographic offsets and sums far from overflow).</summary>
    public const long MaxWeight = 1L << 40;

    private readonly int[] _leftCapacity;
    private readonly int[] _rightCapacity;
    private readonly int[] _edgeLeft;
    private readonly int[] _edgeRight;
    private readonly long[] _edgeWeight;

    public BipartiteGraph(int[] leftCapacity, int[] rightCapacity, int[] edgeLeft, int[] edgeRight, long[] edgeWeight)
    {
        ArgumentNullException.ThrowIfNull(leftCapacity);
        ArgumentNullException.ThrowIfNull(rightCapacity);
        ArgumentNullException.ThrowIfNull(edgeLeft);
        ArgumentNullException.ThrowIfNull(edgeRight);
        ArgumentNullException.ThrowIfNull(edgeWeight);
        if (edgeLeft.Length != edgeRight.Length || edgeLeft.Length != edgeWeight.Length)
        {
            throw new ArgumentException("edgeLeft, edgeRight and edgeWeight must have the same length.", nameof(edgeWeight));
        }

        int l = leftCapacity.Length, r = rightCapacity.Length;
        for (int i = 0; i < l; i++)
        {
            if (leftCapacity[i] < 0)
            {
                throw new ArgumentException($"Left node {i} has negative capacity {leftCapacity[i]}.", nameof(leftCapacity));
            }
        }

        for (int j = 0; j < r; j++)
        {
            if (rightCapacity[j] < 0)
            {
                throw new ArgumentException($"Right node {j} has negative capacity {rightCapacity[j]}.", nameof(rightCapacity));
            }
        }

        var degree = new int[l + 1];
        for (int e = 0; e < edgeLeft.Length; e++)
        {
            int i = edgeLeft[e], j = edgeRight[e];
            long w = edgeWeight[e];
            if ((uint)i >= (uint)l || (uint)j >= (uint)r)
            {
                throw new ArgumentException($"Edge {e} ({i},{j}) has an endpoint outside {l} x {r}.", nameof(edgeLeft));
            }

            if (w < 1 || w > MaxWeight)
            {
                throw new ArgumentException($"Edge {e} ({i},{j}) has weight {w}; weights must be in 1..{MaxWeight}.", nameof(edgeWeight));
            }

            degree[i + 1]++;
        }

        // Duplicate pairs, by bucketing edges per left node and marking their right ends: O(m).
        for (int i = 0; i < l; i++)
        {
            degree[i + 1] += degree[i];
        }

        var order = new int[edgeLeft.Length];
        var fill = degree.AsSpan(0, l).ToArray();
        for (int e = 0; e < edgeLeft.Length; e++)
        {
            order[fill[edgeLeft[e]]++] = e;
        }

        var seenBy = new int[r];
        Array.Fill(seenBy, -1);
        for (int i = 0; i < l; i++)
        {
            for (int k = degree[i]; k < degree[i + 1]; k++)
            {
                int j = edgeRight[order[k]];
                if (seenBy[j] == i)
                {
                    throw new ArgumentException($"The pair ({i},{j}) appears twice.", nameof(edgeLeft));
                }

                seenBy[j] = i;
            }
        }

        _leftCapacity = leftCapacity;
        _rightCapacity = rightCapacity;
        _edgeLeft = edgeLeft;
        _edgeRight = edgeRight;
        _edgeWeight = edgeWeight;
    }

    private BipartiteGraph(int[] leftCapacity, int[] rightCapacity, int[] edgeLeft, int[] edgeRight, long[] edgeWeight, bool trusted)
    {
        _ = trusted;
        _leftCapacity = leftCapacity;
        _rightCapacity = rightCapacity;
        _edgeLeft = edgeLeft;
        _edgeRight = edgeRight;
        _edgeWeight = edgeWeight;
    }

    public int LeftCount => _leftCapacity.Length;

    public int RightCount => _rightCapacity.Length;

    public int EdgeCount => _edgeLeft.Length;

    public ReadOnlySpan<int> LeftCapacity => _leftCapacity;

    public ReadOnlySpan<int> RightCapacity => _rightCapacity;

    public ReadOnlySpan<int> EdgeLeft => _edgeLeft;

    public ReadOnlySpan<int> EdgeRight => _edgeRight;

    public ReadOnlySpan<long> EdgeWeight => _edgeWeight;

    /// <summary>The same graph with the sides swapped (edge e stays edge e); no re-validation.</summary>
    internal BipartiteGraph Transposed() => new(_rightCapacity, _leftCapacity, _edgeRight, _edgeLeft, _edgeWeight, trusted: true);

    public static BipartiteGraph FromEdges(int[] leftCapacity, int[] rightCapacity, IEnumerable<(int Left, int Right, long Weight)> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var ls = new List<int>();
        var rs = new List<int>();
        var ws = new List<long>();
        foreach (var (i, j, w) in edges)
        {
            ls.Add(i);
            rs.Add(j);
            ws.Add(w);
        }

        return new BipartiteGraph(leftCapacity, rightCapacity, ls.ToArray(), rs.ToArray(), ws.ToArray());
    }
}
