using Mentoring.Core.Matching.Scoring;
using Mentoring.Core.Questionnaires;
using static Mentoring.Core.Tests.Matching.MatchingFixtures;

namespace Mentoring.Core.Tests.Matching;

public class PairScorerTests
{
    private static PairScorer Scorer(IReadOnlyList<Question> questions, params Mentoring.Core.Participants.Participant[] people) =>
        PairScorer.Compile(new Questionnaire { Questions = questions }, people, At);

    private static CriterionPoints Criterion(PairExplanation e, string key) => e.Criteria.Single(c => c.Key == key);

    [Theory]
    [InlineData("Mid", "Mid", 8)]     // equal: full weight
    [InlineData("Mid", "Senior", 6)]  // 1 of 4 steps: 8 * 3/4
    [InlineData("Junior", "Staff", 2)] // 3 of 4 steps: 8 * 1/4
    [InlineData("Junior", "Principal", 0)]
    public void Similar_ordinal_scale_falls_linearly_with_rank_distance(string a, string b, int expected)
    {
        var scorer = Scorer([Level], Person("Ana", A("level", a)), Person("Bo", A("level", b)));
        Assert.Equal(expected, scorer.Score(0, 1));
    }

    [Fact]
    public void Ordinal_rounding_is_half_up_on_exact_integers()
    {
        // weight 5 over a span of 4 at distance 1: 5 * 3/4 = 3.75 -> 4; distance 2: 2.5 -> 3.
        var level = Level with { Weight = 5 };
        var scorer = Scorer([level], Person("Ana", A("level", "Junior")), Person("Bo", A("level", "Mid")), Person("Cy", A("level", "Senior")));
        Assert.Equal(4, scorer.Score(0, 1));
        Assert.Equal(3, scorer.Score(0, 2));
    }

    [Fact]
    public void Different_role_scores_only_when_answers_differ()
    {
        var scorer = Scorer([Department], Person("Ana", A("department", "Sales")), Person("Bo", A("department", "Legal")), Person("Cy", A("department", "Sales")));
        Assert.Equal(5, scorer.Score(0, 1));
        Assert.Equal(0, scorer.Score(0, 2));
    }

    [Fact]
    public void Similar_free_text_compares_trimmed_and_case_insensitively()
    {
        var team = new Question { Key = "team", Label = "Team", Type = QuestionType.FreeText, Role = MatchingRole.Similar, Weight = 3 };
        var scorer = Scorer([team], Person("Ana", A("team", "Payments ")), Person("Bo", A("team", "payments")), Person("Cy", A("team", "Search")));
        Assert.Equal(3, scorer.Score(0, 1));
        Assert.Equal(0, scorer.Score(0, 2));
    }

    [Fact]
    public void Overlap_is_jaccard_times_weight_rounded()
    {
        // {negotiation, public speaking} vs {negotiation, leadership, writing}: 1 / 4 * 12 = 3.
        var scorer = Scorer([Goals],
            Person("Ana", A("goals", "negotiation", "public speaking")),
            Person("Bo", A("goals", "negotiation", "leadership", "writing")),
            Person("Cy", A("goals", "public speaking", "negotiation")));
        Assert.Equal(3, scorer.Score(0, 1));
        Assert.Equal(12, scorer.Score(0, 2));
    }

    [Fact]
    public void Complementary_counts_both_directions_each_worth_half_the_weight()
    {
        // Ana offers sql, Bo wants sql and design: Ana meets 1/2 of Bo's wants -> 10 * 1/2 / 2 = 2.5.
        // Bo offers finance, Ana wants finance: Bo meets all of Ana's wants -> 10 * 1 / 2 = 5. Total 7.5 -> 8.
        var scorer = Scorer([Offers, Wants],
            Person("Ana", A("offers", "sql"), A("wants", "finance")),
            Person("Bo", A("offers", "finance"), A("wants", "sql", "design")));
        Assert.Equal(8, scorer.Score(0, 1));
        Assert.Equal(8, scorer.Score(1, 0));
    }

