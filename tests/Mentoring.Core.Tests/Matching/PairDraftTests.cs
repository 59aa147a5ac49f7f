using Mentoring.Core.Matching;
using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using static Mentoring.Core.Tests.Matching.MatchingFixtures;

namespace Mentoring.Core.Tests.Matching;

public class PairDraftTests
{
    private static PairDraft Draft(MentoringProgram program, params Participant[] people) => MatchingEngine.Draft(Request(program, people));

    [Fact]
    public void Nobody_to_match_gives_an_empty_certified_draft()
    {
        var draft = Draft(Program());
        Assert.Empty(draft.Pairs);
        Assert.Empty(draft.Waitlist);
        Assert.Equal(0, draft.Stats.People);
        Assert.True(draft.Certificate!.IsOptimal);
    }

    [Fact]
    public void One_person_is_waitlisted_because_nobody_else_is_there()
    {
        var draft = Draft(Program(), Person("Ana"));
        var entry = Assert.Single(draft.Waitlist);
        Assert.Equal(WaitlistReason.NoAllowedPartner, entry.Reason);
        Assert.Equal("nobody else is in this round", entry.Explanation);
    }

    [Fact]
    public void Two_people_are_paired_even_with_nothing_in_common()
    {
        var draft = Draft(Program([Goals]), Person("Ana", A("goals", "writing")), Person("Bo", A("goals", "leadership")));
        var pair = Assert.Single(draft.Pairs);
        Assert.Equal(0, pair.Score);
        Assert.Equal(2, draft.Stats.PeopleMatched);
    }

    [Fact]
    public void Three_people_under_the_trio_policy_make_one_trio()
    {
        var draft = Draft(Program([Goals], odd: OddCountPolicy.Trio),
            Person("Ana", A("goals", "writing")), Person("Bo", A("goals", "writing")), Person("Cy", A("goals", "leadership")));
        Assert.Empty(draft.Pairs);
        var trio = Assert.Single(draft.Trios);
        Assert.Equal(["Ana", "Bo", "Cy"], trio.Members.Select(m => m.Id).Order());
        Assert.Equal(12, trio.Score);
        Assert.Equal(3, trio.Links.Count);
        Assert.Empty(draft.Waitlist);
        Assert.Equal(3, draft.Stats.PeopleMatched);
    }

    [Fact]
    public void A_trio_counts_in_the_mean_and_the_highest_score_with_its_mean_per_link_and_in_the_total_with_every_link()
    {
        var draft = Draft(Program([Goals], odd: OddCountPolicy.Trio),
            Person("Ana", A("goals", "writing")), Person("Bo", A("goals", "writing")), Person("Cy", A("goals", "leadership")));
        var trio = Assert.Single(draft.Trios);
        Assert.Equal(4, trio.MeanLinkScore); // 12 over three links
        Assert.Equal((4, 4.0, 12L), (draft.Stats.MaxScore, draft.Stats.MeanScore, draft.Stats.TotalScore));
    }

    [Fact]
    public void Three_people_under_the_waitlist_policy_leave_one_waiting_with_the_reason()
    {
        var draft = Draft(Program([Goals], odd: OddCountPolicy.Waitlist),
            Person("Ana", A("goals", "writing")), Person("Bo", A("goals", "writing")), Person("Cy", A("goals", "leadership")));
        Assert.True(draft.Pairs("Ana", "Bo"));
        var entry = Assert.Single(draft.Waitlist);
        Assert.Equal("Cy", entry.Person.Id);
        Assert.Equal(WaitlistReason.OddCount, entry.Reason);
        Assert.Equal("odd number of people to pair (3), so one person has to wait; nobody was waitlisted last round; leaving Cy out gives the best pairs for everyone else", entry.Explanation);
    }

    [Fact]
    public void Someone_waitlisted_last_round_is_not_left_over_again()
    {
        // Ana and Bo are a perfect match and Cy matches nobody, but Cy waited last round.
        var people = new[] { Person("Ana", A("goals", "writing")), Person("Bo", A("goals", "writing")), Person("Cy", A("goals", "leadership")) };
        var request = Request(Program([Goals], odd: OddCountPolicy.Waitlist), people) with
        {
            History = new MatchingHistory { WaitlistedLastRound = ["Cy"] },
        };
        var draft = MatchingEngine.Draft(request);
        Assert.DoesNotContain(draft.Waitlist, w => w.Person.Id == "Cy");
        var entry = Assert.Single(draft.Waitlist);
        Assert.Contains("Cy waited last round and had priority", entry.Explanation, StringComparison.Ordinal);
        Assert.Contains("people who waited last round", draft.Certificate!.Objective, StringComparison.Ordinal);
    }

