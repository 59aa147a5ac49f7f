using Mentoring.Core.Matching;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;
using static Mentoring.Core.Tests.Matching.MatchingFixtures;

namespace Mentoring.Core.Tests.Matching.Roles;

/// <summary>The roles engine's side of user-led pairing: suggestions that cross sides, and the deadline's draft around the pairs formed.</summary>
public class UserLedRolesMatchingTests
{
    private static MentoringProgram Roles() => Program([Level, Goals]) with
    {
        Pairing = PairingShape.MentorMentee,
        Roles = new RolePolicy { MaxMentees = 3, SeniorityGap = 1 },
    };

    private static Participant Mentor(string name, string level, int capacity, params string[] goals) =>
        Person(name, A(BuiltInQuestions.Role, "mentor"), A(BuiltInQuestions.Capacity, $"{capacity}"), A("level", level), A("goals", goals));

    private static Participant Mentee(string name, string level, params string[] goals) =>
        Person(name, A(BuiltInQuestions.Role, "mentee"), A("level", level), A("goals", goals));

    private static Participant Either(string name, string level, params string[] goals) =>
        Person(name, A(BuiltInQuestions.Role, "either"), A(BuiltInQuestions.Capacity, "1"), A("level", level), A("goals", goals));

    private static readonly Participant[] People =
    [
        Mentor("Ana", "Staff", 2, "leadership"), Mentor("Ben", "Senior", 1, "writing"),
        Mentee("Bo", "Junior", "leadership"), Mentee("Cy", "Junior", "leadership"), Mentee("Di", "Mid", "writing"), Mentee("Ed", "Junior", "writing"),
    ];

    [Fact]
    public void The_pairs_people_formed_hold_and_the_engine_matches_the_rest_against_the_mentors_remaining_capacity()
    {
        // Ana took Ed (a weak fit, but their own choice) and has one place left; Ben has one.
        var draft = MatchingEngine.Draft(Request(Roles(), People) with { PinnedPairs = [Pair("Ana", "Ed")] });

        Assert.Equal(3, draft.Pairs.Count);
        Assert.Contains(draft.Pairs, p => (p.A.Id, p.B.Id, p.Pinned) == ("Ana", "Ed", true));
        Assert.Equal(2, draft.Pairs.Count(p => p.A.Id == "Ana"));
        Assert.Equal(1, draft.Pairs.Count(p => p.A.Id == "Ben"));
        var waiting = Assert.Single(draft.Waitlist);
        Assert.Contains("no mentor with capacity left", waiting.Explanation, StringComparison.Ordinal);
        Assert.True(draft.Certificate!.IsOptimal, draft.Certificate.VerifierReason);
        Assert.Contains("these 2 pairs are optimal", draft.Certificate.Statement, StringComparison.Ordinal); // the two the engine matched
        Assert.Contains("One pinned pair was fixed first", draft.Certificate.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pin_written_mentee_first_is_read_the_right_way_round()
    {
        var draft = MatchingEngine.Draft(Request(Roles(), People) with { PinnedPairs = [Pair("Ed", "Ana")] });

        var pinned = Assert.Single(draft.Pairs, p => p.Pinned);
        Assert.Equal(("Ana", BuiltInQuestions.RoleOptions.Mentor, "Ed", BuiltInQuestions.RoleOptions.Mentee), (pinned.A.Id, pinned.A.Role, pinned.B.Id, pinned.B.Role));
    }

    [Fact]
    public void A_mentor_who_takes_nobody_beyond_their_pins_gets_no_other_mentee()
    {
        var draft = MatchingEngine.Draft(Request(Roles(), People) with { PinnedPairs = [Pair("Ana", "Ed")], PinnedOnlyParticipantIds = ["Ana"] });

        Assert.Equal("Ed", Assert.Single(draft.Pairs, p => p.A.Id == "Ana").B.Id);
        Assert.Equal(2, draft.Waitlist.Count);
    }

    [Fact]
    public void Pins_that_break_the_sides_or_a_capacity_are_dropped_with_a_note()
    {
        var draft = MatchingEngine.Draft(Request(Roles(), People) with
        {
            PinnedPairs = [Pair("Bo", "Cy"), Pair("Ben", "Di"), Pair("Ben", "Ed"), Pair("Ana", "Di")],
        });

        Assert.Equal([("Ben", "Di")], draft.Pairs.Where(p => p.Pinned).Select(p => (p.A.Id, p.B.Id)));
        Assert.Contains(draft.Notes, n => n.Contains("Bo & Cy was not kept: one of them must be a mentor", StringComparison.Ordinal));
        Assert.Contains(draft.Notes, n => n.Contains("Ben & Ed was not kept: Ben has no capacity left", StringComparison.Ordinal));
        Assert.Contains(draft.Notes, n => n.Contains("Ana & Di was not kept: a mentee can be pinned to only one mentor", StringComparison.Ordinal));
    }

    [Fact]
    public void A_mentee_is_suggested_only_mentors_who_may_mentor_them_and_a_mentor_only_mentees()
    {
        var people = People.Append(Mentee("Fi", "Staff", "leadership")).Append(Either("Gus", "Mid", "writing")).Append(Either("Hal", "Senior", "leadership")).ToList();

        var suggestions = PartnerSuggestions.ForEveryone(Request(Roles(), people), 10);

        // Bo (Junior) may be mentored by Ana, Ben, Gus (Mid) and Hal; never by another mentee.
        Assert.Equal(["Ana", "Ben", "Gus", "Hal"], suggestions["Bo"].Select(s => s.ParticipantId).Order(StringComparer.Ordinal));
        Assert.All(suggestions["Bo"], s => Assert.Equal(BuiltInQuestions.RoleOptions.Mentor, s.PartnerRole));
        // Fi (Staff) is senior to every mentor but Ana's level: the seniority gap leaves nobody.
        Assert.Empty(suggestions["Fi"]);
        // Ana is suggested mentees, and people who said either as mentees; Gus and Hal (both either) never each other.
        Assert.All(suggestions["Ana"], s => Assert.Equal(BuiltInQuestions.RoleOptions.Mentee, s.PartnerRole));
        Assert.DoesNotContain(suggestions["Gus"], s => s.ParticipantId == "Hal");
        Assert.Contains(suggestions["Gus"], s => s.ParticipantId == "Ana" && s.PartnerRole == BuiltInQuestions.RoleOptions.Mentor);
        Assert.Contains(suggestions["Gus"], s => s.ParticipantId == "Bo" && s.PartnerRole == BuiltInQuestions.RoleOptions.Mentee);
        // The score is the one-way roles score of the draft (mentor over mentee).
        var anaBo = MatchingEngine.Draft(Request(Roles(), [People[0], People[2]])).Pairs.Single();
        Assert.Equal(anaBo.Score, suggestions["Bo"].Single(s => s.ParticipantId == "Ana").Score);
        Assert.Equal(anaBo.Score, suggestions["Ana"].Single(s => s.ParticipantId == "Bo").Score);
    }

    [Fact]
    public void A_mentor_whose_capacity_is_used_up_by_active_pairs_is_not_suggested()
    {
        var request = Request(Roles(), People) with { History = new MatchingHistory { ActivePairings = new Dictionary<string, int> { ["Ben"] = 1 } } };

        var suggestions = PartnerSuggestions.ForEveryone(request, 10);

        Assert.DoesNotContain(suggestions["Di"], s => s.ParticipantId == "Ben");
        Assert.Empty(suggestions["Ben"]);
    }
}