    [Fact]
    public void Complementary_reaches_its_weight_when_each_offers_all_the_other_wants()
    {
        var scorer = Scorer([Offers, Wants],
            Person("Ana", A("offers", "sql", "design"), A("wants", "finance")),
            Person("Bo", A("offers", "finance"), A("wants", "sql", "design")));
        Assert.Equal(10, scorer.Score(0, 1));
    }

    [Fact]
    public void Complementary_declared_on_both_questions_counts_once()
    {
        var wants = Wants with { Role = MatchingRole.Complementary, Weight = 10, ComplementKey = "offers" };
        var scorer = Scorer([Offers, wants],
            Person("Ana", A("offers", "sql", "design"), A("wants", "finance")),
            Person("Bo", A("offers", "finance"), A("wants", "sql", "design")));
        Assert.Equal(10, scorer.Score(0, 1));
    }

    [Fact]
    public void Missing_answers_score_zero_never_a_penalty()
    {
        var scorer = Scorer([Level, Department, Goals, Offers, Wants, TimeZoneQuestion],
            Person("Ana", A("level", "Mid"), A("department", "Sales"), A("goals", "writing"), A("offers", "sql"), A("wants", "design"), A("timeZone", "Europe/Paris")),
            Person("Bo"));
        Assert.Equal(0, scorer.Score(0, 1));
        Assert.All(scorer.Explain(0, 1).Criteria, c => Assert.Equal(0, c.Points));
    }

    [Theory]
    [InlineData("Etc/GMT+11", "Etc/GMT-12", 60)] // UTC-11 and UTC+12 are one hour apart around the date line
    [InlineData("Etc/GMT-12", "Etc/GMT+11", 60)]
    [InlineData("Europe/Paris", "Europe/Berlin", 0)]
    [InlineData("America/New_York", "Europe/London", 300)] // in January: UTC-5 and UTC+0
    [InlineData("Asia/Kolkata", "UTC", 330)]
    public void Time_zone_distance_is_circular_in_minutes(string a, string b, int minutes)
    {
        var scorer = Scorer([TimeZoneQuestion with { Weight = 480 }], Person("Ana", A("timeZone", a)), Person("Bo", A("timeZone", b)));
        // Weight 480 over an 8 h (480 min) range: one point per minute closer than 8 h.
        Assert.Equal(480 - minutes, scorer.Score(0, 1));
    }

    [Fact]
    public void Time_zone_closeness_is_full_at_zero_and_nothing_from_eight_hours()
    {
        var scorer = Scorer([TimeZoneQuestion],
            Person("Ana", A("timeZone", "Etc/GMT")),
            Person("Bo", A("timeZone", "Etc/GMT-4")),
            Person("Cy", A("timeZone", "Etc/GMT-8")),
            Person("Di", A("timeZone", "Etc/GMT")));
        Assert.Equal(4, scorer.Score(0, 3));
        Assert.Equal(2, scorer.Score(0, 1));
        Assert.Equal(0, scorer.Score(0, 2));
    }

    [Fact]
    public void Time_zone_offsets_are_read_at_the_given_instant_not_the_wall_clock()
    {
        // New York and London are 5 h apart in January and 4 h apart for a week in late March.
        var people = new[] { Person("Ana", A("timeZone", "America/New_York")), Person("Bo", A("timeZone", "Europe/London")) };
        var q = new Questionnaire { Questions = [TimeZoneQuestion with { Weight = 480 }] };
        Assert.Equal(480 - 300, PairScorer.Compile(q, people, new DateTimeOffset(2025, 1, 15, 12, 0, 0, TimeSpan.Zero)).Score(0, 1));
        Assert.Equal(480 - 240, PairScorer.Compile(q, people, new DateTimeOffset(2025, 3, 20, 12, 0, 0, TimeSpan.Zero)).Score(0, 1));
    }

