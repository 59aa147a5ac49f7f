using Mentoring.Core.Participants;
using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Matching.Rules;

/// <summary>The hard rules; a pair broken by any of them is simply not an edge of the matching graph.</summary>
[Flags]
public enum HardRule
{
    None = 0,
    /// <summary>Both name the same manager.</summary>
    SameManager = 1,
    /// <summary>One is the other's manager.</summary>
    ManagerAndReport = 2,
    /// <summary>Paired (or grouped) before in this program.</summary>
    PairedBefore = 4,
    /// <summary>One put the other on their do-not-match list.</summary>
    DoNotMatch = 8,
    /// <summary>An admin forbade this pair for this draft.</summary>
    ForbiddenByAdmin = 16,
}

/// <summary>A pair of participant ids, order irrelevant.</summary>
public sealed record ParticipantPair(string A, string B)
{
    public bool Contains(string id) => A == id || B == id;
}

/// <summary>
/// The hard rules compiled for a fixed list of participants (indexed 0..n-1): managers as interned email codes, the
/// pair-specific rules (history, do-not-match, admin forbids) as one hash set that is consulted only when both people
/// appear in it. <see cref="Allows"/> is on the matching hot path.
/// </summary>
public sealed class HardRules
{
    private readonly int[] _self;
    private readonly int[] _manager;
    private readonly bool[] _hasPairRule;
    private readonly Dictionary<long, HardRule> _pairRules;
    private readonly int _count;

    private HardRules(int[] self, int[] manager, bool[] hasPairRule, Dictionary<long, HardRule> pairRules)
    {
        _self = self;
        _manager = manager;
        _hasPairRule = hasPairRule;
        _pairRules = pairRules;
        _count = self.Length;
    }

    public static HardRules Compile(
        IReadOnlyList<Participant> people,
        IEnumerable<ParticipantPair> pairedBefore,
        IEnumerable<ParticipantPair> forbidden)
    {
        ArgumentNullException.ThrowIfNull(people);
        var emailCodes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        int Code(string email) => emailCodes.TryGetValue(email, out var c) ? c : emailCodes[email] = emailCodes.Count;

        var n = people.Count;
        var self = new int[n];
        var manager = new int[n];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            self[i] = Code(people[i].Email.Trim());
            index.TryAdd(people[i].Id, i);
        }
        for (var i = 0; i < n; i++)
        {
            var m = people[i].SingleAnswer(BuiltInQuestions.ManagerEmail)?.Trim();
            manager[i] = string.IsNullOrEmpty(m) ? -1 : Code(m);
            if (manager[i] == self[i])
            {
                manager[i] = -1; // naming yourself as your manager says nothing about anyone else
            }
        }

        var pairRules = new Dictionary<long, HardRule>();
        var hasPairRule = new bool[n];
        void Add(int a, int b, HardRule rule)
        {
            if (a == b)
            {
                return;
            }
            var key = Key(a, b, n);
            pairRules[key] = pairRules.GetValueOrDefault(key) | rule;
            hasPairRule[a] = hasPairRule[b] = true;
        }
        void AddIds(IEnumerable<ParticipantPair> pairs, HardRule rule)
        {
            foreach (var p in pairs)
            {
                if (index.TryGetValue(p.A, out var a) && index.TryGetValue(p.B, out var b))
                {
                    Add(a, b, rule);
                }
            }
        }
        AddIds(pairedBefore ?? [], HardRule.PairedBefore);
        AddIds(forbidden ?? [], HardRule.ForbiddenByAdmin);

        var byEmail = new Dictionary<int, int>();
        for (var i = 0; i < n; i++)
        {
            byEmail.TryAdd(self[i], i);
        }
        for (var i = 0; i < n; i++)
        {
            foreach (var email in people[i].Answer(BuiltInQuestions.DoNotMatch))
            {
                if (emailCodes.TryGetValue(email.Trim(), out var code) && byEmail.TryGetValue(code, out var other))
                {
                    Add(i, other, HardRule.DoNotMatch);
                }
            }
        }
        return new HardRules(self, manager, hasPairRule, pairRules);
    }

    public int Count => _count;

    /// <summary>True when no hard rule forbids pairing <paramref name="a"/> with <paramref name="b"/>.</summary>
    public bool Allows(int a, int b)
    {
        if (a == b)
        {
            return false;
        }
        int ma = _manager[a], mb = _manager[b];
        if ((ma >= 0 && (ma == mb || ma == _self[b])) || (mb >= 0 && mb == _self[a]))
        {
            return false;
        }
        return !(_hasPairRule[a] && _hasPairRule[b] && _pairRules.ContainsKey(Key(a, b, _count)));
    }

    /// <summary>Every rule that forbids the pair (<see cref="HardRule.None"/> when allowed).</summary>
    public HardRule Broken(int a, int b)
    {
        var rules = HardRule.None;
        int ma = _manager[a], mb = _manager[b];
        if (ma >= 0 && ma == mb)
        {
            rules |= HardRule.SameManager;
        }
        if ((ma >= 0 && ma == _self[b]) || (mb >= 0 && mb == _self[a]))
        {
            rules |= HardRule.ManagerAndReport;
        }
        return rules | _pairRules.GetValueOrDefault(Key(a, b, _count));
    }

    private static long Key(int a, int b, int n) => a < b ? ((long)a * n) + b : ((long)b * n) + a;
}
