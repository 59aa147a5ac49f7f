using System.Numerics;
using Mentoring.Core.Participants;
using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Matching.Scoring;

// Participants' answers to one question, precompiled into flat arrays indexed by participant
// position so that scoring a pair touches a few integers and never a string or a dictionary.

/// <summary>A single-valued answer as an interned code (-1 = no answer). Text compares trimmed and case-insensitively.</summary>
internal sealed class CodeColumn
{
    private readonly int[] _codes;
    private readonly List<string> _display = [];

    public CodeColumn(IReadOnlyList<Participant> people, string key)
    {
        _codes = new int[people.Count];
        var interned = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < people.Count; i++)
        {
            var raw = people[i].SingleAnswer(key)?.Trim();
            if (string.IsNullOrEmpty(raw))
            {
                _codes[i] = -1;
                continue;
            }
            var norm = raw.ToUpperInvariant();
            if (!interned.TryGetValue(norm, out var code))
            {
                code = _display.Count;
                interned.Add(norm, code);
                _display.Add(raw);
            }
            _codes[i] = code;
        }
    }

    public int this[int person] => _codes[person];
    public string Display(int person) => _codes[person] < 0 ? "" : _display[_codes[person]];
}

/// <summary>An ordinal-scale answer as its rank in the question's options (-1 = no answer or not an option).</summary>
internal sealed class RankColumn
{
    private readonly int[] _ranks;
    private readonly IReadOnlyList<string> _options;

    public RankColumn(IReadOnlyList<Participant> people, Question question)
    {
        _options = question.Options;
        _ranks = new int[people.Count];
        for (var i = 0; i < people.Count; i++)
        {
            var answer = people[i].SingleAnswer(question.Key);
            _ranks[i] = answer is null ? -1 : IndexOf(_options, answer);
        }
    }

    /// <summary>Largest possible rank distance; 0 for a one-option scale.</summary>
    public int Span => Math.Max(0, _options.Count - 1);
    public int this[int person] => _ranks[person];
    public string Display(int person) => _ranks[person] < 0 ? "" : _options[_ranks[person]];

