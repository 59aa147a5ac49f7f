using System.Diagnostics;
using Mentoring.Core.Matching.Solver;

namespace Mentoring.Cli.Commands;

/// <summary>
/// Solves a few small seeded graphs before the timed solve so that `seconds` measures the algorithm, not the
/// JIT compiler (the process runs without tiered compilation, see the project file). Reported separately.
/// </summary>
internal static class JitWarmup
{
    public static double Run()
    {
        var sw = Stopwatch.StartNew();
        var rng = new Random(12345);
        for (int round = 0; round < 3; round++)
        {
            int n = 120;
            var edges = new List<(int, int, long)>();
            for (int i = 0; i < n; i++)
            {
                for (int j = i + 1; j < n; j++)
                {
                    if (rng.NextDouble() < 0.15)
                    {
                        edges.Add((i, j, rng.Next(1, 40)));
                    }
                }
            }

            var g = WeightedGraph.FromEdges(n, edges);
            var s = MaximumWeightMatching.Solve(g);
            _ = MatchingVerifier.Verify(g, s);
        }

        return sw.Elapsed.TotalSeconds;
    }
}
