using System.Numerics;
using Mentoring.Core.Matching.Solver;

namespace Mentoring.Cli.Synthetic;

/// <summary>
/// Synthetic mentoring participants in compact arrays (level 1-6, one of ~10 departments, a few skills offered and
/// wanted, interests, time zone) and a score that rewards what a mentoring programme would: the senior person offers
/// what the junior wants, shared interests, nearby time zones, a moderate level gap, crossing departments.
/// Self-contained stand-in for the real questionnaire scorer, for benchmarks only.
/// </summary>
internal sealed class SyntheticPopulation : IPairWeights
{
    private static readonly int[] GapPoints = [6, 22, 25, 16, 8, 2];

    // One 16-byte record per person so a row scan streams through memory.
    private readonly Person[] _people;

    private struct Person
    {
        public uint Offered;
        public uint Wanted;
        public uint Interests;
        public byte Level;
        public byte Department;
        public sbyte TimeZone;
    }

    public SyntheticPopulation(int people, int seed, bool hardRules)
    {
        HardRules = hardRules;
        NodeCount = people;
        _people = new Person[people];
        var rng = new Random(seed);
        // Offices cluster in a few time zones.
        sbyte[] offices = [-8, -5, 0, 1, 2, 5, 8, 9];
        for (int i = 0; i < people; i++)
        {
            ref var p = ref _people[i];
            // Pyramid: more juniors than seniors.
            double r = rng.NextDouble();
            p.Level = (byte)(r < 0.28 ? 1 : r < 0.52 ? 2 : r < 0.72 ? 3 : r < 0.86 ? 4 : r < 0.95 ? 5 : 6);
            p.Department = (byte)Math.Min(9, (int)(10 * rng.NextDouble() * rng.NextDouble() * 1.9));
            p.TimeZone = (sbyte)(offices[rng.Next(offices.Length)] + (rng.NextDouble() < 0.15 ? rng.Next(-1, 2) : 0));
            // Skills cluster by department: 32 skills, each department has a band of "home" skills.
            int home = p.Department * 3 % 32;
            p.Offered = PickBits(rng, 1 + p.Level / 2, home, 8);
            p.Wanted = PickBits(rng, 2 + rng.Next(2), home, 12);
            p.Interests = PickBits(rng, 3 + rng.Next(3), 0, 24);
        }
    }

    public int NodeCount { get; }

    /// <summary>When true, some pairs are not allowed (weight 0): same department and level, or 7+ hours apart.</summary>
    public bool HardRules { get; }

    private static uint PickBits(Random rng, int count, int home, int spread)
    {
        uint bits = 0;
        for (int i = 0; i < count; i++)
        {
            int bit = rng.NextDouble() < 0.7 ? (home + rng.Next(spread)) % 32 : rng.Next(32);
            bits |= 1u << bit;
        }

        return bits;
    }

    /// <summary>Score 0..~110 (integer points); with hard rules 0 means not allowed, else weight = score + 1.</summary>
    public long Weight(int u, int v) => Score(in _people[u], in _people[v], HardRules);

    public void WeightsRow(int u, int firstV, Span<long> into)
    {
        ref readonly var a = ref _people[u];
        var row = _people.AsSpan(firstV, into.Length);
        bool hard = HardRules;
        for (int i = 0; i < row.Length; i++)
        {
            into[i] = Score(in a, in row[i], hard);
        }
    }

    private static long Score(in Person a, in Person b, bool hardRules)
    {
        int gap = Math.Abs(a.Level - b.Level);
        int tzGap = Math.Abs(a.TimeZone - b.TimeZone);
        if (tzGap > 12)
        {
            tzGap = 24 - tzGap;
        }

        bool sameDept = a.Department == b.Department;
        if (hardRules && ((gap == 0 && sameDept) || tzGap > 6))
        {
            return 0;
        }

        int score = GapPoints[Math.Min(gap, 5)];
        // The senior one mentors: what they offer against what the junior wants (peers: both ways, less credit).
        uint match = a.Level > b.Level ? a.Offered & b.Wanted
            : a.Level < b.Level ? b.Offered & a.Wanted
            : (a.Offered & b.Wanted) | (b.Offered & a.Wanted);
        score += Math.Min(3, BitOperations.PopCount(match)) * (gap == 0 ? 7 : 14);
        score += Math.Min(5, BitOperations.PopCount(a.Interests & b.Interests)) * 4;
        score += Math.Max(0, 15 - 3 * tzGap);
        score += sameDept ? 0 : 8;
        return score + 1;
    }
}
