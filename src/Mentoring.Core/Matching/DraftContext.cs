using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Matching.Scoring;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Matching;

/// <summary>
/// The compiled state one draft works on: the active people (indexed 0..n-1 in snapshot order), their scorer and
/// hard rules, who waited last round, which pins hold, and the words for explanations.
/// </summary>
internal sealed class DraftContext
{
    private DraftContext(MatchingRequest request, List<Participant> active, List<SetAsideEntry> setAside, List<string> notes)
    {
        Request = request;
        People = active;
        SetAside = setAside;
        Notes = notes;
        Members = [.. active.Select(p => new DraftMember(p.Id, p.Name, p.Email))];
        Scorer = PairScorer.Compile(request.Program.Questionnaire, active, request.At, request.Options.Scoring, Direction(request.Program));
        notes.AddRange(Scorer.Notes);
        Rules = HardRules.Compile(active, request.History.AllPreviousPairs(), request.ForbiddenPairs);
        var waited = new HashSet<string>(request.History.WaitlistedLastRound, StringComparer.Ordinal);
        WaitedLastRound = [.. active.Select(p => waited.Contains(p.Id))];
        var included = new HashSet<string>(request.History.IncludedByAdmin, StringComparer.Ordinal);
        Priority = [.. active.Select(p => waited.Contains(p.Id) || included.Contains(p.Id))];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < active.Count; i++)
        {
            index[active[i].Id] = i;
        }
        Pins = ResolvePins(request, index, notes);
    }

    public MatchingRequest Request { get; }
    public MentoringProgram Program => Request.Program;
    public MatchingOptions Options => Request.Options;
    public IReadOnlyList<Participant> People { get; }
    public int Count => People.Count;
    public DraftMember[] Members { get; }
    public PairScorer Scorer { get; }
    public HardRules Rules { get; }
    public bool[] WaitedLastRound { get; }
    /// <summary>Matched first where the rules allow: who waited last round, and whom an admin included.</summary>
    public bool[] Priority { get; }
    public IReadOnlyList<(int A, int B)> Pins { get; }
    public List<SetAsideEntry> SetAside { get; }
    public List<string> Notes { get; }

    public static DraftContext Create(MatchingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Program);
        ArgumentNullException.ThrowIfNull(request.Participants);
        var excluded = new HashSet<string>(request.ExcludedParticipantIds, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var active = new List<Participant>();
        var setAside = new List<SetAsideEntry>();
        var notes = new List<string>();
        foreach (var p in request.Participants)
        {
            if (!seen.Add(p.Id))
            {
                notes.Add($"Participant id {p.Id} appears more than once in the snapshot; the first copy was used.");
                continue;
            }
            var member = new DraftMember(p.Id, p.Name, p.Email);
            if (p.Status == ParticipantStatus.Withdrawn)
            {
                setAside.Add(new SetAsideEntry(member, "withdrew from the program"));
            }
            else if (excluded.Contains(p.Id))
            {
                setAside.Add(new SetAsideEntry(member, "left out of this draft by an admin"));
            }
            else
            {
                active.Add(p);
            }
        }
        return new DraftContext(request, active, setAside, notes);
    }

    /// <summary>Roles programs (a led group's lead mentors its mentees) score (mentor, mentee) one way; peers and buddies symmetrically.</summary>
    private static RoleDirection? Direction(MentoringProgram program) => program.Pairing is PairingShape.MentorMentee or PairingShape.Reverse or PairingShape.GroupsLed
        ? new RoleDirection(program.Roles.SeniorityGap, program.Pairing == PairingShape.Reverse)
        : null;

    public string Name(int i) => People[i].Name;

    public DraftPair Pair(int a, int b, bool pinned = false)
    {
        var e = Scorer.Explain(a, b);
        return new DraftPair(Members[a], Members[b], e.Score, e.Criteria, e.Sentence, pinned);
    }

    public DraftGroup Group(IReadOnlyList<int> members)
    {
        var links = new List<DraftPair>();
        for (var i = 0; i < members.Count; i++)
        {
            for (var j = i + 1; j < members.Count; j++)
            {
                links.Add(Pair(members[i], members[j]));
            }
        }
        var sentence = string.Join("; ", links.Select(l => $"{l.A.Name} & {l.B.Name}: {l.Sentence.TrimEnd('.')}")) + ".";
        return new DraftGroup([.. members.Select(m => Members[m])], links.Sum(l => l.Score), links, sentence);
    }

    public WaitlistEntry Waitlisted(int i, WaitlistReason reason, string explanation) =>
        new(Members[i], reason, explanation, WaitedLastRound[i]);

    /// <summary>True when at least one other active person may be paired with <paramref name="i"/>.</summary>
    public bool HasAllowedPartner(int i)
    {
        for (var j = 0; j < Count; j++)
        {
            if (Rules.Allows(i, j))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>"every possible partner is excluded by a rule: same manager as A and B; paired before with C".</summary>
    public string NoPartnerExplanation(int i)
    {
        if (Count == 1)
        {
            return "nobody else is in this round";
        }
        var byRule = new Dictionary<HardRule, List<string>>();
        for (var j = 0; j < Count; j++)
        {
            if (j == i)
            {
                continue;
            }
            var broken = Rules.Broken(i, j);
            foreach (var rule in Enum.GetValues<HardRule>())
            {
                if (rule != HardRule.None && broken.HasFlag(rule))
                {
                    (byRule.TryGetValue(rule, out var list) ? list : byRule[rule] = []).Add(Name(j));
                }
            }
        }
        var parts = byRule.OrderBy(kv => kv.Key).Select(kv => kv.Key switch
        {
            HardRule.SameManager => $"same manager as {English.Names(kv.Value)}",
            HardRule.ManagerAndReport => $"manager or direct report of {English.Names(kv.Value)}",
            HardRule.PairedBefore => $"paired before with {English.Names(kv.Value)}",
            HardRule.DoNotMatch => $"do-not-match with {English.Names(kv.Value)}",
            _ => $"an admin forbade pairing with {English.Names(kv.Value)}",
        });
        return $"every possible partner is excluded by a rule: {string.Join("; ", parts)}";
    }

    private IReadOnlyList<(int A, int B)> ResolvePins(MatchingRequest request, Dictionary<string, int> index, List<string> notes)
    {
        var pins = new List<(int, int)>();
        var pinned = new HashSet<int>();
        var mentorsHoldMany = request.Program.Pairing is PairingShape.MentorMentee or PairingShape.Reverse;
        foreach (var pin in request.PinnedPairs)
        {
            if (!index.TryGetValue(pin.A, out var a) || !index.TryGetValue(pin.B, out var b))
            {
                notes.Add($"Pinned pair {pin.A} & {pin.B} was not kept: {(index.ContainsKey(pin.A) ? pin.B : pin.A)} is not among the people to match (withdrawn, excluded or unknown).");
                continue;
            }
            // A mentor may hold several pins (up to capacity, which the roles drafter checks); anyone else holds one.
            if (a == b || (!mentorsHoldMany && (pinned.Contains(a) || pinned.Contains(b))))
            {
                notes.Add($"Pinned pair {Name(a)} & {Name(b)} was not kept: a person can be pinned to only one other person.");
                continue;
            }
            if (!Rules.Allows(a, b))
            {
                notes.Add($"Pinned pair {Name(a)} & {Name(b)} was not kept: it breaks a hard rule ({Describe(Rules.Broken(a, b))}).");
                continue;
            }
            pinned.Add(a);
            pinned.Add(b);
            pins.Add((a, b));
        }
        return pins;
    }

    public static string Describe(HardRule rules) => string.Join(", ", Enum.GetValues<HardRule>()
        .Where(r => r != HardRule.None && rules.HasFlag(r))
        .Select(r => r switch
        {
            HardRule.SameManager => "same manager",
            HardRule.ManagerAndReport => "manager and direct report",
            HardRule.PairedBefore => "paired before",
            HardRule.DoNotMatch => "do-not-match",
            _ => "forbidden by an admin",
        }));
}
