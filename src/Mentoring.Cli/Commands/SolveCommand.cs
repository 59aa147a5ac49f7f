using System.Diagnostics;
using System.Globalization;
using Mentoring.Core.Matching.Solver;

namespace Mentoring.Cli.Commands;

/// <summary>
/// `solve &lt;file&gt; [--mates] [--priced K] [--permute SEED]`: exact maximum-weight matching of an edge-list file,
/// certified. --permute renames the nodes and shuffles the edges (and their ends) first, seeded: the same graph in
/// another order, to measure how much the solve time depends on the order.
/// </summary>
internal sealed class SolveCommand : ICliCommand
{
    public string Name => "solve";

    public string Usage => "solve <edge-list file> [--mates] [--priced K] [--permute SEED]   max-weight matching; prints total_weight, matched_nodes, seconds";

    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var a = new ArgReader(args, new HashSet<string> { "--mates" }, new HashSet<string> { "--priced", "--permute" });
        if (a.Positional.Count != 1)
        {
            throw new CliUsageException("solve needs exactly one edge-list file");
        }

        var graph = EdgeListReader.Read(a.Positional[0]);
        int[]? renamed = null;
        if (a.Has("--permute"))
        {
            (graph, renamed) = Permute(graph, a.Int("--permute", 1));
        }

        double warmup = JitWarmup.Run();
        MatchingSolution solution;
        WeightedGraph certifiedOn = graph;
        var sw = Stopwatch.StartNew();
        if (a.Has("--priced"))
        {
            int k = a.Int("--priced", 20, min: 1);
            var priced = PricedMaximumWeightMatching.Solve(new GraphPairWeights(graph), k);
            sw.Stop();
            solution = priced.Solution;
            certifiedOn = priced.FinalGraph;
            output.WriteLine(FormattableString.Invariant($"rounds {priced.Rounds}"));
            output.WriteLine(FormattableString.Invariant($"edges_added {priced.EdgesAdded}"));
            output.WriteLine(FormattableString.Invariant($"final_edges {priced.FinalEdgeCount}"));
        }
        else
        {
            solution = MaximumWeightMatching.Solve(graph);
            sw.Stop();
        }

        output.WriteLine(FormattableString.Invariant($"total_weight {solution.TotalWeight}"));
        output.WriteLine(FormattableString.Invariant($"matched_nodes {solution.MatchedNodes}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seconds {sw.Elapsed.TotalSeconds:F3}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"jit_warmup_seconds {warmup:F3}"));
        if (a.Has("--mates"))
        {
            // Mates in the file's own node ids, also after --permute.
            var sb = new System.Text.StringBuilder();
            var back = new int[solution.Mate.Length];
            for (int v = 0; v < back.Length; v++)
            {
                back[renamed?[v] ?? v] = v;
            }

            for (int v = 0; v < solution.Mate.Length; v++)
            {
                int m = solution.Mate[renamed?[v] ?? v];
                int original = m < 0 ? m : back[m];
                sb.Append(v).Append(' ').Append(original).Append('\n');
            }

            output.Write(sb.ToString());
        }

        var check = MatchingVerifier.Verify(certifiedOn, solution);
        if (!check.IsOptimal)
        {
            error.WriteLine($"certificate FAILED: {check.Reason}");
            return 1;
        }

        output.WriteLine("certificate ok");
        return 0;
    }

    /// <summary>The same graph with node v renamed to renamed[v], the edges shuffled and each edge's ends swapped at random.</summary>
    private static (WeightedGraph Graph, int[] Renamed) Permute(WeightedGraph g, int seed)
    {
        var rng = new Random(seed);
        int n = g.NodeCount;
        int m = g.EdgeCount;
        var renamed = new int[n];
        for (int v = 0; v < n; v++)
        {
            renamed[v] = v;
        }

        rng.Shuffle(renamed);
        var order = new int[m];
        for (int e = 0; e < m; e++)
        {
            order[e] = e;
        }

        rng.Shuffle(order);
        var us = new int[m];
        var vs = new int[m];
        var ws = new long[m];
        for (int i = 0; i < m; i++)
        {
            int e = order[i];
            int u = renamed[g.EdgeU[e]], v = renamed[g.EdgeV[e]];
            bool swap = rng.Next(2) == 0;
            us[i] = swap ? v : u;
            vs[i] = swap ? u : v;
            ws[i] = g.EdgeWeight[e];
        }

        return (new WeightedGraph(n, us, vs, ws), renamed);
    }

    /// <summary>Pair weights of an edge list (pairs that are not edges are not allowed).</summary>
    private sealed class GraphPairWeights : IPairWeights
    {
        private readonly int[] _start;
        private readonly int[] _nbr;
        private readonly long[] _w;

        public GraphPairWeights(WeightedGraph g)
        {
            NodeCount = g.NodeCount;
            var rows = new List<(int V, long W)>[g.NodeCount];
            for (int v = 0; v < g.NodeCount; v++)
            {
                rows[v] = new List<(int, long)>();
            }

            for (int e = 0; e < g.EdgeCount; e++)
            {
                rows[g.EdgeU[e]].Add((g.EdgeV[e], g.EdgeWeight[e]));
                rows[g.EdgeV[e]].Add((g.EdgeU[e], g.EdgeWeight[e]));
            }

            _start = new int[g.NodeCount + 1];
            _nbr = new int[2 * g.EdgeCount];
            _w = new long[2 * g.EdgeCount];
            int at = 0;
            for (int v = 0; v < g.NodeCount; v++)
            {
                _start[v] = at;
                // Sorted by neighbour, heaviest first among parallel edges so the search finds it.
                foreach (var (x, w) in rows[v].OrderBy(r => r.V).ThenByDescending(r => r.W))
                {
                    _nbr[at] = x;
                    _w[at] = w;
                    at++;
                }
            }

            _start[g.NodeCount] = at;
        }

        public int NodeCount { get; }

        public long Weight(int u, int v)
        {
            int lo = _start[u], hi = _start[u + 1] - 1;
            while (lo < hi)
            {
                int mid = (lo + hi) >> 1;
                if (_nbr[mid] < v)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo <= hi && lo < _start[u + 1] && _nbr[lo] == v ? _w[lo] : 0;
        }
    }
}