    [Fact]
    public void When_everyone_shares_one_manager_everyone_is_waitlisted_with_that_rule()
    {
        Participant[] people = [Person("Ana", Manager("Boss")), Person("Bo", Manager("Boss")), Person("Cy", Manager("Boss")), Person("Di", Manager("Boss"))];
        var draft = Draft(Program(), people);
        Assert.Empty(draft.Pairs);
        Assert.Equal(4, draft.Waitlist.Count);
        Assert.All(draft.Waitlist, w => Assert.Equal(WaitlistReason.NoAllowedPartner, w.Reason));
        Assert.Equal("every possible partner is excluded by a rule: same manager as Bo, Cy and Di", draft.Waitlist[0].Explanation);
    }

    [Fact]
    public void Manager_and_report_are_never_paired()
    {
        var draft = Draft(Program(), Person("Boss"), Person("Ana", Manager("Boss")));
        Assert.Empty(draft.Pairs);
        Assert.Equal("every possible partner is excluded by a rule: manager or direct report of Ana", draft.Waitlist.Single(w => w.Person.Id == "Boss").Explanation);
    }

    [Fact]
    public void Pairs_from_earlier_rounds_and_do_not_match_lists_are_respected()
    {
        var people = new[]
        {
            Person("Ana", A("goals", "writing")),
            Person("Bo", A("goals", "writing")),
            Person("Cy", A("goals", "writing"), A("doNotMatch", "di@example.com")),
            Person("Di", A("goals", "writing")),
        };
        var request = Request(Program([Goals]), people) with
        {
            History = new MatchingHistory { PreviousPairs = [Pair("Ana", "Bo")] },
        };
        var draft = MatchingEngine.Draft(request);
        Assert.False(draft.Pairs("Ana", "Bo"));
        Assert.False(draft.Pairs("Cy", "Di"));
        Assert.Equal(2, draft.Pairs.Count);
    }

    [Fact]
    public void Previous_groups_count_as_paired_before()
    {
        var people = new[] { Person("Ana"), Person("Bo"), Person("Cy"), Person("Di") };
        var request = Request(Program(), people) with
        {
            History = new MatchingHistory { PreviousGroups = [["Ana", "Bo", "Cy"]] },
        };
        var draft = MatchingEngine.Draft(request);
        // Only Di can pair with any of Ana, Bo, Cy; the other two have nobody left.
        Assert.Single(draft.Pairs);
        Assert.Contains("Di", draft.Ids());
        Assert.Equal(2, draft.Waitlist.Count);
    }

    [Fact]
    public void Forbidden_pairs_are_not_drafted()
    {
        var people = new[] { Person("Ana", A("goals", "writing")), Person("Bo", A("goals", "writing")), Person("Cy"), Person("Di") };
        var request = Request(Program([Goals]), people) with { ForbiddenPairs = [Pair("Bo", "Ana")] };
        var draft = MatchingEngine.Draft(request);
        Assert.False(draft.Pairs("Ana", "Bo"));
        Assert.Equal(2, draft.Pairs.Count);
    }

    [Fact]
    public void Pinned_pairs_are_kept_and_the_rest_is_optimised_around_them()
    {
        var people = new[] { Person("Ana", A("goals", "writing")), Person("Bo", A("goals", "writing")), Person("Cy"), Person("Di") };
        var request = Request(Program([Goals]), people) with { PinnedPairs = [Pair("Ana", "Cy")] };
        var draft = MatchingEngine.Draft(request);
        var pinned = Assert.Single(draft.Pairs, p => p.Pinned);
        Assert.Equal(("Ana", "Cy"), (pinned.A.Id, pinned.B.Id));
        Assert.True(draft.Pairs("Bo", "Di"));
        Assert.Equal(
            "No other set of pairs scores higher: for 2 people and every pair the hard rules allow, this pair is optimal for the most people paired,"
            + " then the highest total score. An independent check of the solver's dual certificate confirmed it. The pinned pair was fixed first and is"
            + " not part of that optimum.",
            draft.Certificate!.Statement);
    }

    [Fact]
    public void A_pin_that_breaks_a_hard_rule_is_dropped_with_a_note()
    {
        var people = new[] { Person("Ana", Manager("Boss")), Person("Bo", Manager("Boss")), Person("Cy"), Person("Di") };
        var request = Request(Program(), people) with { PinnedPairs = [Pair("Ana", "Bo")] };
        var draft = MatchingEngine.Draft(request);
        Assert.False(draft.Pairs("Ana", "Bo"));
        Assert.Contains(draft.Notes, n => n.Contains("Pinned pair Ana & Bo was not kept: it breaks a hard rule (same manager)", StringComparison.Ordinal));
    }