    private static int IndexOf(IReadOnlyList<string> options, string answer)
    {
        for (var i = 0; i < options.Count; i++)
        {
            if (string.Equals(options[i], answer, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }
}

/// <summary>A time-zone answer as its UTC offset in minutes at one instant (<see cref="Missing"/> = no answer or unknown zone).</summary>
internal sealed class OffsetColumn
{
    public const int Missing = int.MinValue;
    private const int MinutesPerDay = 24 * 60;
    private readonly int[] _minutes;
    private readonly int[] _zones;
    private readonly List<int> _distinct = [];

    public OffsetColumn(IReadOnlyList<Participant> people, string key, DateTimeOffset at)
    {
        _minutes = new int[people.Count];
        _zones = new int[people.Count];
        var cache = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < people.Count; i++)
        {
            var id = people[i].SingleAnswer(key)?.Trim();
            if (string.IsNullOrEmpty(id))
            {
                _minutes[i] = Missing;
                continue;
            }
            if (!cache.TryGetValue(id, out var offset))
            {
                offset = OffsetAt(id, at);
                cache.Add(id, offset);
            }
            _minutes[i] = offset;
        }
        var zoneOf = new Dictionary<int, int>();
        for (var i = 0; i < people.Count; i++)
        {
            if (_minutes[i] == Missing)
            {
                _zones[i] = -1;
            }
            else if (!zoneOf.TryGetValue(_minutes[i], out _zones[i]))
            {
                _zones[i] = zoneOf[_minutes[i]] = _distinct.Count;
                _distinct.Add(_minutes[i]);
            }
        }
    }

    public int this[int person] => _minutes[person];

    /// <summary>Index of the person's offset among <see cref="DistinctOffsets"/>, or -1.</summary>
    public int Zone(int person) => _zones[person];

    public IReadOnlyList<int> DistinctOffsets => _distinct;

    /// <summary>Circular distance between two offsets in minutes (0..720): UTC-11 and UTC+12 are one hour apart.</summary>
    public static int Distance(int a, int b)
    {
        var d = Math.Abs(a - b) % MinutesPerDay;
        return Math.Min(d, MinutesPerDay - d);
    }

    public static string Format(int minutes)
    {
        var sign = minutes < 0 ? "-" : "+";
        var abs = Math.Abs(minutes);
        return abs % 60 == 0 ? $"UTC{sign}{abs / 60}" : $"UTC{sign}{abs / 60}:{abs % 60:00}";
    }

    private static int OffsetAt(string id, DateTimeOffset at)
    {
        try
        {
            return (int)TimeZoneInfo.FindSystemTimeZoneById(id).GetUtcOffset(at).TotalMinutes;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return Missing;
        }
    }
}

/// <summary>A multi-valued answer as a bitset over interned values. Several questions can share one value space
/// (an "offers" and a "wants" question), so that their bitsets can be intersected.</summary>
internal sealed class SetColumn
{
    private readonly ulong[] _bits;
    private readonly int[] _counts;
    private readonly IReadOnlyList<string> _values;

    private SetColumn(ulong[] bits, int[] counts, int words, IReadOnlyList<string> values)
    {
        _bits = bits;
        _counts = counts;
        Words = words;
        _values = values;
    }

    public int Words { get; }

    public int Count(int person) => _counts[person];

    /// <summary>Builds one column per key over a value space shared by all of them (options first, in question order).</summary>
    public static SetColumn[] Build(IReadOnlyList<Participant> people, IReadOnlyList<Question> questions)
    {
        var interned = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var values = new List<string>();
        void Intern(string value)
        {
            var v = value.Trim();
            if (v.Length > 0 && interned.TryAdd(v, values.Count))
            {
                values.Add(v);
            }
        }
        foreach (var q in questions)
        {
            foreach (var option in q.Options)
            {
                Intern(option);
            }
        }
        foreach (var p in people)
        {
            foreach (var q in questions)
            {
                foreach (var a in p.Answer(q.Key))
                {
                    Intern(a);
                }
            }
        }
        var words = Math.Max(1, (values.Count + 63) / 64);
        var result = new SetColumn[questions.Count];
        for (var k = 0; k < questions.Count; k++)
        {
            var bits = new ulong[people.Count * words];
            var counts = new int[people.Count];
            for (var i = 0; i < people.Count; i++)
            {
                foreach (var a in people[i].Answer(questions[k].Key))
                {
                    var v = a.Trim();
                    if (v.Length == 0)
                    {
                        continue;
                    }
                    var bit = interned[v];
                    ref var word = ref bits[(i * words) + (bit >> 6)];
                    var mask = 1UL << (bit & 63);
                    if ((word & mask) == 0)
                    {
                        word |= mask;
                        counts[i]++;
                    }
                }
            }
            result[k] = new SetColumn(bits, counts, words, values);
        }
        return result;
    }

    /// <summary>Size of the intersection of one person's set here with another person's set in <paramref name="other"/> (same value space).</summary>
    public int Intersect(int a, SetColumn other, int b)
    {
        if (Words == 1)
        {
            return BitOperations.PopCount(_bits[a] & other._bits[b]);
        }
        var n = 0;
        for (int w = 0, ia = a * Words, ib = b * Words; w < Words; w++)
        {
            n += BitOperations.PopCount(_bits[ia + w] & other._bits[ib + w]);
        }
        return n;
    }

    /// <summary>The values in both sets, in value-space order.</summary>
    public List<string> Common(int a, SetColumn other, int b)
    {
        var common = new List<string>();
        for (var w = 0; w < Words; w++)
        {
            var word = _bits[(a * Words) + w] & other._bits[(b * Words) + w];
            while (word != 0)
            {
                var bit = BitOperations.TrailingZeroCount(word);
                common.Add(_values[(w * 64) + bit]);
                word &= word - 1;
            }
        }
        return common;
    }
}
