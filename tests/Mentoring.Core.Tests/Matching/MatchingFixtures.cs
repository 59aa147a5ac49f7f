using Mentoring.Core.Matching;
using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Tests.Matching;

/// <summary>Small builders for programs, people and requests.</summary>
internal static class MatchingFixtures
{
    public static readonly DateTimeOffset At = new(2025, 1, 15, 12, 0, 0, TimeSpan.Zero);

    public static readonly Question Level = new()
    {
        Key = BuiltInQuestions.Level, Label = "Level", Type = QuestionType.OrdinalScale,
        Options = ["Junior", "Mid", "Senior", "Staff", "Principal"], Role = MatchingRole.Similar, Weight = 8,
    };

    public static readonly Question Department = new()
    {
        Key = BuiltInQuestions.Department, Label = "Department", Type = QuestionType.SingleChoice,
        Options = ["Engineering", "Sales", "Legal", "Finance"], Role = MatchingRole.Different, Weight = 5,
    };

    public static readonly Question Goals = new()
    {
        Key = "goals", Label = "Goals", Type = QuestionType.MultiChoice,
        Options = ["negotiation", "public speaking", "leadership", "writing"], Role = MatchingRole.Overlap, Weight = 12,
    };

    public static readonly Question Offers = new()
    {
        Key = "offers", Label = "Skills you offer", Type = QuestionType.MultiChoice,
        Options = ["sql", "design", "finance", "coaching"], Role = MatchingRole.Complementary, Weight = 10, ComplementKey = "wants",
    };

    public static readonly Question Wants = new()
    {
        Key = "wants", Label = "Skills you want", Type = QuestionType.MultiChoice,
        Options = ["sql", "design", "finance", "coaching"],
    };

    public static readonly Question TimeZoneQuestion = new()
    {
        Key = BuiltInQuestions.TimeZone, Label = "Time zone", Type = QuestionType.TimeZone, Role = MatchingRole.Similar, Weight = 4,
    };

    public static MentoringProgram Program(
        IReadOnlyList<Question>? questions = null,
        ProgramKind kind = ProgramKind.Cohort,
        MatchingObjective objective = MatchingObjective.MostPairsThenScore,
        OddCountPolicy odd = OddCountPolicy.Trio,
        int? groupSize = null) => new()
        {
            Id = "prog-1",
            Name = "Peer mentoring",
            Kind = kind,
            GroupSize = groupSize,
            AdminEmails = ["admin@example.com"],
            Questionnaire = new Questionnaire { Questions = questions ?? [] },
            Matching = new MatchingPolicy { Objective = objective, OddCount = odd },
        };

    /// <summary>A person whose id and name are the given name; answers as key, values pairs.</summary>
    public static Participant Person(string name, params (string Key, string[] Values)[] answers) => new()
    {
        Id = name,
        ProgramId = "prog-1",
        Email = $"{name.ToLowerInvariant()}@example.com",
        Name = name,
        Answers = answers.ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Values),
        Source = new RegistrationSource(RegistrationSource.Api),
    };

    public static (string, string[]) A(string key, params string[] values) => (key, values);

    public static (string, string[]) Manager(string name) => (BuiltInQuestions.ManagerEmail, [$"{name.ToLowerInvariant()}@example.com"]);

    public static MatchingRequest Request(MentoringProgram program, IReadOnlyList<Participant> people) => new()
    {
        Program = program,
        Participants = people,
        At = At,
    };

    public static IEnumerable<string> Ids(this PairDraft draft) =>
        draft.Pairs.SelectMany(p => new[] { p.A.Id, p.B.Id })
            .Concat(draft.Trios.SelectMany(t => t.Members.Select(m => m.Id)))
            .Concat(draft.Groups.SelectMany(g => g.Members.Select(m => m.Id)));

    /// <summary>Every two people placed together (pairs, trios, groups).</summary>
    public static IEnumerable<(string A, string B)> Together(this PairDraft draft)
    {
        foreach (var p in draft.Pairs)
        {
            yield return (p.A.Id, p.B.Id);
        }
        foreach (var g in draft.Trios.Concat(draft.Groups))
        {
            for (var i = 0; i < g.Members.Count; i++)
            {
                for (var j = i + 1; j < g.Members.Count; j++)
                {
                    yield return (g.Members[i].Id, g.Members[j].Id);
                }
            }
        }
    }

    public static bool Pairs(this PairDraft draft, string a, string b) =>
        draft.Together().Any(t => (t.A == a && t.B == b) || (t.A == b && t.B == a));

    public static ParticipantPair Pair(string a, string b) => new(a, b);
}
