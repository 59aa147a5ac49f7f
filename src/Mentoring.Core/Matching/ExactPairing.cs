using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Matching;

/// <summary>The outcome of one exact pairing: mates over the weights' nodes and the verifier's verdict.</summary>
internal sealed record PairingOutcome(int[] Mate, VerificationResult Verification, long AllowedPairs, string Method);

/// <summary>Maximum-weight matching over <see cref="PairingWeights"/>, always checked by the independent verifier.</summary>
internal static class ExactPairing
{
    public static PairingOutcome Solve(PairingWeights weights, MatchingOptions options) =>
        weights.NodeCount > options.LargeProgramThreshold ? SolvePriced(weights, options.CandidatesPerNode) : SolveComplete(weights);

    /// <summary>
    /// Large programs: the solver works on each person's best candidates and prices every allowed pair against its
    /// dual certificate until none violates it, so the optimum holds over all pairs without building them all.
    /// The verifier checks the certificate on the final sparse graph; pricing extends it to the rest.
    /// </summary>
    private static PairingOutcome SolvePriced(PairingWeights weights, int candidatesPerNode)
    {
        var priced = PricedMaximumWeightMatching.Solve(weights, candidatesPerNode);
        var verdict = MatchingVerifier.Verify(priced.FinalGraph, priced.Solution);
        return new PairingOutcome(priced.Solution.Mate, verdict, priced.FinalEdgeCount,
            $"exact maximum-weight matching (blossom algorithm) over each person's {candidatesPerNode} best candidates, " +
            $"extended by dual pricing of every allowed pair until none could improve it ({priced.Rounds} rounds, {priced.FinalEdgeCount} pairs in the final graph)");
    }

    /// <summary>Builds every allowed pair as an edge and runs the blossom solver on it.</summary>
    private static PairingOutcome SolveComplete(PairingWeights weights)
    {
        var n = weights.NodeCount;
        var us = new List<int>();
        var vs = new List<int>();
        var ws = new List<long>();
        for (var u = 0; u < n; u++)
        {
            for (var v = u + 1; v < n; v++)
            {
                var w = weights.Weight(u, v);
                if (w > 0)
                {
                    us.Add(u);
                    vs.Add(v);
                    ws.Add(w);
                }
            }
        }
        var graph = new WeightedGraph(n, [.. us], [.. vs], [.. ws]);
        var solution = MaximumWeightMatching.Solve(graph);
        var verdict = MatchingVerifier.Verify(graph, solution);
        return new PairingOutcome(solution.Mate, verdict, graph.EdgeCount, $"exact maximum-weight matching (blossom algorithm) over all {graph.EdgeCount} allowed pairs");
    }
}
