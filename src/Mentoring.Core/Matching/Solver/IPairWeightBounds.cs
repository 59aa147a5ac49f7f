namespace Mentoring.Core.Matching.Solver;

/// <summary>
/// Optional companion of <see cref="IPairWeights"/> for very large instances: nodes numbered so that alike nodes sit
/// in runs of consecutive ids ("blocks"), and an upper bound of the weight between a node and a whole block. The
/// top-k and pricing passes of <see cref="PricedMaximumWeightMatching"/> skip a block when its bound shows that no
/// pair in it can matter, so the result stays exact; a loose bound only costs speed.
/// </summary>
public interface IPairWeightBounds
{
    /// <summary>Block b holds nodes BlockStarts[b] .. BlockStarts[b + 1] - 1; the first entry is 0, the last NodeCount.</summary>
    int[] BlockStarts { get; }

    /// <summary>A number at least <see cref="IPairWeights.Weight"/>(u, v) for every node v != u of block b.</summary>
    long BlockBound(int u, int block);

    /// <summary>
    /// <see cref="BlockBound"/>(u, firstBlock + i) into each entry i of <paramref name="into"/>. The top-k pass asks for
    /// a whole row of bounds per node, pricing for the blocks from its first column on; override it with a tight loop
    /// when speed matters.
    /// </summary>
    void BlockBoundsRange(int u, int firstBlock, Span<long> into)
    {
        for (int i = 0; i < into.Length; i++)
        {
            into[i] = BlockBound(u, firstBlock + i);
        }
    }

    /// <summary>
    /// Optional finer level, or null: sub-block s holds nodes SubBlockStarts[s] .. SubBlockStarts[s + 1] - 1, and every
    /// block start is also a sub-block start (a block is a run of whole sub-blocks). The passes ask for the sub-block
    /// bounds of runs of blocks whose own bound cannot skip them (a call covers a run of such blocks and the few between),
    /// and look at them only inside such blocks: small sub-blocks with tight bounds then skip most pairs of a block that
    /// may matter, and the blocks that are skipped whole cost few sub-block bounds.
    /// </summary>
    int[]? SubBlockStarts => null;

    /// <summary>A number at least <see cref="IPairWeights.Weight"/>(u, v) for every node v != u of sub-block s.</summary>
    long SubBlockBound(int u, int subBlock) =>
        throw new NotSupportedException("Implement SubBlockBound when SubBlockStarts is set.");

    /// <summary>
    /// <see cref="SubBlockBound"/>(u, firstSubBlock + i) into each entry i of <paramref name="into"/>; override it with a
    /// tight loop when speed matters.
    /// </summary>
    void SubBlockBoundsRange(int u, int firstSubBlock, Span<long> into)
    {
        for (int i = 0; i < into.Length; i++)
        {
            into[i] = SubBlockBound(u, firstSubBlock + i);
        }
    }
}
