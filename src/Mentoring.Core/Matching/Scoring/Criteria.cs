using System.Numerics;
using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Matching.Scoring;

/// <summary>One compiled scoring criterion. <see cref="Points"/> is on the hot path (called O(n^2) times); <see cref="Phrase"/> only for chosen pairs.</summary>
internal abstract class Criterion(string key, string label, CriterionKind kind, int weight)
{
    public string Key { get; } = key;
    public string Label { get; } = label;
    public CriterionKind Kind { get; } = kind;
    public int Weight { get; } = weight;

    public abstract int Points(int a, int b);

    public virtual int MaxPoints(int a, int b) => Weight;

    /// <summary>The words for a pair that scored <paramref name="points"/> &gt; 0.</summary>
    public abstract string Phrase(int a, int b, int points, IReadOnlyList<string> names);

    /// <summary><paramref name="numerator"/> / <paramref name="denominator"/> rounded half up; both non-negative.</summary>
    protected static int RoundDiv(long numerator, long denominator) =>
        (int)(((2 * numerator) + denominator) / (2 * denominator));
}

/// <summary>Ordinal scale, similar: full weight when equal, falling linearly with rank distance over the scale's span.</summary>
internal sealed class OrdinalSimilar(string key, string label, int weight, RankColumn ranks) : Criterion(key, label, CriterionKind.Similar, weight)
{
    private readonly int[] _byDistance = [.. Enumerable.Range(0, ranks.Span + 1)
        .Select(d => ranks.Span == 0 ? weight : RoundDiv((long)weight * (ranks.Span - d), ranks.Span))];

    public override int Points(int a, int b)
    {
        int ra = ranks[a], rb = ranks[b];
        return ra < 0 || rb < 0 ? 0 : _byDistance[Math.Abs(ra - rb)];
    }

    public override string Phrase(int a, int b, int points, IReadOnlyList<string> names)
    {
        var d = Math.Abs(ranks[a] - ranks[b]);
        return d == 0
            ? $"same {Label} ({ranks.Display(a)})"
            : $"{Label} {English.Count(d, "step")} apart ({ranks.Display(a)} and {ranks.Display(b)})";
    }
}

/// <summary>Ordinal scale, different: points grow linearly with rank distance.</summary>
internal sealed class OrdinalDifferent(string key, string label, int weight, RankColumn ranks) : Criterion(key, label, CriterionKind.Different, weight)
{
    private readonly int[] _byDistance = [.. Enumerable.Range(0, ranks.Span + 1)
        .Select(d => ranks.Span == 0 ? 0 : RoundDiv((long)weight * d, ranks.Span))];

    public override int Points(int a, int b)
    {
        int ra = ranks[a], rb = ranks[b];
        return ra < 0 || rb < 0 ? 0 : _byDistance[Math.Abs(ra - rb)];
    }

    public override string Phrase(int a, int b, int points, IReadOnlyList<string> names) =>
        $"different {Label} ({ranks.Display(a)} and {ranks.Display(b)})";
}

/// <summary>Single choice or text: full weight when equal (similar/overlap) or when different (different).</summary>
internal sealed class Categorical(string key, string label, CriterionKind kind, int weight, CodeColumn codes) : Criterion(key, label, kind, weight)
{
    private readonly bool _rewardDifference = kind == CriterionKind.Different;

    public override int Points(int a, int b)
    {
        int ca = codes[a], cb = codes[b];
        return ca < 0 || cb < 0 || (ca == cb) == _rewardDifference ? 0 : Weight;
    }

    public override string Phrase(int a, int b, int points, IReadOnlyList<string> names) =>
        _rewardDifference
            ? $"different {Label} ({codes.Display(a)} and {codes.Display(b)})"
            : $"same {Label} ({codes.Display(a)})";
}

/// <summary>Time zone: similar falls from full weight at 0 h to 0 at the configured distance; different grows up to 12 h.
/// Points come from a table over the distinct offsets present, so scoring a pair does no arithmetic.</summary>
internal sealed class TimeZoneDistance : Criterion
{
    private const int HalfDay = 12 * 60;
    private readonly OffsetColumn _offsets;
    private readonly int[] _table;
    private readonly int _zones;

