using Mentoring.Core.Matching;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;
using static Mentoring.Core.Tests.Matching.MatchingFixtures;

namespace Mentoring.Core.Tests.Matching.Roles;

public class MentorMenteeDraftTests
{
    private static MentoringProgram Roles(PairingShape shape = PairingShape.MentorMentee, int gap = 1) => Program([Level, Goals]) with
    {
        Pairing = shape,
        Roles = new RolePolicy { MaxMentees = 3, SeniorityGap = gap },
    };

    private static Participant Mentor(string name, string level, int capacity, params string[] goals) =>
        Person(name, A(BuiltInQuestions.Role, "mentor"), A(BuiltInQuestions.Capacity, $"{capacity}"), A("level", level), A("goals", goals));

    private static Participant Mentee(string name, string level, params string[] goals) =>
        Person(name, A(BuiltInQuestions.Role, "mentee"), A("level", level), A("goals", goals));

    [Fact]
    public void Mentors_take_up_to_their_capacity_and_the_rest_wait_with_the_capacity_reason()
    {
        var people = new[]
        {
            Mentor("Ana", "Staff", 2, "leadership"), Mentor("Ben", "Senior", 1, "writing"),
            Mentee("Bo", "Junior", "leadership"), Mentee("Cy", "Junior", "leadership"), Mentee("Di", "Mid", "writing"), Mentee("Ed", "Junior", "writing"),
        };
        var draft = MatchingEngine.Draft(Request(Roles(), people));

        Assert.Equal(3, draft.Pairs.Count);
        Assert.Equal(2, draft.Pairs.Count(p => p.A.Id == "Ana"));
        Assert.Equal(1, draft.Pairs.Count(p => p.A.Id == "Ben"));
        Assert.All(draft.Pairs, p => Assert.StartsWith($"{p.A.Name} will mentor {p.B.Name}", p.Sentence, StringComparison.Ordinal));
        var waiting = Assert.Single(draft.Waitlist);
        Assert.Contains("no mentor with capacity left", waiting.Explanation, StringComparison.Ordinal);
        Assert.True(draft.Certificate!.IsOptimal, draft.Certificate.VerifierReason);
    }

    [Fact]
    public void The_mentor_is_senior_by_the_gap_and_reverse_mentoring_turns_it_around()
    {
        var people = new[] { Mentor("Ana", "Staff", 1), Mentee("Bo", "Principal"), Mentee("Cy", "Junior") };
        var forward = MatchingEngine.Draft(Request(Roles(), people));
        var pair = Assert.Single(forward.Pairs);
        Assert.Equal(("Ana", "Cy"), (pair.A.Id, pair.B.Id));

        var reverse = MatchingEngine.Draft(Request(Roles(PairingShape.Reverse), people));
        pair = Assert.Single(reverse.Pairs);
        Assert.Equal(("Ana", "Bo"), (pair.A.Id, pair.B.Id));
        Assert.Contains("reverse mentoring", pair.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void Hard_rules_hold_between_mentor_and_mentee()
    {
        var people = new[]
        {
            Person("Ana", A(BuiltInQuestions.Role, "mentor"), A("level", "Staff"), Manager("Zed")),
            Person("Bo", A(BuiltInQuestions.Role, "mentee"), A("level", "Junior"), Manager("Zed")),
        };
        var draft = MatchingEngine.Draft(Request(Roles(), people));
        Assert.Empty(draft.Pairs);
        Assert.Contains(draft.Waitlist, w => w.Person.Id == "Bo" && w.Reason == WaitlistReason.NoAllowedPartner);
    }

    [Fact]
    public void People_who_said_either_get_the_side_the_optimum_needs()
    {
        // Two mentees need a mentor; Cy said either and is senior: the solver makes Cy a mentor, not a third mentee.
        var people = new[]
        {
            Mentor("Ana", "Staff", 1, "leadership"),
            Person("Cy", A(BuiltInQuestions.Role, "either"), A(BuiltInQuestions.Capacity, "1"), A("level", "Senior"), A("goals", "writing")),
            Mentee("Bo", "Junior", "leadership"), Mentee("Di", "Junior", "writing"),
        };
        var draft = MatchingEngine.Draft(Request(Roles(), people));
        Assert.Equal(2, draft.Pairs.Count);
        Assert.Contains(draft.Pairs, p => p.A.Id == "Cy");
        Assert.Contains(draft.Notes, n => n.Contains("Cy said either", StringComparison.Ordinal) && n.Contains("Cy mentors", StringComparison.Ordinal));
        Assert.True(draft.Certificate!.IsOptimal);
    }

    [Fact]
    public void A_random_roles_program_never_overfills_a_mentor_and_is_certified()
    {
        for (var seed = 0; seed < 60; seed++)
        {
            var rng = new Random(seed);
            var levels = Level.Options;
            var people = Enumerable.Range(0, rng.Next(2, 25)).Select(i =>
            {
                var role = rng.Next(3) switch { 0 => "mentor", 1 => "mentee", _ => "either" };
                return Person($"P{i}", A(BuiltInQuestions.Role, role), A(BuiltInQuestions.Capacity, $"{rng.Next(1, 4)}"),
                    A("level", levels[rng.Next(levels.Count)]), A("goals", Goals.Options[rng.Next(4)]));
            }).ToList();
            var draft = MatchingEngine.Draft(Request(Roles(gap: rng.Next(0, 2)), people));
            foreach (var mentor in draft.Pairs.GroupBy(p => p.A.Id))
            {
                var capacity = int.Parse(people.Single(p => p.Id == mentor.Key).Answers[BuiltInQuestions.Capacity][0], System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(mentor.Count() <= capacity, $"seed {seed}: {mentor.Key} has {mentor.Count()} mentees, capacity {capacity}");
            }
            Assert.Equal(draft.Pairs.Count, draft.Pairs.Select(p => p.B.Id).Distinct().Count());
            Assert.Empty(draft.Pairs.Select(p => p.A.Id).Intersect(draft.Pairs.Select(p => p.B.Id)));
            Assert.True(draft.Certificate!.IsOptimal, $"seed {seed}: {draft.Certificate.VerifierReason}");
            var placed = draft.Pairs.SelectMany(p => new[] { p.A.Id, p.B.Id }).Concat(draft.Waitlist.Select(w => w.Person.Id)).Distinct().Count();
            Assert.Equal(people.Count, placed);
        }
    }
}