    [Fact]
    public void Withdrawn_and_excluded_people_are_set_aside_not_matched()
    {
        var people = new[] { Person("Ana"), Person("Bo") with { Status = ParticipantStatus.Withdrawn }, Person("Cy"), Person("Di") };
        var request = Request(Program(), people) with { ExcludedParticipantIds = ["Di"] };
        var draft = MatchingEngine.Draft(request);
        Assert.Equal(["Ana", "Cy"], draft.Ids().Order());
        Assert.Equal(["Bo", "Di"], draft.SetAside.Select(s => s.Person.Id).Order());
        Assert.Equal(2, draft.Stats.People);
    }

    [Fact]
    public void Trio_placement_respects_rules_with_both_members()
    {
        // Ana-Bo are the best pair, Cy and Di are left; whoever is odd must not join a pair with their manager.
        var people = new[]
        {
            Person("Ana", A("goals", "writing")),
            Person("Bo", A("goals", "writing")),
            Person("Cy", A("goals", "writing"), Manager("Ana")),
            Person("Di", A("goals", "leadership")),
            Person("Ed", A("goals", "leadership")),
        };
        var draft = Draft(Program([Goals], odd: OddCountPolicy.Trio), people);
        var trio = Assert.Single(draft.Trios);
        Assert.False(draft.Pairs("Ana", "Cy"));
        Assert.Equal(5, draft.Stats.PeopleMatched);
        Assert.Equal(3, trio.Members.Count);
    }

    [Fact]
    public void A_leftover_no_pair_can_take_is_waitlisted_with_the_reason()
    {
        // Bo and Cy may each pair with Ana but not with each other: whoever is left cannot join the pair.
        var people = new[] { Person("Ana"), Person("Bo", A("doNotMatch", "cy@example.com")), Person("Cy") };
        var draft = Draft(Program(odd: OddCountPolicy.Trio), people);
        Assert.Single(draft.Pairs);
        var entry = Assert.Single(draft.Waitlist);
        Assert.EndsWith("no pair can take them as a third without breaking a rule", entry.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Most_pairs_objective_pairs_more_people_than_highest_score()
    {
        // A path Ana - Bo - Cy - Di where the middle pair scores high and the outer pairs low:
        // HighestScore takes Bo-Cy alone (12 > 0 + 0), MostPairs takes Ana-Bo and Cy-Di.
        var people = new[] { Person("Ana"), Person("Bo", A("goals", "writing")), Person("Cy", A("goals", "writing")), Person("Di") };
        ParticipantPair[] forbidden = [Pair("Ana", "Cy"), Pair("Ana", "Di"), Pair("Bo", "Di")];
        var highest = MatchingEngine.Draft(Request(Program([Goals], objective: MatchingObjective.HighestScore), people) with { ForbiddenPairs = forbidden });
        var most = MatchingEngine.Draft(Request(Program([Goals], objective: MatchingObjective.MostPairsThenScore), people) with { ForbiddenPairs = forbidden });
        Assert.Equal(2, highest.Stats.PeopleMatched);
        Assert.Equal(12, highest.Stats.TotalScore);
        Assert.Equal(4, most.Stats.PeopleMatched);
        Assert.Equal(0, most.Stats.TotalScore);
        Assert.All(highest.Waitlist, w => Assert.Equal(WaitlistReason.LowerTotalScore, w.Reason));
    }

    [Fact]
    public void Most_pairs_objective_picks_the_best_score_among_perfect_pairings()
    {
        var people = new[]
        {
            Person("Ana", A("goals", "writing")), Person("Bo", A("goals", "leadership")),
            Person("Cy", A("goals", "writing")), Person("Di", A("goals", "leadership")),
        };
        var draft = Draft(Program([Goals]), people);
        Assert.True(draft.Pairs("Ana", "Cy"));
        Assert.True(draft.Pairs("Bo", "Di"));
        Assert.Equal(24, draft.Stats.TotalScore);
    }

    [Fact]
    public void The_certificate_states_that_no_other_set_of_pairs_scores_higher()
    {
        var draft = Draft(Program([Goals]), Person("Ana", A("goals", "writing")), Person("Bo", A("goals", "writing")));
        var certificate = draft.Certificate!;
        Assert.True(certificate.IsOptimal);
        Assert.StartsWith("No other set of pairs scores higher", certificate.Statement, StringComparison.Ordinal);
        Assert.Equal("the most people paired, then the highest total score", certificate.Objective);
        Assert.Equal(1, certificate.AllowedPairs);
    }

    [Fact]
    public void Each_pair_carries_its_points_per_criterion_and_a_sentence()
    {
        var draft = Draft(Program([Goals, Department]),
            Person("Ana", A("goals", "negotiation"), A("department", "Sales")),
            Person("Bo", A("goals", "negotiation"), A("department", "Legal")));
        var pair = Assert.Single(draft.Pairs);
        Assert.Equal(17, pair.Score);
        Assert.Equal("both chose negotiation (goals); different department (Sales and Legal)", pair.Sentence);
        Assert.Equal([12, 5], pair.Criteria.Select(c => c.Points));
    }
}
