using Mentoring.Core.Matching.Bipartite;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Tests.Matching.Bipartite;

public class PricedBipartiteMatchingTests
{
    private sealed class DenseWeights(long[,] w, int[] capL, int[] capR) : IBipartiteWeights
    {
        public int LeftCount => capL.Length;

        public int RightCount => capR.Length;

        public int LeftCapacity(int left) => capL[left];

        public int RightCapacity(int right) => capR[right];

        public long Weight(int left, int right) => w[left, right];
    }

    [Theory]
    [InlineData(MatchingObjective.MostPairsThenScore)]
    [InlineData(MatchingObjective.HighestScore)]
    public void Top_k_with_pricing_reaches_the_optimum_of_the_complete_graph(MatchingObjective objective)
    {
        for (int seed = 0; seed < 40; seed++)
        {
            var rng = new Random(seed);
            int l = rng.Next(5, 40), r = rng.Next(3, 15);
            var w = new long[l, r];
            var edges = new List<(int, int, long)>();
            for (int i = 0; i < l; i++)
            {
                for (int j = 0; j < r; j++)
                {
                    // About one pair in six is forbidden by a hard rule.
                    w[i, j] = rng.Next(6) == 0 ? 0 : rng.Next(1, 60);
                    if (w[i, j] > 0)
                    {
                        edges.Add((i, j, w[i, j]));
                    }
                }
            }

            var capL = Enumerable.Range(0, l).Select(_ => 1).ToArray();
            var capR = Enumerable.Range(0, r).Select(_ => rng.Next(1, 5)).ToArray();
            var priced = PricedBipartiteMatching.Solve(new DenseWeights(w, capL, capR), candidatesPerNode: 2, objective);
            var complete = BipartiteGraph.FromEdges(capL, capR, edges);
            var exact = BipartiteMatching.Solve(complete, objective);
            Assert.Equal((exact.MatchedEdges, exact.TotalWeight), (priced.Solution.MatchedEdges, priced.Solution.TotalWeight));
            Assert.True(BipartiteVerifier.Verify(priced.FinalGraph, priced.Solution).IsOptimal);
            Assert.True(priced.FinalGraph.EdgeCount < edges.Count || edges.Count < 3 * l, $"seed {seed}: pricing added every pair");
        }
    }
}
