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
}
