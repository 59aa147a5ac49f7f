using System.Diagnostics;
using System.Globalization;
using Mentoring.Cli.Synthetic;
using Mentoring.Core.Matching.Solver;

namespace Mentoring.Cli.Commands;

/// <summary>`synthetic --people N [--seed S] [--k K]`: end-to-end top-k + solve + full pricing on synthetic participants.</summary>
internal sealed class SyntheticCommand : ICliCommand
{
    public string Name => "synthetic";

    public string Usage => "synthetic --people N [--seed S] [--k K]   end-to-end priced matching over synthetic participants";

    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var a = new ArgReader(args, new HashSet<string> { "--verbose" }, new HashSet<string> { "--people", "--seed", "--k" });
        int people = a.Int("--people", 50_000, min: 2);
        int seed = a.Int("--seed", 1);
        int k = a.Int("--k", 20, min: 1);
        var total = Stopwatch.StartNew();
        var pop = new SyntheticPopulation(people, seed, hardRules: true, groupAlike: true);
        if (!pop.RowsAgreeWithPairs(rows: 64))
        {
            error.WriteLine("synthetic row scorer disagrees with the pair scorer");
            return 1;
        }

        if (!pop.BoundsHoldForRows(rows: 64))
        {
            error.WriteLine("a synthetic block bound is below a pair's score");
            return 1;
        }

        var priced = PricedMaximumWeightMatching.Solve(pop, k, a.Has("--verbose") ? m => error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{total.Elapsed.TotalSeconds,7:F2} s, cpu {Environment.CpuUsage.TotalTime.TotalSeconds,6:F2} s] {m}")) : null);
        total.Stop();
        var check = MatchingVerifier.Verify(priced.FinalGraph, priced.Solution);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"people {people}"));
        output.WriteLine(string.Create(inv, $"total_weight {priced.Solution.TotalWeight}"));
        output.WriteLine(string.Create(inv, $"matched_nodes {priced.Solution.MatchedNodes}"));
        output.WriteLine(string.Create(inv, $"rounds {priced.Rounds}"));
        output.WriteLine(string.Create(inv, $"edges_added {priced.EdgesAdded}"));
        output.WriteLine(string.Create(inv, $"final_edges {priced.FinalEdgeCount}"));
        output.WriteLine(string.Create(inv, $"candidate_seconds {priced.CandidateTime.TotalSeconds:F2}"));
        output.WriteLine(string.Create(inv, $"solve_seconds {priced.SolveTime.TotalSeconds:F2}"));
        output.WriteLine(string.Create(inv, $"pricing_seconds {priced.PricingTime.TotalSeconds:F2}"));
        output.WriteLine(string.Create(inv, $"seconds {total.Elapsed.TotalSeconds:F2}"));
        output.WriteLine(string.Create(inv, $"cpu_seconds {Environment.CpuUsage.TotalTime.TotalSeconds:F2}"));
        output.WriteLine(string.Create(inv, $"peak_working_set_mb {self.PeakWorkingSet64 / (1024.0 * 1024.0):F0}"));
        if (!check.IsOptimal)
        {
            error.WriteLine($"certificate FAILED: {check.Reason}");
            return 1;
        }

        output.WriteLine("certificate ok");
        return 0;
    }
}
