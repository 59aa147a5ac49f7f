namespace Mentoring.Core.Matching.Solver;

/// <summary>Outcome of <see cref="MatchingVerifier.Verify"/>.</summary>
public sealed record VerificationResult(bool IsOptimal, string? Reason)
{
    public static VerificationResult Ok { get; } = new(true, null);

    public static VerificationResult Fail(string reason) => new(false, reason);
}

/// <summary>
/// Independent optimality check of a matching against its dual certificate. It reads only the graph,
/// Mate and Duals; by LP duality, primal feasibility + dual feasibility + complementary slackness
/// prove that the matching has maximum weight (the odd sets need not even be laminar).
/// </summary>
public static class MatchingVerifier
{
    public static VerificationResult Verify(WeightedGraph graph, MatchingSolution solution)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(solution);
        int n = graph.NodeCount;
        int[] mate = solution.Mate;
        long[] u = solution.Duals.VertexDual2x;
        if (mate.Length != n)
        {
            return VerificationResult.Fail($"Mate has length {mate.Length}, expected {n}.");
        }

        if (u.Length != n)
        {
            return VerificationResult.Fail($"VertexDual2x has length {u.Length}, expected {n}.");
        }

        // Primal: a symmetric pairing.
        int matchedNodes = 0;
        for (int v = 0; v < n; v++)
        {
            int m = mate[v];
            if (m == -1)
            {
                continue;
            }

            if (m < 0 || m >= n || m == v)
            {
                return VerificationResult.Fail($"Mate[{v}] = {m} is not a valid partner.");
            }

            if (mate[m] != v)
            {
                return VerificationResult.Fail($"Mate is not symmetric: Mate[{v}] = {m} but Mate[{m}] = {mate[m]}.");
            }

            matchedNodes++;
        }

        if (matchedNodes != solution.MatchedNodes)
        {
            return VerificationResult.Fail($"MatchedNodes is {solution.MatchedNodes} but Mate matches {matchedNodes} nodes.");
        }

        for (int v = 0; v < n; v++)
        {
            if (u[v] < 0)
            {
                return VerificationResult.Fail($"Vertex dual of {v} is negative ({u[v]}).");
            }

            if (u[v] > 0 && mate[v] < 0)
            {
                return VerificationResult.Fail($"Vertex {v} has positive dual {u[v]} but is unmatched.");
            }
        }

        // Blossoms: odd sets of distinct vertices with non-negative duals; positive ones must be full.
        var blossoms = solution.Duals.Blossoms;
        var memberOf = new List<int>?[n];
        var inSet = new int[n];
        Array.Fill(inSet, -1);
        for (int bi = 0; bi < blossoms.Count; bi++)
        {
            var blossom = blossoms[bi];
            int[] members = blossom.Members;
            if (blossom.Dual2x < 0)
            {
                return VerificationResult.Fail($"Blossom {bi} has negative dual {blossom.Dual2x}.");
            }

            if (members.Length < 3 || members.Length % 2 == 0)
            {
                return VerificationResult.Fail($"Blossom {bi} has {members.Length} members; an odd set of at least 3 is required.");
            }

            foreach (int x in members)
            {
                if (x < 0 || x >= n)
                {
                    return VerificationResult.Fail($"Blossom {bi} has member {x} outside the graph.");
                }

                if (inSet[x] == bi)
                {
                    return VerificationResult.Fail($"Blossom {bi} lists member {x} twice.");
                }

                inSet[x] = bi;
            }

            if (blossom.Dual2x > 0)
            {
                int inside = 0;
                foreach (int x in members)
                {
                    if (mate[x] >= 0 && inSet[mate[x]] == bi)
                    {
                        inside++;
                    }
                }

                if (inside != members.Length - 1)
                {
                    return VerificationResult.Fail($"Blossom {bi} has positive dual but only {inside / 2} of {(members.Length - 1) / 2} matched edges inside.");
                }

                foreach (int x in members)
                {
                    (memberOf[x] ??= new List<int>()).Add(bi);
                }
            }
        }

        // Dual feasibility of every edge, tightness of matched pairs, total weight.
        var eu = graph.EdgeU;
        var ev = graph.EdgeV;
        var ew = graph.EdgeWeight;
        var pairBest = new Dictionary<long, long>();
        for (int e = 0; e < graph.EdgeCount; e++)
        {
            int a = eu[e], b = ev[e];
            long w = ew[e];
            long reduced = u[a] + u[b] + SharedBlossomDual(memberOf[a], memberOf[b], blossoms) - 2 * w;
            if (reduced < 0)
            {
                return VerificationResult.Fail($"Edge ({a},{b}) weight {w} violates dual feasibility (reduced cost {reduced}).");
            }

            if (mate[a] == b)
            {
                long key = ((long)Math.Min(a, b) << 32) | (uint)Math.Max(a, b);
                if (!pairBest.TryGetValue(key, out long cur) || w > cur)
                {
                    pairBest[key] = w;
                }
            }
        }

        long total = 0;
        for (int v = 0; v < n; v++)
        {
            int m = mate[v];
            if (m > v)
            {
                long key = ((long)v << 32) | (uint)m;
                if (!pairBest.TryGetValue(key, out long w))
                {
                    return VerificationResult.Fail($"Matched pair ({v},{m}) is not an edge of the graph.");
                }

                total += w;
            }
        }

        // Matched pairs must be tight on their heaviest parallel edge.
        for (int e = 0; e < graph.EdgeCount; e++)
        {
            int a = eu[e], b = ev[e];
            if (mate[a] != b)
            {
                continue;
            }

            long key = ((long)Math.Min(a, b) << 32) | (uint)Math.Max(a, b);
            if (ew[e] != pairBest[key])
            {
                continue;
            }

            long reduced = u[a] + u[b] + SharedBlossomDual(memberOf[a], memberOf[b], blossoms) - 2 * ew[e];
            if (reduced != 0)
            {
                return VerificationResult.Fail($"Matched edge ({a},{b}) is not tight (reduced cost {reduced}).");
            }
        }

        if (total != solution.TotalWeight)
        {
            return VerificationResult.Fail($"TotalWeight is {solution.TotalWeight} but the matched edges weigh {total}.");
        }

        return VerificationResult.Ok;
    }

    private static long SharedBlossomDual(List<int>? a, List<int>? b, IReadOnlyList<BlossomDual> blossoms)
    {
        if (a == null || b == null)
        {
            return 0;
        }

        // Both lists are ascending (blossoms are appended in index order).
        long sum = 0;
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count)
        {
            if (a[i] == b[j])
            {
                sum += blossoms[a[i]].Dual2x;
                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return sum;
    }
}
