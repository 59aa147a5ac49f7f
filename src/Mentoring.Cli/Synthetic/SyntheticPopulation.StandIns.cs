using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mentoring.Cli.Synthetic;

internal sealed partial class SyntheticPopulation
{
    /// <summary>
    /// One stand-in person per run of consecutive people (a block or a sub-block), whose score with anyone is at least
    /// that of every member: the run's time zone, level and department (shared by all when grouped), the OR of
    /// everybody's skills and interests, and beside it the most skills offered, wanted, both, and interests of any one
    /// member (an OR over many people has most bits set, so the OR alone lets almost every run reach the full points).
    /// </summary>
    private sealed class StandIns
    {
        private readonly Person[] _rep;
        private readonly RunMost[] _most;

        // The stand-ins and caps as columns for the vector bounds, padded by a whole vector so any range can be loaded;
        // level, department and time zone share one column (Meta), and the four caps another (a byte each).
        private readonly int[] _meta, _offered, _wanted, _interests, _caps;

        public StandIns(Person[] people, int[] starts)
        {
            Starts = starts;
            int count = starts.Length - 1;
            _rep = new Person[count];
            _most = new RunMost[count];
            for (int r = 0; r < count; r++)
            {
                var rep = people[starts[r]];
                var most = default(RunMost);
                for (int i = starts[r]; i < starts[r + 1]; i++)
                {
                    ref var p = ref people[i];
                    rep.Offered |= p.Offered;
                    rep.Wanted |= p.Wanted;
                    rep.Interests |= p.Interests;
                    most.Offered = Math.Max(most.Offered, BitOperations.PopCount(p.Offered));
                    most.Wanted = Math.Max(most.Wanted, BitOperations.PopCount(p.Wanted));
                    most.Both = Math.Max(most.Both, BitOperations.PopCount(p.Offered) + BitOperations.PopCount(p.Wanted));
                    most.Interests = Math.Max(most.Interests, BitOperations.PopCount(p.Interests));
                }

                _rep[r] = rep;
                _most[r] = most;
            }

            _meta = Column(_rep, Meta);
            _offered = Column(_rep, p => (int)p.Offered);
            _wanted = Column(_rep, p => (int)p.Wanted);
            _interests = Column(_rep, p => (int)p.Interests);
            _caps = Column(_most, m => m.Offered | (m.Wanted << 8) | (m.Both << 16) | (m.Interests << 24));
        }

        /// <summary>Run r holds people Starts[r] .. Starts[r + 1] - 1.</summary>
        public int[] Starts { get; }

        public int Count => Starts.Length - 1;

        /// <summary>
        /// The bound of person u (record <paramref name="a"/>) with run r: the score formula against the stand-in
        /// (<see cref="BoundScore"/>); a run of one is exactly that person, and 0 when it is u itself (no pair).
        /// </summary>
        public long Bound(int u, in Person a, int r, bool hardRules) =>
            Starts[r + 1] - Starts[r] == 1 && Starts[r] == u ? 0 : BoundScore(in a, in _rep[r], in _most[r], hardRules);

        /// <summary><see cref="Bound"/> for runs first .. first + into.Length - 1, sixteen runs at a time where it can.</summary>
        public void BoundsRange(int u, in Person a, int first, Span<long> into, bool hardRules)
        {
            int i = 0;
            if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated)
            {
                i = BoundsAvx512(in a, first, into, hardRules);
                if (u >= Starts[first] && u < Starts[first + into.Length])
                {
                    // The range holds u: the vector formula scored u with itself where u is a run of its own.
                    int own = RunOf(u);
                    into[own - first] = Bound(u, in a, own, hardRules);
                }
            }

            for (; i < into.Length; i++)
            {
                into[i] = Bound(u, in a, first + i, hardRules);
            }
        }

        private int RunOf(int u)
        {
            int at = Array.BinarySearch(Starts, u);
            return at >= 0 ? at : ~at - 1;
        }