    public TimeZoneDistance(string key, string label, CriterionKind kind, int weight, OffsetColumn offsets, int zeroMinutes)
        : base(key, label, kind, weight)
    {
        _offsets = offsets;
        _zones = offsets.DistinctOffsets.Count;
        _table = new int[_zones * _zones];
        for (var i = 0; i < _zones; i++)
        {
            for (var j = 0; j < _zones; j++)
            {
                var d = OffsetColumn.Distance(offsets.DistinctOffsets[i], offsets.DistinctOffsets[j]);
                _table[(i * _zones) + j] = kind == CriterionKind.Different
                    ? RoundDiv((long)weight * d, HalfDay)
                    : d >= zeroMinutes ? 0 : RoundDiv((long)weight * (zeroMinutes - d), zeroMinutes);
            }
        }
    }

    public override int Points(int a, int b)
    {
        int za = _offsets.Zone(a), zb = _offsets.Zone(b);
        return za < 0 || zb < 0 ? 0 : _table[(za * _zones) + zb];
    }

    public override string Phrase(int a, int b, int points, IReadOnlyList<string> names)
    {
        var d = OffsetColumn.Distance(_offsets[a], _offsets[b]);
        return d == 0
            ? $"same time zone ({OffsetColumn.Format(_offsets[a])})"
            : $"time zones {English.Hours(d)} apart ({OffsetColumn.Format(_offsets[a])} and {OffsetColumn.Format(_offsets[b])})";
    }
}

/// <summary>Multi choice: Jaccard overlap times weight (similar/overlap), or one minus it (different).</summary>
internal sealed class SetOverlap : Criterion
{
    private const int TableSide = 65;
    private readonly SetColumn _sets;
    // Points by (intersection, union) for value spaces of up to 64 values: no division on the hot path.
    private readonly int[]? _table;

    public SetOverlap(string key, string label, CriterionKind kind, int weight, SetColumn sets) : base(key, label, kind, weight)
    {
        _sets = sets;
        if (sets.Words == 1)
        {
            _table = new int[TableSide * TableSide];
            for (var union = 1; union < TableSide; union++)
            {
                for (var inter = 0; inter <= union; inter++)
                {
                    _table[(inter * TableSide) + union] = Compute(inter, union);
                }
            }
        }
    }

    public override int Points(int a, int b)
    {
        int na = _sets.Count(a), nb = _sets.Count(b);
        if (na == 0 || nb == 0)
        {
            return 0;
        }
        var inter = _sets.Intersect(a, _sets, b);
        var union = na + nb - inter;
        return _table is null ? Compute(inter, union) : _table[(inter * TableSide) + union];
    }

    private int Compute(int inter, int union) => Kind == CriterionKind.Different
        ? RoundDiv((long)Weight * (union - inter), union)
        : RoundDiv((long)Weight * inter, union);

    public override string Phrase(int a, int b, int points, IReadOnlyList<string> names) =>
        Kind == CriterionKind.Different
            ? $"different {Label}"
            : $"both chose {English.Join(_sets.Common(a, _sets, b))} ({Label})";
}

/// <summary>
/// Offers vs wants, both directions. Each direction is worth half the weight: the share of B's wants that A offers,
/// and the share of A's wants that B offers. A side that wants nothing contributes 0 (missing answers never penalise).
/// </summary>
internal sealed class Complementary(string key, string label, int weight, SetColumn offers, SetColumn wants) : Criterion(key, label, CriterionKind.Complementary, weight)
{
    public override int Points(int a, int b)
    {
        int wa = wants.Count(a), wb = wants.Count(b);
        long ab = wb == 0 ? 0 : offers.Intersect(a, wants, b);
        long ba = wa == 0 ? 0 : offers.Intersect(b, wants, a);
        if (ab == 0 && ba == 0)
        {
            return 0;
        }
        if (wa == 0)
        {
            return RoundDiv(Weight * ab, 2L * wb);
        }
        if (wb == 0)
        {
            return RoundDiv(Weight * ba, 2L * wa);
        }
        return RoundDiv(Weight * ((ab * wa) + (ba * wb)), 2L * wa * wb);
    }

