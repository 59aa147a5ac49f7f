using System.Diagnostics;
using System.Globalization;
using Mentoring.Core.Matching.Bipartite;
using Mentoring.Core.Programs;

namespace Mentoring.Cli.Commands;

/// <summary>`solve-bipartite &lt;file&gt; [--most-pairs] [--chosen]`: exact maximum-weight b-matching, certified.</summary>
internal sealed class SolveBipartiteCommand : ICliCommand
{
    public string Name => "solve-bipartite";

    public string Usage => "solve-bipartite <file: L R m, capacities, i j w> [--most-pairs] [--chosen]   max-weight b-matching; prints total_weight, matched_edges, seconds, cpu_seconds";

    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var a = new ArgReader(args, new HashSet<string> { "--most-pairs", "--chosen" }, new HashSet<string>());
        if (a.Positional.Count != 1)
        {
            throw new CliUsageException("solve-bipartite needs exactly one file");
        }

        var graph = BipartiteFileReader.Read(a.Positional[0]);
        var objective = a.Has("--most-pairs") ? MatchingObjective.MostPairsThenScore : MatchingObjective.HighestScore;
        double warmup = Warmup();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var solution = BipartiteMatching.Solve(graph, objective);
        sw.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        output.WriteLine(FormattableString.Invariant($"total_weight {solution.TotalWeight}"));
        output.WriteLine(FormattableString.Invariant($"matched_edges {solution.MatchedEdges}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seconds {sw.Elapsed.TotalSeconds:F3}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cpu_seconds {cpu.TotalSeconds:F3}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"jit_warmup_seconds {warmup:F3}"));
        if (a.Has("--chosen"))
        {
            var sb = new System.Text.StringBuilder();
            for (int e = 0; e < graph.EdgeCount; e++)
            {
                if (solution.Chosen[e])
                {
                    sb.Append(graph.EdgeLeft[e]).Append(' ').Append(graph.EdgeRight[e]).Append('\n');
                }
            }

            output.Write(sb.ToString());
        }

        var check = BipartiteVerifier.Verify(graph, solution);
        if (!check.IsOptimal)
        {
            error.WriteLine($"certificate FAILED: {check.Reason}");
            return 1;
        }

        output.WriteLine("certificate ok");
        return 0;
    }

    /// <summary>Compiles the solver and verifier on small seeded instances, so `seconds` times the algorithm (no tiered JIT).</summary>
    private static double Warmup()
    {
        var sw = Stopwatch.StartNew();
        var rng = new Random(12345);
        for (int round = 0; round < 3; round++)
        {
            var edges = new List<(int, int, long)>();
            for (int i = 0; i < 200; i++)
            {
                foreach (int j in Enumerable.Range(0, 60).OrderBy(_ => rng.Next()).Take(8))
                {
                    edges.Add((i, j, rng.Next(1, 100)));
                }
            }

            var g = BipartiteGraph.FromEdges(Enumerable.Repeat(1, 200).ToArray(), Enumerable.Range(0, 60).Select(_ => rng.Next(1, 5)).ToArray(), edges);
            _ = BipartiteVerifier.Verify(g, BipartiteMatching.Solve(g, MatchingObjective.HighestScore));
            _ = BipartiteVerifier.Verify(g, BipartiteMatching.Solve(g, MatchingObjective.MostPairsThenScore));
        }

        return sw.Elapsed.TotalSeconds;
    }
}