        /// <summary>
        /// <see cref="BoundScore"/> for sixteen runs at a time over the columns, branch free; fills the whole range (its last
        /// partial vector reads the padding) and returns its length.
        /// </summary>
        private int BoundsAvx512(in Person a, int first, Span<long> into, bool hardRules)
        {
            var la = Vector512.Create((int)a.Level);
            var da = Vector512.Create((int)a.Department);
            var ta = Vector512.Create(a.TimeZone + MetaZoneOffset);
            var oa = Vector512.Create((int)a.Offered);
            var wa = Vector512.Create((int)a.Wanted);
            var ia = Vector512.Create((int)a.Interests);
            var zero = Vector512<int>.Zero;
            var one = Vector512.Create(1);
            var three = Vector512.Create(3);
            var five = Vector512.Create(5);
            var six = Vector512.Create(6);
            var seven = Vector512.Create(7);
            var eight = Vector512.Create(8);
            var fifteen = Vector512.Create(15);
            var byteMask = Vector512.Create(0xFF);
            var twentyFour = Vector512.Create(24);
            var packed = Vector512.Create(GapPointsPacked);
            var m5 = Vector512.Create(0x55555555);
            var m3 = Vector512.Create(0x33333333);
            var m0f = Vector512.Create(0x0F0F0F0F);
            var h01 = Vector512.Create(0x01010101);
            var allowHard = hardRules ? Vector512<int>.AllBitsSet : zero;
            int len = into.Length;
            ref long out0 = ref MemoryMarshal.GetReference(into);
            for (int i = 0; i < len; i += 16)
            {
                nuint at = (nuint)(first + i);
                var mb = Vector512.LoadUnsafe(ref _meta[0], at);
                var lb = mb & fifteen;
                var db = Vector512.ShiftRightLogical(mb, 4) & fifteen;
                var tb = Vector512.ShiftRightLogical(mb, 8);
                var caps = Vector512.LoadUnsafe(ref _caps[0], at);
                var ob = Vector512.LoadUnsafe(ref _offered[0], at);
                var wb = Vector512.LoadUnsafe(ref _wanted[0], at);
                var ib = Vector512.LoadUnsafe(ref _interests[0], at);

                var gap = Vector512.Abs(la - lb);
                var tz = Vector512.Abs(ta - tb);
                tz = Vector512.Min(tz, twentyFour - tz);
                var sameDept = Vector512.Equals(da, db);
                var peers = Vector512.Equals(gap, zero);
                var forbidden = ((peers & sameDept) | Vector512.GreaterThan(tz, six)) & allowHard;

                var score = Avx512F.ShiftRightLogicalVariable(packed, (Vector512.Min(gap, five) * 5).AsUInt32()) & Vector512.Create(31);
                // u senior: what u offers against what the run wants, capped by the most any member wants; u junior: the
                // reverse; peers: both ways, capped by the most skills any member has on both sides.
                var senior = Vector512.GreaterThan(la, lb);
                var junior = Vector512.LessThan(la, lb);
                var toRun = oa & wb;
                var fromRun = ob & wa;
                var match = Vector512.ConditionalSelect(senior, toRun, Vector512.ConditionalSelect(junior, fromRun, toRun | fromRun));
                var cap = Vector512.ConditionalSelect(senior, Vector512.ShiftRightLogical(caps, 8) & byteMask,
                    Vector512.ConditionalSelect(junior, caps & byteMask, Vector512.ShiftRightLogical(caps, 16) & byteMask));
                var skills = Vector512.Min(three, Vector512.Min(cap, PopCount(match, m5, m3, m0f, h01)));
                score += skills * Vector512.ConditionalSelect(peers, seven, seven + seven);
                var shared = Vector512.Min(Vector512.ShiftRightLogical(caps, 24), PopCount(ia & ib, m5, m3, m0f, h01));
                score += Vector512.Min(five, shared) * 4;
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
                    StorePart(lo.AsInt64(), hi.AsInt64(), into[i..]);

                }
            }

            return len;
        }
    }

    private struct RunMost
    {
        public int Offered;
        public int Wanted;
        public int Both;
        public int Interests;
    }
}
