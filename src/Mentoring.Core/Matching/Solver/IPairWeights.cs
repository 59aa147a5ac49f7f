namespace Mentoring.Core.Matching.Solver;

/// <summary>Edge source for very large instances without building the complete graph.</summary>
public interface IPairWeights
{
    int NodeCount { get; }

    /// <summary>
    /// Weight of the pair, or 0 when the pair is not allowed (hard rule). Must be symmetric and cheap
    /// (it is called O(n^2) times, from several threads at once).
    /// </summary>
    long Weight(int u, int v);

    /// <summary>
    /// Weights of the pairs (u, firstV + i) for i in 0..into.Length-1 (entries for v == u are ignored by callers).
    /// The top-k and pricing passes call this once per row; override it with a tight loop when speed matters.
    /// </summary>
    void WeightsRow(int u, int firstV, Span<long> into)
    {
        for (int i = 0; i < into.Length; i++)
        {
            int v = firstV + i;
            into[i] = v == u ? 0 : Weight(u, v);
        }
    }
}
