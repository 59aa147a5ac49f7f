using Mentoring.Core.Mail;
using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Matching;
using Mentoring.Core.Matching.Scoring;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Tests.Mail;

internal static class MailFixtures
{
    public const string Hostile = "<script>alert('x')</script>";

    public static readonly DateTimeOffset At = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static MentoringProgram Program(ProgramKind kind = ProgramKind.Cohort, string name = "Spring buddies") => new()
    {
        Id = "spring",
        Name = name,
        Kind = kind,
        AdminEmails = ["hr@example.com", "lead@example.com"],
        TimeZone = "Europe/Berlin",
        Questionnaire = new Questionnaire
        {
            Questions =
            [
                new Question { Key = "department", Label = "Department", Type = QuestionType.SingleChoice, Options = ["Sales", "Engineering"], Role = MatchingRole.Different, Weight = 10 },
                new Question { Key = "level", Label = "Career level", Type = QuestionType.OrdinalScale, Options = ["1", "2", "3"], Role = MatchingRole.Similar, Weight = 8 },
            ],
        },
    };

    public static DraftMember Member(string name, string? id = null) => new(id ?? "p_" + name.ToLowerInvariant(), name, $"{Slug(name)}@example.com");

    public static readonly DraftMember Ana = Member("Ana");
    public static readonly DraftMember Bo = Member("Bo");
    public static readonly DraftMember Cy = Member("Cy");
    public static readonly DraftMember Di = Member("Di");
    public static readonly DraftMember Evil = new("p_evil", Hostile, "evil@example.com");
    public static readonly DraftMember Ed = Member("Ed");
    public static readonly DraftMember Fay = Member("Fay");
    public static readonly DraftMember Gus = Member("Gus");

    public static DraftPair Pair(DraftMember a, DraftMember b, int score, string goal) => new(a, b, score,
        [
            new CriterionPoints("goals", "Goals", CriterionKind.Overlap, 20, 20, $"both want {goal}"),
            new CriterionPoints("department", "Department", CriterionKind.Different, 10, 10, "different departments"),
            new CriterionPoints("level", "Career level", CriterionKind.Similar, score - 30, 8, score - 30 > 0 ? "similar level" : null),
        ],
        $"{a.Name} and {b.Name}: both want {goal}; different departments.");

    public static PairDraft Draft() => new()
    {
        ProgramId = "spring",
        Kind = ProgramKind.Cohort,
        Objective = MatchingObjective.MostPairsThenScore,
        OddCount = OddCountPolicy.Waitlist,
        At = At,
        Pairs = [Pair(Ana, Bo, 38, "public speaking"), Pair(Cy, Evil, 34, "negotiation") with { Pinned = true }],
        Trios = [new DraftGroup([Ed, Fay, Gus], 70, [Pair(Ed, Fay, 35, "writing"), Pair(Fay, Gus, 35, "sql")], "Ed, Fay and Gus share goals in writing and SQL.")],
        Waitlist = [new WaitlistEntry(Di, WaitlistReason.OddCount, "An odd number of people: Di had the fewest good partners and waits for the next round.", false)],
        SetAside = [new SetAsideEntry(Member("Zed"), "withdrawn")],
        Stats = new DraftStats(People: 8, PeopleMatched: 7, PeopleWaitlisted: 1, Pairs: 2, Trios: 1, Groups: 0, TotalScore: 142, MeanScore: 36.5, MinScore: 34, MaxScore: 38),
        Certificate = new OptimalityCertificate(true, "as many people paired as possible, then the highest total score",
            "No other set of pairs pairs more people or scores higher than 72: the dual certificate proves it.", "exact blossom on the complete graph", 28, null),
        Notes = ["The pin of Cy and Zed could not be kept: Zed withdrew."],
    };

    public static DraftActionLinks Links() => new(
        new Uri("https://mentoring.example.com/decide/approve?t=abc&v=1"),
        new Uri("https://mentoring.example.com/decide/reject?t=def&v=1"),
        new Uri("https://mentoring.example.com/decide/rerun?t=ghi&v=1"))
    {
        ForbidPairs = [new Uri("https://mentoring.example.com/decide/forbid?pair=0&t=jkl"), new Uri("https://mentoring.example.com/decide/forbid?pair=1&t=mno")],
    };

    public static DraftMailInput DraftInput(int version = 3) =>
        new(Program(), Draft(), version, "w-2027-03", new MailAddress("HR@Example.com", "HR"), Links(), DecideBy: At.AddDays(7));

    public static Participant Signup(DraftMember member, string? department = null, string? level = null)
    {
        var answers = new Dictionary<string, IReadOnlyList<string>>();
        if (department is not null)
        {
            answers["department"] = [department];
        }

        if (level is not null)
        {
            answers["level"] = [level];
        }

        return new Participant
        {
            Id = member.Id,
            ProgramId = "spring",
            Email = member.Email,
            Name = member.Name,
            Answers = answers,
            Source = new RegistrationSource(RegistrationSource.Api),
        };
    }

    private static string Slug(string name) => new([.. name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);
}
