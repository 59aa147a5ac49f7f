namespace Mentoring.Core.Matching.Solver;

/// <summary>A matching together with the dual solution that certifies its optimality.</summary>
public sealed class MatchingSolution
{
    public MatchingSolution(int[] mate, long totalWeight, MatchingDuals duals)
    {
        ArgumentNullException.ThrowIfNull(mate);
        ArgumentNullException.ThrowIfNull(duals);
        Mate = mate;
        TotalWeight = totalWeight;
        Duals = duals;
        int matched = 0;
        foreach (int m in mate)
        {
            if (m >= 0)
            {
                matched++;
            }
        }

        MatchedNodes = matched;
    }

    /// <summary>Mate[v] is the partner of v, or -1 when v is unmatched.</summary>
#pragma warning disable CA1819 // The contract exposes the raw array on purpose (compact, no copies).
    public int[] Mate { get; }
#pragma warning restore CA1819

    public long TotalWeight { get; }

    public int MatchedNodes { get; }

    /// <summary>The dual certificate.</summary>
    public MatchingDuals Duals { get; }
}

/// <summary>
/// Dual solution of the matching LP with odd-set constraints: vertex duals and (nested) blossom
/// duals, all scaled by 2 so they are integers. Edge (i,j) is dual feasible when
/// VertexDual2x[i] + VertexDual2x[j] + sum of Dual2x over blossoms containing both i and j >= 2*w(i,j).
/// </summary>
public sealed class MatchingDuals
{
    public MatchingDuals(long[] vertexDual2x, IReadOnlyList<BlossomDual> blossoms)
    {
        ArgumentNullException.ThrowIfNull(vertexDual2x);
        ArgumentNullException.ThrowIfNull(blossoms);
        VertexDual2x = vertexDual2x;
        Blossoms = blossoms;
    }

#pragma warning disable CA1819 // Compact on purpose.
    public long[] VertexDual2x { get; }
#pragma warning restore CA1819

    public IReadOnlyList<BlossomDual> Blossoms { get; }
}

/// <summary>An odd vertex set with its dual value (scaled by 2).</summary>
#pragma warning disable CA1819 // Compact on purpose.
public sealed record BlossomDual(int[] Members, long Dual2x);
#pragma warning restore CA1819
