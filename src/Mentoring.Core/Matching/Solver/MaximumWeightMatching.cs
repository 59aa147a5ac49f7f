namespace Mentoring.Core.Matching.Solver;

/// <summary>Exact maximum-weight matching (not maximum cardinality) with a dual certificate.</summary>
public static class MaximumWeightMatching
{
    public static MatchingSolution Solve(WeightedGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var engine = new BlossomEngine(graph);
        engine.Run();
        if (Environment.GetEnvironmentVariable("MENTORING_SOLVER_STATS") == "1")
        {
            Console.Error.WriteLine($"stages {engine.StatStages} dualsteps {engine.StatDualSteps} scans {engine.StatScans} dualms {engine.StatDualTicks * 1000 / System.Diagnostics.Stopwatch.Frequency} freed {engine.StatFreed}");
        }

        return new MatchingSolution(engine.Mate, engine.TotalWeight(), engine.Duals());
    }
}
