using System.Diagnostics;
using System.Globalization;
using Mentoring.Core.Matching.Solver;

namespace Mentoring.Cli.Commands;

/// <summary>`solve &lt;file&gt; [--mates] [--priced K]`: exact maximum-weight matching of an edge-list file, certified.</summary>
internal sealed class SolveCommand : ICliCommand
{
    public string Name => "solve";

    public string Usage => "solve <edge-list file> [--mates] [--priced K]   max-weight matching; prints total_weight, matched_nodes, seconds";

    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var a = new ArgReader(args, new HashSet<string> { "--mates" }, new HashSet<string> { "--priced" });
        if (a.Positional.Count != 1)
        {
            throw new CliUsageException("solve needs exactly one edge-list file");
        }

        var graph = EdgeListReader.Read(a.Positional[0]);
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
            var sb = new System.Text.StringBuilder();
            for (int v = 0; v < solution.Mate.Length; v++)
            {
                sb.Append(v).Append(' ').Append(solution.Mate[v]).Append('\n');
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
