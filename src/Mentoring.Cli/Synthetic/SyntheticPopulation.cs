using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mentoring.Core.Matching.Solver;

namespace Mentoring.Cli.Synthetic;

/// <summary>
/// Synthetic mentoring participants in compact arrays (level 1-6, one of ~10 departments, a few skills offered and
/// wanted, interests, time zone) and a score that rewards what a mentoring programme would: the senior person offers
/// what the junior wants, shared interests, nearby time zones, a moderate level gap, crossing departments.
/// Self-contained stand-in for the real questionnaire scorer, for benchmarks only.
/// <para>
/// With <c>groupAlike</c> the same people are numbered by time zone, level and department (so ids differ, the optimum
/// does not), and blocks of up to <see cref="MaxBlock"/> people who share all three give the priced solver an upper
/// bound per block: the score formula itself, with the block's skills and interests OR-ed together. Sub-blocks of up
/// to <see cref="SubBlock"/> of them (sorted by skills and interests) give a tighter bound the same way.
/// </para>
/// </summary>
internal sealed partial class SyntheticPopulation : IPairWeights, IPairWeightBounds
{
    /// <summary>Largest block of alike people that shares one bound.</summary>
    public const int MaxBlock = 128;

    /// <summary>Largest sub-block: the finer level of bounds, asked for only inside blocks that cannot be skipped whole.</summary>
    public const int SubBlock = 16;

    private static readonly int[] GapPoints = [6, 22, 25, 16, 8, 2];

    // GapPoints in 5-bit fields (gap g at bits 5g..5g+4) for the vector path.
    private static readonly int GapPointsPacked = 6 | (22 << 5) | (25 << 10) | (16 << 15) | (8 << 20) | (2 << 25);

    // One 16-byte record per person so a row scan streams through memory.
    private readonly Person[] _people;

    // The same fields as columns (one int per person each) for the vector row scorer.
    // Level, department and time zone share one column (Meta): a short row then touches four columns, not six.
    private readonly int[] _meta, _offered, _wanted, _interests;

    private struct Person
    {
        public uint Offered;
        public uint Wanted;
        public uint Interests;
        public byte Level;
        public byte Department;
        public sbyte TimeZone;
    }

    public SyntheticPopulation(int people, int seed, bool hardRules, bool groupAlike = false)
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

        if (groupAlike)
        {
            Array.Sort(_people, (x, y) =>
            {
                int c = x.TimeZone.CompareTo(y.TimeZone);
                c = c != 0 ? c : x.Level.CompareTo(y.Level);
                c = c != 0 ? c : x.Department.CompareTo(y.Department);
                c = c != 0 ? c : x.Offered.CompareTo(y.Offered);
                c = c != 0 ? c : x.Wanted.CompareTo(y.Wanted);
                return c != 0 ? c : x.Interests.CompareTo(y.Interests);
            });
        }

