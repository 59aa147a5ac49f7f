using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Tests.Matching.Solver;

/// <summary>
/// The priced solver starts from each node's k heaviest allowed partners. When that graph already holds a certified
/// optimum, the first pricing pass finds no violator and the final graph is exactly the candidate graph, so these
/// tests see the candidates themselves: a wrong candidate pass would otherwise only cost extra rounds.
/// </summary>
public class PricedCandidateTests
{
    /// <summary>
    /// Nodes 2i and 2i+1 are partners with a weight above every other pair, so matching the partners is optimal and
    /// every other pair keeps room. Every weight is distinct (the low part numbers the pair), so each node's k heaviest
    /// partners are unambiguous. Nodes sit in blocks of <see cref="BlockSize"/>; a pair's weight is its blocks' base
    /// (0 when the blocks are far apart: not allowed) times 2^25 plus the pair number (below 2^25 for n &lt;= 5000).
    /// </summary>
    private class PartnerWeights : IPairWeights
    {
        protected const int BlockSize = 32;
        protected const long PairRange = 1L << 25;
        private readonly int[] _feature;

        public PartnerWeights(int n, int seed)
        {
            NodeCount = n;
            var rng = new Random(seed);
            _feature = Enumerable.Range(0, (n + BlockSize - 1) / BlockSize).Select(_ => rng.Next(40)).ToArray();
        }

        public int NodeCount { get; }

        public long Asked => Interlocked.Read(ref _asked);

        private long _asked;

        public void WeightsRow(int u, int firstV, Span<long> into)
        {
            Interlocked.Add(ref _asked, into.Length);
            for (int i = 0; i < into.Length; i++)
            {
                into[i] = Weight(u, firstV + i);
            }
        }

        public long Weight(int u, int v)
        {
            if (u == v)
            {
                return 0;
            }

            long pair = ((long)Math.Min(u, v) * NodeCount) + Math.Max(u, v) + 1;
            if (u / 2 == v / 2)
            {
                return (100 * PairRange) + pair;
            }

            long b = Base(u / BlockSize, v / BlockSize);
            return b == 0 ? 0 : (b * PairRange) + pair;
        }

        protected static long Bound(long blockBase) => blockBase == 0 ? 0 : (blockBase + 1) * PairRange;

        protected long Base(int bu, int bv)
        {
            int d = Math.Abs(_feature[bu] - _feature[bv]);
            return d > 20 ? 0 : 40 - d;
        }

        /// <summary>The union over all nodes of their k heaviest allowed partners, as (smaller, larger) pairs.</summary>
        public HashSet<(int, int)> TopK(int k)
        {
            var pairs = new HashSet<(int, int)>();
            var best = new int[k];
            for (int u = 0; u < NodeCount; u++)
            {
                // Insertion into the k heaviest so far (weights are distinct).
                int size = 0;
                for (int v = 0; v < NodeCount; v++)
                {
                    long w = Weight(u, v);
                    if (w <= 0 || (size == k && w <= Weight(u, best[k - 1])))
                    {
                        continue;
                    }

                    int i = size < k ? size++ : k - 1;
                    while (i > 0 && Weight(u, best[i - 1]) < w)
                    {
                        best[i] = best[i - 1];
                        i--;
                    }

                    best[i] = v;
                }

                for (int i = 0; i < size; i++)
                {
                    pairs.Add((Math.Min(u, best[i]), Math.Max(u, best[i])));
                }
            }

            return pairs;
        }
    }

    /// <summary>The same weights with block bounds: the node's own block holds its partner, so its bound is the partner weight.</summary>
    private sealed class BoundedPartnerWeights(int n, int seed) : PartnerWeights(n, seed), IPairWeightBounds
    {
        public int[] BlockStarts { get; } = [.. Enumerable.Range(0, (n + BlockSize - 1) / BlockSize).Select(b => b * BlockSize), n];

        public long BlockBound(int u, int block) => u / BlockSize == block ? 101 * PairRange : Bound(Base(u / BlockSize, block));
    }

    private static HashSet<(int, int)> Edges(WeightedGraph graph)
    {
        var edges = new HashSet<(int, int)>();
        for (int e = 0; e < graph.EdgeCount; e++)
        {
            edges.Add((Math.Min(graph.EdgeU[e], graph.EdgeV[e]), Math.Max(graph.EdgeU[e], graph.EdgeV[e])));
        }

        return edges;
    }

    /// <summary>Solves, asserts that the solve started from the k heaviest partners, and returns how many pairs it weighed.</summary>
    private static long AssertStartsFromTheTopK(PartnerWeights weights, int k)
    {
        var expected = weights.TopK(k);
        var log = new List<string>();
        var priced = PricedMaximumWeightMatching.Solve(weights, k, log.Add);

        Assert.Equal(1, priced.Rounds);
        Assert.Equal(0, priced.EdgesAdded);
        Assert.Equal(expected.Count, priced.FinalEdgeCount);
        Assert.Equal(expected, Edges(priced.FinalGraph));
        Assert.StartsWith($"candidates {expected.Count} edges in ", log[0], StringComparison.Ordinal);
        for (int e = 0; e < priced.FinalGraph.EdgeCount; e++)
        {
            Assert.Equal(weights.Weight(priced.FinalGraph.EdgeU[e], priced.FinalGraph.EdgeV[e]), priced.FinalGraph.EdgeWeight[e]);
        }

        int n = weights.NodeCount;
        Assert.Equal(n - (n % 2), priced.Solution.MatchedNodes);
        for (int v = 0; v + 1 < n; v += 2)
        {
            Assert.Equal(v + 1, priced.Solution.Mate[v]);
        }

        return weights.Asked;
    }

    [Theory]
    [InlineData(151, 1, 1)]
    [InlineData(300, 2, 3)]
    [InlineData(257, 3, 6)]
    public void The_candidate_graph_holds_each_nodes_k_heaviest_allowed_partners(int n, int seed, int k)
    {
        AssertStartsFromTheTopK(new PartnerWeights(n, seed), k);
    }

    [Theory]
    [InlineData(1100, 4, 2)]
    [InlineData(1161, 5, 4)]
    public void Block_bounds_keep_exactly_the_k_heaviest_partners(int n, int seed, int k)
    {
        long asked = AssertStartsFromTheTopK(new BoundedPartnerWeights(n, seed), k);

        // Without bounds the candidate pass and the pricing pass each weigh every pair once: the bounds skip most.
        long everyPairTwice = (long)n * (n - 1);
        Assert.True(asked < everyPairTwice / 2, $"{asked} pairs weighed, {everyPairTwice} without bounds");
    }
}
