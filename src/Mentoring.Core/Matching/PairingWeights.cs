using Mentoring.Core.Matching.Solver;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Matching;

/// <summary>
/// Solver edge weights for a subset of the draft's people, encoding the objective lexicographically in one integer:
/// <list type="bullet">
/// <item>MostPairsThenScore: pairs, then people who waited last round, then score:
/// w = P + Q * (waited(u) + waited(v)) + score, with Q above any total score and P above any Q-weighted total.</item>
/// <item>HighestScore: people who waited last round, then score, then pairs: w = Q * (waited(u) + waited(v)) + score * M + 1,
/// with M above any pair count. The +1 keeps every allowed pair at weight 1 or more, as the solver requires.</item>
/// </list>
/// A weight of 0 means the pair is not allowed. Scores are reported from the scorer, never from these weights.
/// Read-only after construction, so the priced solver may call <see cref="Weight"/> from several threads.
/// </summary>
internal sealed class PairingWeights : IPairWeights
{
    // Keeps every edge inside the solver's supported range and every matching's total inside a long.
    private const long MaxEdgeWeight = 1L << 52;
    private readonly DraftContext _ctx;
    private readonly int[] _nodes;
    private readonly bool[] _waited;
    private readonly long _perPair, _perWaiting, _perPoint;

    public PairingWeights(DraftContext ctx, int[] nodes)
    {
        _ctx = ctx;
        _nodes = nodes;
        _waited = [.. nodes.Select(i => ctx.Priority[i])];
        Objective = ctx.Program.Matching.Objective;
        long maxPairs = nodes.Length / 2;
        long waiting = Math.Min(_waited.Count(w => w), 2 * maxPairs);
        long maxScore = ctx.Scorer.MaxPairScore;
        PrioritisesWaiting = waiting > 0;
        if (!TryConstants(maxPairs, waiting, maxScore, out _perPair, out _perWaiting, out _perPoint))
        {
            // Far beyond any real program; drop the waited-last-round tier rather than fail.
            PrioritisesWaiting = false;
            ctx.Notes.Add("The program is too large to give people who waited last round priority inside one exact objective; they were matched like everyone else.");
            if (!TryConstants(maxPairs, 0, maxScore, out _perPair, out _perWaiting, out _perPoint))
            {
                throw new InvalidOperationException($"Pair scores up to {maxScore} over {nodes.Length} people exceed the solver's weight range.");
            }
        }
    }

    public MatchingObjective Objective { get; }

    public bool PrioritisesWaiting { get; }

    public int NodeCount => _nodes.Length;

    /// <summary>The draft person behind solver node <paramref name="node"/>.</summary>
    public int Person(int node) => _nodes[node];

    public long Weight(int u, int v) => u == v ? 0 : WeightOf(u, v, _ctx.Rules, _ctx.Scorer);

    /// <summary>One row at a time for the priced solver's passes: no interface call per pair.</summary>
    public void WeightsRow(int u, int firstV, Span<long> into)
    {
        var rules = _ctx.Rules;
        var scorer = _ctx.Scorer;
        for (var i = 0; i < into.Length; i++)
        {
            var v = firstV + i;
            into[i] = v == u ? 0 : WeightOf(u, v, rules, scorer);
        }
    }

    private long WeightOf(int u, int v, Rules.HardRules rules, Scoring.PairScorer scorer)
    {
        int a = _nodes[u], b = _nodes[v];
        if (!rules.Allows(a, b))
        {
            return 0;
        }
        var waiting = (_waited[u] ? 1 : 0) + (_waited[v] ? 1 : 0);
        return _perPair + (_perWaiting * waiting) + (_perPoint * scorer.Score(a, b));
    }

    private bool TryConstants(long maxPairs, long waiting, long maxScore, out long perPair, out long perWaiting, out long perPoint)
    {
        Int128 pair, wait, point;
        if (Objective == MatchingObjective.HighestScore)
        {
            point = (Int128)maxPairs + 1;
            pair = 1;
            wait = waiting > 0 ? ((Int128)maxScore * maxPairs * point) + maxPairs + 1 : 0;
        }
        else
        {
            point = 1;
            wait = waiting > 0 ? ((Int128)maxScore * maxPairs) + 1 : 0;
            pair = (wait * waiting) + ((Int128)maxScore * maxPairs) + 1;
        }
        var maxEdge = pair + (2 * wait) + (point * maxScore);
        var fits = maxEdge <= MaxEdgeWeight && maxEdge * Math.Max(1, maxPairs) <= long.MaxValue / 2;
        perPair = fits ? (long)pair : 0;
        perWaiting = fits ? (long)wait : 0;
        perPoint = fits ? (long)point : 0;
        return fits;
    }
}
