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
    private readonly byte[] _level;
    private readonly byte[] _department;
    private readonly sbyte[] _timeZone;
    private readonly uint[] _offered;
    private readonly uint[] _wanted;
    private readonly uint[] _interests;

    public SyntheticPopulation(int people, int seed, bool hardRules)
    {
        HardRules = hardRules;
        NodeCount = people;
        _level = new byte[people];
        _department = new byte[people];
        _timeZone = new sbyte[people];
        _offered = new uint[people];
        _wanted = new uint[people];
        _interests = new uint[people];
        var rng = new Random(seed);
        // Offices cluster in a few time zones.
        sbyte[] offices = [-8, -5, 0, 1, 2, 5, 8, 9];
        for (int i = 0; i < people; i++)
        {
            // Pyramid: more juniors than seniors.
            double r = rng.NextDouble();
            _level[i] = (byte)(r < 0.28 ? 1 : r < 0.52 ? 2 : r < 0.72 ? 3 : r < 0.86 ? 4 : r < 0.95 ? 5 : 6);
            _department[i] = (byte)Math.Min(9, (int)(10 * rng.NextDouble() * rng.NextDouble() * 1.9));
            _timeZone[i] = (sbyte)(offices[rng.Next(offices.Length)] + (rng.NextDouble() < 0.15 ? rng.Next(-1, 2) : 0));
            // Skills cluster by department: 32 skills, each department has 8 "home" skills.
            int home = _department[i] * 3 % 32;
            _offered[i] = PickBits(rng, 1 + _level[i] / 2, home, 8);
            _wanted[i] = PickBits(rng, 2 + rng.Next(2), home, 12);
            _interests[i] = PickBits(rng, 3 + rng.Next(3), 0, 24);
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
    public long Weight(int u, int v)
    {
        int lu = _level[u], lv = _level[v];
        int gap = Math.Abs(lu - lv);
        int tzGap = Math.Abs(_timeZone[u] - _timeZone[v]);
        if (tzGap > 12)
        {
            tzGap = 24 - tzGap;
        }

        bool sameDept = _department[u] == _department[v];
        if (HardRules && ((gap == 0 && sameDept) || tzGap > 6))
        {
            return 0;
        }

        int score = gap switch { 0 => 6, 1 => 22, 2 => 25, 3 => 16, 4 => 8, _ => 2 };
        // The senior one mentors: what they offer against what the junior wants (peers: both ways, halved).
        uint match = lu > lv ? _offered[u] & _wanted[v] : lu < lv ? _offered[v] & _wanted[u] : (_offered[u] & _wanted[v]) | (_offered[v] & _wanted[u]);
        score += Math.Min(3, BitOperations.PopCount(match)) * (lu == lv ? 7 : 14);
        score += Math.Min(5, BitOperations.PopCount(_interests[u] & _interests[v])) * 4;
        score += Math.Max(0, 15 - 3 * tzGap);
        score += sameDept ? 0 : 8;
        return score + 1;
    }
}
