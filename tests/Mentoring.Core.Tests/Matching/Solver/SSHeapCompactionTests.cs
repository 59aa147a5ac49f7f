using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Tests.Matching.Solver;

/// <summary>
/// The engine drops stale entries from its heap of edges between S blossoms once the heap outgrows the graph, which
/// only happens on graphs of many thousands of people. Compacting at every dual step must keep every live edge.
/// </summary>
public class SSHeapCompactionTests
{
    [Theory]
    [InlineData(21, 3)]
    [InlineData(22, 30)]
    public void Compacting_the_heap_of_edges_between_trees_at_every_step_keeps_the_optimum_and_its_proof(int seed, int maxWeight)
    {
        var rng = new Random(seed);
        for (int i = 0; i < 150; i++)
        {
            int n = rng.Next(3, 17);
            var graph = TestGraphs.Random(rng, n, rng.NextDouble(), maxWeight);
            var engine = new BlossomEngine(graph) { SSHeapLimit = 0 };

            engine.Run();

            var solution = new MatchingSolution(engine.Mate, engine.TotalWeight(), engine.Duals());
            Assert.Equal(TestGraphs.BruteForceOptimum(graph), solution.TotalWeight);
            var check = MatchingVerifier.Verify(graph, solution);
            Assert.True(check.IsOptimal, check.Reason);
        }
    }
}
