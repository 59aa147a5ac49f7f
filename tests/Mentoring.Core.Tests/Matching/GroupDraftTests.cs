using Mentoring.Core.Matching;
using Mentoring.Core.Matching.Groups;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using static Mentoring.Core.Tests.Matching.MatchingFixtures;

namespace Mentoring.Core.Tests.Matching;

public class GroupDraftTests
{
    private static MentoringProgram Groups(int size) => Program([Goals, Department], ProgramKind.Groups, groupSize: size);

    private static Participant[] Clusters(int perCluster, params string[] goals) =>
        [.. goals.SelectMany(g => Enumerable.Range(0, perCluster).Select(i => Person($"{g[..3]}{i}", A("goals", g))))];

    [Theory]
    [InlineData(8, 4, new[] { 4, 4 })]
    [InlineData(9, 3, new[] { 3, 3, 3 })]
    [InlineData(6, 4, new[] { 3, 3 })]
    [InlineData(5, 4, new[] { 5 })]
    [InlineData(7, 5, new[] { 4, 3 })]
    [InlineData(2, 4, new[] { 2 })]
    [InlineData(1, 4, new int[0])]
    [InlineData(22, 5, new[] { 6, 6, 5, 5 })]
    public void Group_sizes_follow_the_program_and_deviate_only_when_the_count_forces_it(int people, int size, int[] expected)
    {
        Assert.Equal(expected, GroupDrafter.TargetSizes(people, size));
    }

    [Fact]
    public void People_with_the_same_goals_end_up_together()
    {
        var draft = MatchingEngine.Draft(Request(Groups(4), Clusters(4, "writing", "leadership", "negotiation")));
        Assert.Equal(3, draft.Groups.Count);
        Assert.All(draft.Groups, g =>
        {
            Assert.Equal(4, g.Members.Count);
            Assert.Single(g.Members.Select(m => m.Id[..3]).Distinct());
            Assert.Equal(6 * 12, g.Score);
        });
        Assert.Null(draft.Certificate);
        Assert.Contains("not proven optimal", draft.GroupSearch!.Objective, StringComparison.Ordinal);
        Assert.Equal(12, draft.Stats.PeopleMatched);
    }

    [Fact]
    public void No_group_holds_two_people_with_the_same_manager()
    {
        var people = Enumerable.Range(0, 8).Select(i => Person($"P{i}", A("goals", "writing"), Manager(i % 2 == 0 ? "BossA" : "BossB"))).ToArray();
        var draft = MatchingEngine.Draft(Request(Groups(3), people));
        // Four people per manager: groups can hold at most one of each, so at most pairs.
        Assert.All(draft.Groups, g => Assert.Equal(2, g.Members.Select(m => m.Id[1] % 2).Distinct().Count()));
        Assert.All(draft.Groups, g => Assert.Equal(2, g.Members.Count));
        Assert.Equal(8, draft.Stats.PeopleMatched + draft.Stats.PeopleWaitlisted);
    }

    [Fact]
    public void Someone_no_group_can_take_is_waitlisted_with_the_reason()
    {
        // Ed may be paired with Ana only, and Ana's group of four is full with people Ed must avoid.
        var people = new[]
        {
            Person("Ana"), Person("Bo"), Person("Cy"), Person("Di"),
            Person("Ed", A("doNotMatch", "bo@example.com", "cy@example.com", "di@example.com")),
        };
        var request = Request(Program(kind: ProgramKind.Groups, groupSize: 3), people) with
        {
            PinnedPairs = [Pair("Bo", "Cy")],
        };
        var draft = MatchingEngine.Draft(request);
        foreach (var (a, b) in draft.Together())
        {
            Assert.True(RandomPrograms.Allowed(request, a, b), $"{a} and {b}");
        }
        Assert.Equal(5, draft.Stats.PeopleMatched + draft.Stats.PeopleWaitlisted);
    }

    [Fact]
    public void Everyone_under_one_manager_is_waitlisted_in_a_group_program_too()
    {
        var people = Enumerable.Range(0, 5).Select(i => Person($"P{i}", Manager("Boss"))).ToArray();
        var draft = MatchingEngine.Draft(Request(Groups(3), people));
        Assert.Empty(draft.Groups);
        Assert.All(draft.Waitlist, w => Assert.Equal(WaitlistReason.NoAllowedPartner, w.Reason));
        Assert.Equal(5, draft.Waitlist.Count);
    }

    [Fact]
    public void Pinned_pairs_stay_in_one_group()
    {
        var people = Clusters(4, "writing", "leadership");
        var request = Request(Groups(4), people) with { PinnedPairs = [Pair("wri0", "lea0")] };
        var draft = MatchingEngine.Draft(request);
        Assert.Contains(draft.Groups, g => g.Members.Any(m => m.Id == "wri0") && g.Members.Any(m => m.Id == "lea0"));
    }

    [Fact]
    public void Local_search_repairs_a_poor_start_and_reports_its_moves()
    {
        // Buddies (30 points) are the best pairs, so exact pairing takes A-D, B-E, C-F; merging those into groups
        // of three starts at {A,D,C} {B,E,F} = 100. Teams (20 points) make {A,B,C} {D,E,F} = 120: one swap away.
        var team = new Mentoring.Core.Questionnaires.Question { Key = "team", Type = Mentoring.Core.Questionnaires.QuestionType.FreeText, Role = Mentoring.Core.Questionnaires.MatchingRole.Similar, Weight = 20 };
        var buddy = team with { Key = "buddy", Weight = 30 };
        var people = new[]
        {
            Person("A", A("team", "x"), A("buddy", "1")), Person("B", A("team", "x"), A("buddy", "2")), Person("C", A("team", "x"), A("buddy", "3")),
            Person("D", A("team", "y"), A("buddy", "1")), Person("E", A("team", "y"), A("buddy", "2")), Person("F", A("team", "y"), A("buddy", "3")),
        };
        var draft = MatchingEngine.Draft(Request(Program([team, buddy], ProgramKind.Groups, groupSize: 3), people));
        var search = draft.GroupSearch!;
        Assert.Equal(100, search.StartScore);
        Assert.Equal(120, search.EndScore);
        Assert.Equal(1, search.Swaps);
        Assert.True(search.LocalOptimum);
        Assert.Equal(["ABC", "DEF"], draft.Groups.Select(g => string.Concat(g.Members.Select(m => m.Id).Order())).Order());
        Assert.StartsWith("Exact pairs were merged into groups (100 points); local search made zero moves and one swap in two passes, reaching 120 points (+20%).", search.Summary, StringComparison.Ordinal);
    }
}