        _blocks = new StandIns(_people, Blocks(_people, groupAlike));
        _subBlocks = new StandIns(_people, SubBlocks(_blocks.Starts));
        _meta = Column(_people, Meta);
        _offered = Column(_people, p => (int)p.Offered);
        _wanted = Column(_people, p => (int)p.Wanted);
        _interests = Column(_people, p => (int)p.Interests);
    }

    // A time zone is -12..12 hours; stored plus 12 so the meta column holds no sign (only differences are used).
    private const int MetaZoneOffset = 12;

    /// <summary>Level (bits 0-3), department (4-7) and time zone plus <see cref="MetaZoneOffset"/> (8 and up) in one int.</summary>
    private static int Meta(Person p) => p.Level | (p.Department << 4) | ((p.TimeZone + MetaZoneOffset) << 8);

    /// <summary>
    /// One field of every person (or stand-in), padded with a whole vector of zeros so the vector scorers can finish a
    /// row with one more full-width load past its end (a row cut by skipped blocks is rarely a multiple of the width).
    /// </summary>
    private static int[] Column<T>(T[] items, Func<T, int> field)
    {
        var column = new int[items.Length + 16];
        for (int i = 0; i < items.Length; i++)
        {
            column[i] = field(items[i]);
        }

        return column;
    }

    public int NodeCount { get; }

    public int[] BlockStarts => _blocks.Starts;

    public int[] SubBlockStarts => _subBlocks.Starts;

    // The blocks (alike people, up to MaxBlock) and their sub-blocks (up to SubBlock), each run with its stand-in.
    private readonly StandIns _blocks, _subBlocks;

    /// <summary>Runs of people with the same time zone, level and department, cut to MaxBlock; single people when not grouped.</summary>
    private static int[] Blocks(Person[] people, bool grouped)
    {
        var starts = new List<int> { 0 };
        for (int i = 1; i < people.Length; i++)
        {
            ref var a = ref people[i - 1];
            ref var b = ref people[i];
            bool same = grouped && a.TimeZone == b.TimeZone && a.Level == b.Level && a.Department == b.Department;
            if (!same || i - starts[^1] >= MaxBlock)
            {
                starts.Add(i);
            }
        }

        starts.Add(people.Length);
        return [.. starts];
    }

    /// <summary>Each block cut into runs of up to <see cref="SubBlock"/> consecutive people (sorted by skills and interests).</summary>
    private static int[] SubBlocks(int[] blockStarts)
    {
        var starts = new List<int>();
        for (int b = 0; b + 1 < blockStarts.Length; b++)
        {
            for (int v = blockStarts[b]; v < blockStarts[b + 1]; v += SubBlock)
            {
                starts.Add(v);
            }
        }

        starts.Add(blockStarts[^1]);
        return [.. starts];
    }

    /// <summary>
    /// The score formula against the block's stand-in: time zone, level and department are the block's own (when grouped)
    /// and the skill and interest counts can only grow with OR-ed bits, so no member scores higher with u.
    /// </summary>
    public long BlockBound(int u, int block) => _blocks.Bound(u, in _people[u], block, HardRules);

    /// <summary>
    /// <see cref="BlockBound"/> for a range of blocks, sixteen blocks at a time (the same formula as
    /// <see cref="BoundScore"/> over the block columns); single-person blocks are exact scores, and u's own single block is 0.
    /// </summary>
    public void BlockBoundsRange(int u, int firstBlock, Span<long> into) => _blocks.BoundsRange(u, in _people[u], firstBlock, into, HardRules);

    /// <summary>The same bound as <see cref="BlockBound"/> against a sub-block's stand-in: a run of at most 16 alike people is far tighter.</summary>
    public long SubBlockBound(int u, int subBlock) => _subBlocks.Bound(u, in _people[u], subBlock, HardRules);

    public void SubBlockBoundsRange(int u, int firstSubBlock, Span<long> into) =>
        _subBlocks.BoundsRange(u, in _people[u], firstSubBlock, into, HardRules);

    /// <summary>
    /// <see cref="Score"/> against a block's stand-in, with each count also capped by what one member can reach: a
    /// member shares with u at most the bits u has in common with the block's OR, and at most the bits it has itself.
    /// </summary>
    private static long BoundScore(in Person a, in Person rep, in RunMost most, bool hardRules)
    {
        int gap = Math.Abs(a.Level - rep.Level);
        int tzGap = Math.Abs(a.TimeZone - rep.TimeZone);
        if (tzGap > 12)
        {
            tzGap = 24 - tzGap;
        }

        bool sameDept = a.Department == rep.Department;
        if (hardRules && ((gap == 0 && sameDept) || tzGap > 6))
        {
            return 0;
        }

        int match = a.Level > rep.Level ? Math.Min(BitOperations.PopCount(a.Offered & rep.Wanted), most.Wanted)
            : a.Level < rep.Level ? Math.Min(BitOperations.PopCount(rep.Offered & a.Wanted), most.Offered)
            : Math.Min(BitOperations.PopCount((a.Offered & rep.Wanted) | (rep.Offered & a.Wanted)), most.Both);
        int score = GapPoints[Math.Min(gap, 5)];
        score += Math.Min(3, match) * (gap == 0 ? 7 : 14);
        score += Math.Min(5, Math.Min(BitOperations.PopCount(a.Interests & rep.Interests), most.Interests)) * 4;
        score += Math.Max(0, 15 - 3 * tzGap);
        score += sameDept ? 0 : 8;
        return score + 1;
    }

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
        int i = 0;
        if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated)
        {
            i = RowAvx512(u, firstV, into);
        }
        else if (Avx2.IsSupported)
        {
            i = RowAvx2(u, firstV, into);
        }

        ref readonly var a = ref _people[u];
        var row = _people.AsSpan(firstV, into.Length);
        bool hard = HardRules;
        for (; i < row.Length; i++)
        {
            into[i] = Score(in a, in row[i], hard);
        }
    }

    /// <summary>Self-check: a few whole rows from <see cref="WeightsRow"/> against <see cref="Weight"/> pair by pair.</summary>
    public bool RowsAgreeWithPairs(int rows)
    {
        int n = NodeCount;
        var row = new long[n];
        for (int r = 0; r < rows; r++)
        {
            int u = (int)((long)r * 7919 % n);
            WeightsRow(u, 0, row);
            for (int v = 0; v < n; v++)
            {
                if (v != u && row[v] != Weight(u, v))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Self-check: for a few whole rows, the vector bounds agree with the scalar ones, and no pair scores above the bound
    /// of its block or of its sub-block.
    /// </summary>
    public bool BoundsHoldForRows(int rows) =>
        BoundsHold(rows, _blocks.Count, (u, into) => BlockBoundsRange(u, 0, into), BlockBound, BlockStarts)
        && BoundsHold(rows, _subBlocks.Count, (u, into) => SubBlockBoundsRange(u, 0, into), SubBlockBound, SubBlockStarts);

    private bool BoundsHold(int rows, int count, SpanAction<int> vectorRow, Func<int, int, long> scalar, int[] starts)
    {
        int n = NodeCount;
        var row = new long[count];
        for (int r = 0; r < rows; r++)
        {
            int u = (int)((long)r * 7919 % n);
            vectorRow(u, row);
            for (int b = 0; b < count; b++)
            {
                long bound = scalar(u, b);
                if (row[b] != bound)
                {
                    return false;
                }

                for (int v = starts[b]; v < starts[b + 1]; v++)
                {
                    if (v != u && Weight(u, v) > bound)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private delegate void SpanAction<T>(T arg, Span<long> into);

    /// <summary>
    /// The same score as <see cref="Score"/>, eight pairs at a time over the column arrays, branch free.
    /// Fills the whole row (its last partial vector reads the columns' zero padding) and returns its length.
    /// </summary>
    private int RowAvx2(int u, int firstV, Span<long> into)
    {
        ref readonly var a = ref _people[u];
        var la = Vector256.Create((int)a.Level);
        var da = Vector256.Create((int)a.Department);
        var ta = Vector256.Create(a.TimeZone + MetaZoneOffset);
        var oa = Vector256.Create(_offered[u]);
        var wa = Vector256.Create(_wanted[u]);
        var ia = Vector256.Create(_interests[u]);
        var zero = Vector256<int>.Zero;
        var one = Vector256.Create(1);
        var three = Vector256.Create(3);
        var five = Vector256.Create(5);
        var six = Vector256.Create(6);
        var seven = Vector256.Create(7);
        var eight = Vector256.Create(8);
        var fifteen = Vector256.Create(15);
        var twentyFour = Vector256.Create(24);
        var packed = Vector256.Create(GapPointsPacked);
        var m5 = Vector256.Create(0x55555555);
        var m3 = Vector256.Create(0x33333333);
        var m0f = Vector256.Create(0x0F0F0F0F);
        var h01 = Vector256.Create(0x01010101);
        var allowHard = HardRules ? Vector256<int>.AllBitsSet : zero;
        int len = into.Length;
        ref int mb0 = ref MemoryMarshal.GetArrayDataReference(_meta);
        ref int ob0 = ref MemoryMarshal.GetArrayDataReference(_offered);
        ref int wb0 = ref MemoryMarshal.GetArrayDataReference(_wanted);
        ref int ib0 = ref MemoryMarshal.GetArrayDataReference(_interests);
        ref long out0 = ref MemoryMarshal.GetReference(into);
        for (int i = 0; i < len; i += 8)
        {
            int v = firstV + i;
            var mb = Vector256.LoadUnsafe(ref mb0, (nuint)v);
            var lb = mb & fifteen;
            var db = Vector256.ShiftRightLogical(mb, 4) & fifteen;
            var tb = Vector256.ShiftRightLogical(mb, 8);
            var ob = Vector256.LoadUnsafe(ref ob0, (nuint)v);
            var wb = Vector256.LoadUnsafe(ref wb0, (nuint)v);
            var ib = Vector256.LoadUnsafe(ref ib0, (nuint)v);

            var gap = Vector256.Abs(la - lb);
            var tz = Vector256.Abs(ta - tb);
            tz = Vector256.Min(tz, twentyFour - tz);
            var sameDept = Vector256.Equals(da, db);
            var peers = Vector256.Equals(gap, zero);
            var forbidden = ((peers & sameDept) | Vector256.GreaterThan(tz, six)) & allowHard;

            var score = Avx2.ShiftRightLogicalVariable(packed, (Vector256.Min(gap, five) * 5).AsUInt32()) & Vector256.Create(31);
            var match = (Vector256.GreaterThanOrEqual(la, lb) & (oa & wb)) | (Vector256.LessThanOrEqual(la, lb) & (ob & wa));
            score += Vector256.Min(three, PopCount(match, m5, m3, m0f, h01)) * Vector256.ConditionalSelect(peers, seven, seven + seven);
            score += Vector256.Min(five, PopCount(ia & ib, m5, m3, m0f, h01)) * 4;
            score += Vector256.Max(zero, fifteen - (tz * 3));
            score += Vector256.AndNot(eight, sameDept);
            score = Vector256.AndNot(score + one, forbidden);

            var (lo, hi) = Vector256.Widen(score);
            if (i + 8 <= len)
            {
                lo.AsInt64().StoreUnsafe(ref out0, (nuint)i);
                hi.AsInt64().StoreUnsafe(ref out0, (nuint)(i + 4));
            }
            else
            {
                // The row's last partial vector: the loads above read the zero padding, only the row's part is kept.
                StorePart(lo.AsInt64(), hi.AsInt64(), into[i..]);
            }
        }

        return len;
    }

    // Kept apart from RowAvx2: Vector256 and Vector512 share no public generic interface (ISimdVector is internal), so one body cannot serve both widths.
    /// <summary>
    /// The same score as <see cref="Score"/>, sixteen pairs at a time over the column arrays, branch free.
    /// Fills the whole row (its last partial vector reads the columns' zero padding) and returns its length.
    /// </summary>
    private int RowAvx512(int u, int firstV, Span<long> into)
    {
        ref readonly var a = ref _people[u];
        var la = Vector512.Create((int)a.Level);
        var da = Vector512.Create((int)a.Department);
        var ta = Vector512.Create(a.TimeZone + MetaZoneOffset);
        var oa = Vector512.Create(_offered[u]);
        var wa = Vector512.Create(_wanted[u]);
        var ia = Vector512.Create(_interests[u]);
        var zero = Vector512<int>.Zero;
        var one = Vector512.Create(1);
        var three = Vector512.Create(3);
        var five = Vector512.Create(5);
        var six = Vector512.Create(6);
        var seven = Vector512.Create(7);
        var eight = Vector512.Create(8);
        var fifteen = Vector512.Create(15);
        var twentyFour = Vector512.Create(24);
        var packed = Vector512.Create(GapPointsPacked);
        var m5 = Vector512.Create(0x55555555);
        var m3 = Vector512.Create(0x33333333);
        var m0f = Vector512.Create(0x0F0F0F0F);
        var h01 = Vector512.Create(0x01010101);
        var allowHard = HardRules ? Vector512<int>.AllBitsSet : zero;
        int len = into.Length;
        ref int mb0 = ref MemoryMarshal.GetArrayDataReference(_meta);
        ref int ob0 = ref MemoryMarshal.GetArrayDataReference(_offered);
        ref int wb0 = ref MemoryMarshal.GetArrayDataReference(_wanted);
        ref int ib0 = ref MemoryMarshal.GetArrayDataReference(_interests);
        ref long out0 = ref MemoryMarshal.GetReference(into);
        for (int i = 0; i < len; i += 16)
        {
            int v = firstV + i;
            var mb = Vector512.LoadUnsafe(ref mb0, (nuint)v);
            var lb = mb & fifteen;
            var db = Vector512.ShiftRightLogical(mb, 4) & fifteen;
            var tb = Vector512.ShiftRightLogical(mb, 8);
            var ob = Vector512.LoadUnsafe(ref ob0, (nuint)v);
            var wb = Vector512.LoadUnsafe(ref wb0, (nuint)v);
            var ib = Vector512.LoadUnsafe(ref ib0, (nuint)v);

            var gap = Vector512.Abs(la - lb);
            var tz = Vector512.Abs(ta - tb);
            tz = Vector512.Min(tz, twentyFour - tz);
            var sameDept = Vector512.Equals(da, db);
            var peers = Vector512.Equals(gap, zero);
            var forbidden = ((peers & sameDept) | Vector512.GreaterThan(tz, six)) & allowHard;

            var score = Avx512F.ShiftRightLogicalVariable(packed, (Vector512.Min(gap, five) * 5).AsUInt32()) & Vector512.Create(31);
            var match = (Vector512.GreaterThanOrEqual(la, lb) & (oa & wb)) | (Vector512.LessThanOrEqual(la, lb) & (ob & wa));
            score += Vector512.Min(three, PopCount(match, m5, m3, m0f, h01)) * Vector512.ConditionalSelect(peers, seven, seven + seven);
            score += Vector512.Min(five, PopCount(ia & ib, m5, m3, m0f, h01)) * 4;
            score += Vector512.Max(zero, fifteen - (tz * 3));
            score += Vector512.AndNot(eight, sameDept);
            score = Vector512.AndNot(score + one, forbidden);

            var (lo, hi) = Vector512.Widen(score);
            if (i + 16 <= len)
            {
                lo.AsInt64().StoreUnsafe(ref out0, (nuint)i);
                hi.AsInt64().StoreUnsafe(ref out0, (nuint)(i + 8));
            }
            else
            {
                // The row's last partial vector: the loads above read the zero padding, only the row's part is kept.
                StorePart(lo.AsInt64(), hi.AsInt64(), into[i..]);
            }
        }

        return len;
    }

    /// <summary>
    /// The first into.Length (fewer than the width) lanes of a widened vector pair: the end of a row whose last vector
    /// read past it. Lane by lane, so no scratch buffer has to be cleared on every call.
    /// </summary>
    private static void StorePart(Vector256<long> lo, Vector256<long> hi, Span<long> into)
    {
        for (int j = 0; j < into.Length; j++)
        {
            into[j] = j < 4 ? lo.GetElement(j) : hi.GetElement(j - 4);
        }
    }

    private static void StorePart(Vector512<long> lo, Vector512<long> hi, Span<long> into)
    {
        for (int j = 0; j < into.Length; j++)
        {
            into[j] = j < 8 ? lo.GetElement(j) : hi.GetElement(j - 8);
        }
    }

    private static Vector256<int> PopCount(Vector256<int> x, Vector256<int> m5, Vector256<int> m3, Vector256<int> m0f, Vector256<int> h01)
    {
        x -= Vector256.ShiftRightLogical(x, 1) & m5;
        x = (x & m3) + (Vector256.ShiftRightLogical(x, 2) & m3);
        x = (x + Vector256.ShiftRightLogical(x, 4)) & m0f;
        return Vector256.ShiftRightLogical(x * h01, 24);
    }

    private static Vector512<int> PopCount(Vector512<int> x, Vector512<int> m5, Vector512<int> m3, Vector512<int> m0f, Vector512<int> h01)
    {
        x -= Vector512.ShiftRightLogical(x, 1) & m5;
        x = (x & m3) + (Vector512.ShiftRightLogical(x, 2) & m3);
        x = (x + Vector512.ShiftRightLogical(x, 4)) & m0f;
        return Vector512.ShiftRightLogical(x * h01, 24);
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
