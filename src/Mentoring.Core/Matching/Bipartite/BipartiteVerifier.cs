using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Matching.Bipartite;

/// <summary>
/// Independent optimality check of a b-matching against its node potentials (LP duality with capacities). It reads
/// only the graph and the solution. Primal: chosen degrees within capacities. Dual: potentials non-negative, every
/// edge not chosen covered (u_i + v_j &gt;= w'). Complementary slackness: a chosen edge is not over-covered
/// (u_i + v_j &lt;= w', the rest is that edge's own dual), and a node with a positive potential is full. Together these
/// make the chosen weight equal to a dual bound, so no b-matching weighs more (for w' = w + EdgeBonus, see
/// <see cref="BipartiteSolution"/>).
/// </summary>
public static class BipartiteVerifier
{
    public static VerificationResult Verify(BipartiteGraph graph, BipartiteSolution solution)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(solution);
        int l = graph.LeftCount, r = graph.RightCount, m = graph.EdgeCount;
        bool[] chosen = solution.Chosen;
        long[] u = solution.LeftPotential;
        long[] v = solution.RightPotential;
        long bonus = solution.EdgeBonus;
        if (chosen.Length != m)
        {
            return VerificationResult.Fail($"Chosen has length {chosen.Length}, expected {m} edges.");
        }

        if (u.Length != l || v.Length != r)
        {
            return VerificationResult.Fail($"Potentials have lengths {u.Length} and {v.Length}, expected {l} and {r}.");
        }

        if (bonus < 0)
        {
            return VerificationResult.Fail($"EdgeBonus is negative ({bonus}).");
        }

        // The most-edges objective is only proven when one more edge outweighs any score: check the bonus is that big.
        if (solution.Objective == Programs.MatchingObjective.MostPairsThenScore && bonus < BipartiteMatching.EdgeBonusFor(graph))
        {
            return VerificationResult.Fail($"EdgeBonus {bonus} is too small to put the number of edges first (needs {BipartiteMatching.EdgeBonusFor(graph)}).");
        }

        var degL = new int[l];
        var degR = new int[r];
        long total = 0;
        int count = 0;
        var el = graph.EdgeLeft;
        var er = graph.EdgeRight;
        var ew = graph.EdgeWeight;
        // Primal first: chosen degrees within capacities.
        for (int e = 0; e < m; e++)
        {
            if (chosen[e])
            {
                degL[el[e]]++;
                degR[er[e]]++;
                total += ew[e];
                count++;
            }
        }

        for (int i = 0; i < l; i++)
        {
            if (degL[i] > graph.LeftCapacity[i])
            {
                return VerificationResult.Fail($"Left node {i} has {degL[i]} edges but capacity {graph.LeftCapacity[i]}.");
            }
        }

        for (int j = 0; j < r; j++)
        {
            if (degR[j] > graph.RightCapacity[j])
            {
                return VerificationResult.Fail($"Right node {j} has {degR[j]} edges but capacity {graph.RightCapacity[j]}.");
            }
        }

        for (int e = 0; e < m; e++)
        {
            int i = el[e], j = er[e];
            long w = ew[e] + bonus;
            long covered = u[i] + v[j];
            if (chosen[e] && covered > w)
            {
                return VerificationResult.Fail($"Chosen edge ({i},{j}) weight {w} is over-covered by potentials {u[i]} + {v[j]}.");
            }

            if (!chosen[e] && covered < w)
            {
                return VerificationResult.Fail($"Edge ({i},{j}) weight {w} is not covered by potentials {u[i]} + {v[j]}: choosing it would gain.");
            }
        }

        for (int i = 0; i < l; i++)
        {
            if (u[i] < 0)
            {
                return VerificationResult.Fail($"Left node {i} has negative potential {u[i]}.");
            }

            if (u[i] > 0 && degL[i] < graph.LeftCapacity[i])
            {
                return VerificationResult.Fail($"Left node {i} has positive potential {u[i]} but room for {graph.LeftCapacity[i] - degL[i]} more edges.");
            }
        }

        for (int j = 0; j < r; j++)
        {
            if (v[j] < 0)
            {
                return VerificationResult.Fail($"Right node {j} has negative potential {v[j]}.");
            }

            if (v[j] > 0 && degR[j] < graph.RightCapacity[j])
            {
                return VerificationResult.Fail($"Right node {j} has positive potential {v[j]} but room for {graph.RightCapacity[j] - degR[j]} more edges.");
            }
        }

        if (total != solution.TotalWeight)
        {
            return VerificationResult.Fail($"TotalWeight is {solution.TotalWeight} but the chosen edges weigh {total}.");
        }

        if (count != solution.MatchedEdges)
        {
            return VerificationResult.Fail($"MatchedEdges is {solution.MatchedEdges} but {count} edges are chosen.");
        }

        return VerificationResult.Ok;
    }
}
