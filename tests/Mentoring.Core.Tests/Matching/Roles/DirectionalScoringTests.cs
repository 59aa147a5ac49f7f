using Mentoring.Core.Matching;
using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Matching.Scoring;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;
using static Mentoring.Core.Tests.Matching.MatchingFixtures;

namespace Mentoring.Core.Tests.Matching.Roles;

/// <summary>Roles programs score (mentor, mentee) one way: offers meet wants, and seniority runs in the program's direction.</summary>
public class DirectionalScoringTests
{
    private static MentoringProgram Roles(PairingShape shape = PairingShape.MentorMentee, int gap = 1) => Program([Level, Offers, Wants]) with
    {
        Pairing = shape,
        Roles = new RolePolicy { MaxMentees = 3, SeniorityGap = gap },
    };

    private static Participant Mentor(string name, string level, string[] offers, params (string, string[])[] more) =>
        Person(name, [A(BuiltInQuestions.Role, "mentor"), A(BuiltInQuestions.Capacity, "1"), A("level", level), A("offers", offers), .. more]);

    private static Participant Mentee(string name, string level, string[] wants, params (string, string[])[] more) =>
        Person(name, [A(BuiltInQuestions.Role, "mentee"), A("level", level), A("wants", wants), .. more]);

    private static PairScorer Scorer(bool reverse, int gap, params Participant[] people) =>
        PairScorer.Compile(new Questionnaire { Questions = [Level, Offers, Wants] }, people, At, roles: new RoleDirection(gap, reverse));

    private static int Points(PairExplanation e, string key) => e.Criteria.Single(c => c.Key == key).Points;

    [Fact]
    public void What_the_mentor_offers_counts_against_what_the_mentee_wants_and_not_the_other_way_round()
    {
        var ana = Person("Ana", A("offers", "sql"), A("wants", "design"));
        var bo = Person("Bo", A("offers", "design"), A("wants", "sql", "finance"));
        var scorer = Scorer(reverse: false, gap: 0, ana, bo);

        // Ana offers one of Bo's two wants: half of the weight (10). Bo as the mentor offers all Ana wants: the full weight.
        Assert.Equal(5, Points(scorer.Explain(0, 1), "offers"));
        Assert.Equal(10, Points(scorer.Explain(1, 0), "offers"));
        var symmetric = PairScorer.Compile(new Questionnaire { Questions = [Level, Offers, Wants] }, [ana, bo], At);
        Assert.Equal(symmetric.Explain(0, 1).Score, symmetric.Explain(1, 0).Score);
    }

    [Fact]
    public void A_draft_says_who_mentors_whom_and_what_the_mentee_wants_to_learn_from_them()
    {
        var people = new[]
        {
            Mentor("Ana", "Staff", ["sql", "coaching"]), Mentor("Ben", "Staff", ["design"], A("wants", "sql")),
            Mentee("Bo", "Senior", ["sql"], A("offers", "sql")),
        };
        var draft = MatchingEngine.Draft(Request(Roles(), people));

        var pair = Assert.Single(draft.Pairs);
        Assert.Equal(("Ana", "Bo"), (pair.A.Id, pair.B.Id));
        Assert.Equal(10, pair.Criteria.Single(c => c.Key == "offers").Points);
        Assert.StartsWith("Ana will mentor Bo: ", pair.Sentence, StringComparison.Ordinal);
        Assert.Contains("Ana can help Bo with sql, which Bo wants to learn", pair.Sentence, StringComparison.Ordinal);
        Assert.DoesNotContain("Bo can help", pair.Sentence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Senior", 1, 8)]
    [InlineData("Mid", 1, 5)]
    [InlineData("Junior", 1, 3)]
    [InlineData("Staff", 1, 0)]
    [InlineData("Mid", 2, 8)]
    [InlineData("Junior", 2, 4)]
    [InlineData("Staff", 0, 8)]
    public void Seniority_scores_best_when_the_mentor_sits_exactly_the_gap_above(string menteeLevel, int gap, int expected)
    {
        var scorer = Scorer(reverse: false, gap, Person("Ana", A("level", "Staff")), Person("Bo", A("level", menteeLevel)));
        Assert.Equal(expected, Points(scorer.Explain(0, 1), "level"));
    }

    [Fact]
    public void Reverse_mentoring_scores_the_mentor_below_the_mentee_and_says_so()
    {
        var scorer = Scorer(reverse: true, gap: 1, Person("Jo", A("level", "Mid")), Person("Lee", A("level", "Staff")), Person("Kim", A("level", "Senior")));
        Assert.Equal(5, Points(scorer.Explain(0, 1), "level"));
        Assert.Equal(8, Points(scorer.Explain(0, 2), "level"));
        Assert.Equal(0, Points(scorer.Explain(2, 0), "level"));
        Assert.Equal("Jo (Mid) is one step below Kim (Senior) on the level scale, as reverse mentoring asks", scorer.Explain(0, 2).Criteria.Single(c => c.Key == "level").Phrase);
    }

    [Fact]
    public void Paired_before_and_do_not_match_keep_out_the_mentor_who_would_score_best()
    {
        var people = new[]
        {
            Mentor("Ana", "Staff", ["sql"]), Mentor("Ben", "Staff", ["design"]), Mentor("Cat", "Staff", ["finance"]),
            Mentee("Bo", "Senior", ["sql"], A(BuiltInQuestions.DoNotMatch, "ana@example.com")),
            Mentee("Cy", "Senior", ["design"]),
        };
        var request = Request(Roles(), people) with
        {
            History = new MatchingHistory { PreviousPairs = [new ParticipantPair("Ben", "Cy")] },
        };
        var draft = MatchingEngine.Draft(request);
        Assert.DoesNotContain(draft.Pairs, p => (p.A.Id, p.B.Id) is ("Ana", "Bo") or ("Ben", "Cy"));
        Assert.Equal(2, draft.Pairs.Count);
        Assert.True(draft.Certificate!.IsOptimal, draft.Certificate.VerifierReason);
    }
}