    public override string Phrase(int a, int b, int points, IReadOnlyList<string> names)
    {
        var parts = new List<string>(2);
        var ab = offers.Common(a, wants, b);
        if (ab.Count > 0)
        {
            parts.Add($"{names[a]} can help {names[b]} with {English.Join(ab)}");
        }
        var ba = offers.Common(b, wants, a);
        if (ba.Count > 0)
        {
            parts.Add($"{names[b]} can help {names[a]} with {English.Join(ba)}");
        }
        return string.Join(", and ", parts);
    }
}

/// <summary>
/// Roles programs: what the mentor offers (this question) meets what the mentee wants (its complement), one way only.
/// Full weight when the mentor offers everything the mentee wants; a mentee who wants nothing scores 0. Points(a, b)
/// reads a as the mentor and b as the mentee.
/// </summary>
internal sealed class MentorOffersMenteeWants(string key, string label, int weight, SetColumn offers, SetColumn wants) : Criterion(key, label, CriterionKind.Complementary, weight)
{
    public override int Points(int a, int b)
    {
        var wanted = wants.Count(b);
        return wanted == 0 ? 0 : RoundDiv((long)Weight * offers.Intersect(a, wants, b), wanted);
    }

    public override string Phrase(int a, int b, int points, IReadOnlyList<string> names) =>
        $"{names[a]} can help {names[b]} with {English.Join(offers.Common(a, wants, b))}, which {names[b]} wants to learn";
}

/// <summary>
/// Roles programs, the level scale with role "similar": the best pair has the mentor exactly the seniority gap above
/// the mentee (below for reverse mentoring); points fall linearly with every step beyond the gap. A mentor short of
/// the gap scores 0 (the drafter does not allow such pairs anyway). Points(a, b) reads a as the mentor.
/// </summary>
internal sealed class SeniorityFit(string key, string label, int weight, RankColumn ranks, int gap, bool reverse) : Criterion(key, label, CriterionKind.Similar, weight)
{
    private int Steps(int mentor, int mentee) => reverse ? ranks[mentee] - ranks[mentor] : ranks[mentor] - ranks[mentee];

    public override int Points(int a, int b)
    {
        if (ranks[a] < 0 || ranks[b] < 0)
        {
            return 0;
        }
        var beyond = Steps(a, b) - gap;
        var span = Math.Max(1, ranks.Span - gap);
        return beyond < 0 || beyond > span ? 0 : RoundDiv((long)Weight * (span - beyond), span);
    }

    public override string Phrase(int a, int b, int points, IReadOnlyList<string> names)
    {
        var steps = Steps(a, b);
        if (steps == 0)
        {
            return $"{names[a]} and {names[b]} are at the same {Label} ({ranks.Display(a)})";
        }
        var direction = steps > 0 ? (reverse ? "below" : "above") : (reverse ? "above" : "below");
        return $"{names[a]} ({ranks.Display(a)}) is {English.Count(Math.Abs(steps), "step")} {direction} {names[b]} ({ranks.Display(b)}) on the {Label} scale"
            + (reverse ? ", as reverse mentoring asks" : "");
    }
}

/// <summary>
/// The built-in stated preferences: each preference a person ticked that the partner satisfies earns the preference
/// points, for both people separately. another-department / same-department compare departments, similar-level
/// compares levels (ordinal within the configured steps, otherwise equal), same-time-zone compares current offsets.
/// </summary>
internal sealed class Preferences : Criterion
{
    private const int AnotherDepartment = 1, SameDepartment = 2, SimilarLevel = 4, SameTimeZone = 8;
    private readonly int[] _wishes;
    private readonly CodeColumn _department;
    private readonly RankColumn? _levelRank;
    private readonly CodeColumn? _levelCode;
    private readonly OffsetColumn _offsets;
    private readonly ScoringOptions _options;

