using Mentoring.Core.Programs;

namespace Mentoring.Core.Matching.Bipartite;

/// <summary>
/// A b-matching with the node potentials that certify it. The certificate is stated for the solved weights
/// w'(e) = w(e) + <see cref="EdgeBonus"/>: 0 for <see cref="MatchingObjective.HighestScore"/>, and for
/// <see cref="MatchingObjective.MostPairsThenScore"/> a bonus per edge larger than any total weight, so one more
/// edge always beats any gain in score. Optimality: LeftPotential and RightPotential are non-negative; every edge
/// not chosen has LeftPotential + RightPotential &gt;= w'; every chosen edge has LeftPotential + RightPotential &lt;= w';
/// every node with a positive potential is full. Then the chosen weight equals the dual bound
/// sum(capacity * potential) + sum over chosen edges of (w' - potentials), so nothing weighs more.
/// </summary>
public sealed class BipartiteSolution
{
    internal BipartiteSolution(MatchingObjective objective, long edgeBonus, bool[] chosen, long totalWeight, int matchedEdges, long[] leftPotential, long[] rightPotential)
    {
        Objective = objective;
        EdgeBonus = edgeBonus;
        Chosen = chosen;
        TotalWeight = totalWeight;
        MatchedEdges = matchedEdges;
        LeftPotential = leftPotential;
        RightPotential = rightPotential;
    }

    /// <summary>A solution from its parts, for example to check one that came from elsewhere.</summary>
    public static BipartiteSolution Of(MatchingObjective objective, long edgeBonus, bool[] chosen, long totalWeight, long[] leftPotential, long[] rightPotential)
    {
        ArgumentNullException.ThrowIfNull(chosen);
        ArgumentNullException.ThrowIfNull(leftPotential);
        ArgumentNullException.ThrowIfNull(rightPotential);
        return new BipartiteSolution(objective, edgeBonus, chosen, totalWeight, chosen.Count(c => c), leftPotential, rightPotential);
    }

    public MatchingObjective Objective { get; }

    /// <summary>The bonus added to every edge weight for the objective (see the type's summary).</summary>
    public long EdgeBonus { get; }

#pragma warning disable CA1819 // Compact on purpose: one flag or number per edge or node, no copies.
    /// <summary>Chosen[e]: edge e of the graph is in the b-matching.</summary>
    public bool[] Chosen { get; }

    /// <summary>Potential (dual value) of each left node, in the units of w'.</summary>
    public long[] LeftPotential { get; }

    /// <summary>Potential (dual value) of each right node, in the units of w'.</summary>
    public long[] RightPotential { get; }
#pragma warning restore CA1819

    /// <summary>Sum of the original weights of the chosen edges.</summary>
    public long TotalWeight { get; }

    public int MatchedEdges { get; }
}
