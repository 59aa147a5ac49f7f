using Mentoring.Core.Matching.Solver;

namespace Mentoring.Core.Tests.Matching.Solver;

/// <summary>What the pricing passes may assume two people share of the blossom duals, before they look.</summary>
public class BlossomChainsTests
{
    /// <summary>Blossoms nested one in the next, each holding all but the first <paramref name="step"/> people of the one around it.</summary>
    private static List<BlossomDual> Nest(int n, int levels, int step, Random rng)
    {
        var nest = new List<BlossomDual>();
        for (int level = 0; level < levels; level++)
        {
            nest.Add(new BlossomDual([.. Enumerable.Range(step * level, n - (step * level))], 2 * rng.Next(0, 4)));
        }

        return nest;
    }

    [Fact]
    public void Along_one_nest_the_spine_sums_are_exactly_what_two_people_share()
    {
        var rng = new Random(3);
        const int n = 41;
        var nest = Nest(n, 15, 2, rng);
        var chains = new PricedMaximumWeightMatching.BlossomChains(n, nest);
        for (int u = 0; u < n; u++)
        {
            for (int v = u + 1; v < n; v++)
            {
                Assert.Equal(chains.SharedDual(u, v), Math.Min(chains.Spine[u], chains.Spine[v]));
            }
        }

        // The innermost person sits in every blossom, the first in only the outermost.
        Assert.Equal(nest.Sum(b => b.Dual2x), chains.Spine[n - 1]);
        Assert.Equal(nest[0].Dual2x, chains.Spine[0]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void With_side_branches_the_spine_sums_never_exceed_what_two_people_share(int seed)
    {
        // A nest (level L holds people 4L and up), plus small blossoms inside a level but beside the next one: two
        // people in the same side blossom share more than the spine says, never less.
        var rng = new Random(seed);
        const int n = 61;
        var blossoms = Nest(n, 10, 4, rng);
        blossoms.Add(new BlossomDual([0, 1, 2], 4));
        blossoms.Add(new BlossomDual([8, 9, 10], 6));
        blossoms.Add(new BlossomDual([8, 9, 10, 11], 2));
        blossoms.Add(new BlossomDual([50, 51, 52], 2));
        var chains = new PricedMaximumWeightMatching.BlossomChains(n, blossoms);
        for (int u = 0; u < n; u++)
        {
            for (int v = u + 1; v < n; v++)
            {
                Assert.True(Math.Min(chains.Spine[u], chains.Spine[v]) <= chains.SharedDual(u, v), $"pair ({u},{v})");
            }
        }

        Assert.Equal(chains.Spine[8] + 8, chains.SharedDual(8, 9));
        // Inside the innermost level the largest blossom continues the spine.
        Assert.Equal(chains.Spine[36] + 2, chains.Spine[50]);
        Assert.Equal(chains.Spine[50], chains.SharedDual(50, 52));
    }

    [Fact]
    public void The_spine_goes_on_inside_its_own_last_blossom_not_inside_a_larger_side_branch()
    {
        // A holds B and C; C holds D; B holds E. D is larger than E and as deep, but it sits beside B.
        int[] a = [.. Enumerable.Range(0, 21)], b = [.. Enumerable.Range(0, 11)], c = [.. Enumerable.Range(11, 7)];
        int[] d = [.. Enumerable.Range(11, 5)], e = [0, 1, 2];
        var chains = new PricedMaximumWeightMatching.BlossomChains(21, [new(a, 2), new(b, 2), new(c, 2), new(d, 2), new(e, 2)]);

        Assert.Equal(6, chains.Spine[0]);
        Assert.Equal(chains.SharedDual(0, 1), chains.Spine[0]);
        Assert.Equal(2, chains.Spine[12]);
        Assert.Equal(6, chains.SharedDual(11, 12));
    }
}