    public Preferences(int points, int[] wishes, CodeColumn department, RankColumn? levelRank, CodeColumn? levelCode, OffsetColumn offsets, ScoringOptions options)
        : base(BuiltInQuestions.Preferences, "stated preferences", CriterionKind.Preference, points)
    {
        _wishes = wishes;
        _department = department;
        _levelRank = levelRank;
        _levelCode = levelCode;
        _offsets = offsets;
        _options = options;
    }

    /// <summary>Bit mask of the preference options a person ticked.</summary>
    public static int Mask(IReadOnlyList<string> answers)
    {
        var mask = 0;
        foreach (var a in answers)
        {
            mask |= a.Trim().ToLowerInvariant() switch
            {
                BuiltInQuestions.PreferenceOptions.AnotherDepartment => AnotherDepartment,
                BuiltInQuestions.PreferenceOptions.SameDepartment => SameDepartment,
                BuiltInQuestions.PreferenceOptions.SimilarLevel => SimilarLevel,
                BuiltInQuestions.PreferenceOptions.SameTimeZone => SameTimeZone,
                _ => 0,
            };
        }
        return mask;
    }

    public override int MaxPoints(int a, int b) => Weight * (BitOperations.PopCount((uint)_wishes[a]) + BitOperations.PopCount((uint)_wishes[b]));

    public override int Points(int a, int b)
    {
        int wa = _wishes[a], wb = _wishes[b];
        if ((wa | wb) == 0)
        {
            return 0;
        }
        var met = Satisfied(a, b, wa | wb);
        return Weight * (BitOperations.PopCount((uint)(wa & met)) + BitOperations.PopCount((uint)(wb & met)));
    }

    public override string Phrase(int a, int b, int points, IReadOnlyList<string> names)
    {
        var met = Satisfied(a, b, _wishes[a] | _wishes[b]);
        var parts = new List<string>(2);
        foreach (var (who, wishes) in new[] { (a, _wishes[a] & met), (b, _wishes[b] & met) })
        {
            if (wishes != 0)
            {
                parts.Add($"{names[who]} asked for {English.Join(Describe(wishes))}");
            }
        }
        return $"suits stated preferences ({string.Join("; ", parts)})";
    }

    private int Satisfied(int a, int b, int asked)
    {
        var met = 0;
        if ((asked & (AnotherDepartment | SameDepartment)) != 0)
        {
            int da = _department[a], db = _department[b];
            if (da >= 0 && db >= 0)
            {
                met |= da == db ? SameDepartment : AnotherDepartment;
            }
        }
        if ((asked & SimilarLevel) != 0 && LevelsSimilar(a, b))
        {
            met |= SimilarLevel;
        }
        if ((asked & SameTimeZone) != 0)
        {
            int oa = _offsets[a], ob = _offsets[b];
            if (oa != OffsetColumn.Missing && ob != OffsetColumn.Missing && OffsetColumn.Distance(oa, ob) <= _options.SameTimeZoneToleranceMinutes)
            {
                met |= SameTimeZone;
            }
        }
        return met;
    }

    private bool LevelsSimilar(int a, int b)
    {
        if (_levelRank is not null)
        {
            int ra = _levelRank[a], rb = _levelRank[b];
            return ra >= 0 && rb >= 0 && Math.Abs(ra - rb) <= _options.SimilarLevelMaxSteps;
        }
        return _levelCode is not null && _levelCode[a] >= 0 && _levelCode[a] == _levelCode[b];
    }

    private static List<string> Describe(int wishes)
    {
        var words = new List<string>(4);
        if ((wishes & AnotherDepartment) != 0) { words.Add("another department"); }
        if ((wishes & SameDepartment) != 0) { words.Add("the same department"); }
        if ((wishes & SimilarLevel) != 0) { words.Add("a similar level"); }
        if ((wishes & SameTimeZone) != 0) { words.Add("the same time zone"); }
        return words;
    }
}