    [Fact]
    public void Stated_preferences_earn_two_points_each_for_each_person()
    {
        var dept = new Question { Key = "department", Type = QuestionType.FreeText };
        var scorer = Scorer([dept, Level with { Role = MatchingRole.None, Weight = 0 }],
            Person("Ana", A("department", "Sales"), A("level", "Mid"), A("preferences", "another-department", "similar-level")),
            Person("Bo", A("department", "Legal"), A("level", "Senior"), A("preferences", "same-department")),
            Person("Cy", A("department", "Sales"), A("level", "Principal")));
        // Ana: another department yes, similar level (one step) yes -> 4; Bo: same department no -> 0.
        Assert.Equal(4, scorer.Score(0, 1));
        // Ana with Cy: same department, three levels apart -> 0.
        Assert.Equal(0, scorer.Score(0, 2));
        // Bo with Cy: Bo wanted the same department -> 0.
        Assert.Equal(0, scorer.Score(1, 2));
        var e = scorer.Explain(0, 1);
        Assert.Equal(4, Criterion(e, "preferences").Points);
        Assert.Contains("Ana asked for another department and a similar level", e.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_time_zone_preference_tolerates_one_hour()
    {
        var scorer = Scorer([],
            Person("Ana", A("timeZone", "Europe/London"), A("preferences", "same-time-zone")),
            Person("Bo", A("timeZone", "Europe/Paris")),
            Person("Cy", A("timeZone", "Europe/Helsinki")));
        Assert.Equal(2, scorer.Score(0, 1));
        Assert.Equal(0, scorer.Score(0, 2));
    }

    [Fact]
    public void Explanation_gives_points_per_criterion_and_one_sentence()
    {
        var scorer = Scorer([Goals, Department, Level],
            Person("Ana", A("goals", "negotiation", "writing"), A("department", "Sales"), A("level", "Mid")),
            Person("Bo", A("goals", "negotiation"), A("department", "Legal"), A("level", "Staff")));
        var e = scorer.Explain(0, 1);
        Assert.Equal([("goals", 6), ("department", 5), ("level", 4)], e.Criteria.Select(c => (c.Key, c.Points)));
        Assert.Equal(15, e.Score);
        Assert.Equal("both chose negotiation (goals); different department (Sales and Legal); level two steps apart (Mid and Staff)", e.Sentence);
    }

    [Fact]
    public void Complementary_sentence_names_who_helps_whom()
    {
        var scorer = Scorer([Offers, Wants],
            Person("Ana", A("offers", "sql", "design"), A("wants", "finance")),
            Person("Bo", A("offers", "finance"), A("wants", "sql", "design")));
        Assert.Equal("Ana can help Bo with sql and design, and Bo can help Ana with finance", scorer.Explain(0, 1).Sentence);
    }

    [Fact]
    public void A_pair_with_no_points_says_so()
    {
        var scorer = Scorer([Goals], Person("Ana", A("goals", "writing")), Person("Bo", A("goals", "leadership")));
        Assert.Equal("no criterion scored for this pair", scorer.Explain(0, 1).Sentence);
    }

    [Fact]
    public void Questions_with_a_role_but_no_weight_are_noted_and_ignored()
    {
        var scorer = Scorer([Goals with { Weight = 0 }], Person("Ana", A("goals", "writing")), Person("Bo", A("goals", "writing")));
        Assert.Equal(0, scorer.Score(0, 1));
        Assert.Contains(scorer.Notes, n => n.Contains("'goals'", StringComparison.Ordinal));
    }

    [Fact]
    public void Multi_choice_with_more_than_64_values_uses_several_words()
    {
        var many = Enumerable.Range(0, 130).Select(i => $"topic-{i}").ToArray();
        var topics = new Question { Key = "topics", Type = QuestionType.MultiChoice, Options = many, Role = MatchingRole.Overlap, Weight = 10 };
        var scorer = Scorer([topics], Person("Ana", A("topics", "topic-1", "topic-100", "topic-129")), Person("Bo", A("topics", "topic-100", "topic-129")));
        // 2 common of 3 in the union -> 6.67 -> 7.
        Assert.Equal(7, scorer.Score(0, 1));
        Assert.Contains("topic-100 and topic-129", scorer.Explain(0, 1).Sentence, StringComparison.Ordinal);
    }
}
