using Mentoring.Core.Programs;
using Mentoring.Core.Windows;
using static Mentoring.Core.Tests.Mail.MailFixtures;

namespace Mentoring.Core.Tests.Windows;

/// <summary>What a round starts from: earlier pairs never to repeat, who waited last time, and who has room for another pair.</summary>
public sealed class RoundInputsTests
{
    private static PublishedMatch Match(string windowId, MatchStatus status, params string[] ids) => new()
    {
        Id = $"{windowId}:{string.Join("+", ids)}",
        ProgramId = "spring",
        WindowId = windowId,
        Version = 1,
        Members = [.. ids.Select(id => new MatchMember(id, id, $"{id}@example.com"))],
        Status = status,
    };

    private static RoundResult Round(string windowId, int day, params string[] waitlisted) =>
        new(windowId, 1, At.AddDays(day), waitlisted);

    [Fact]
    public void A_round_is_drafted_against_the_pairs_of_earlier_rounds_and_whoever_waited_in_the_latest_of_them()
    {
        var matches = new[]
        {
            Match("w-jan", MatchStatus.Active, "ana", "bo"), Match("w-feb", MatchStatus.Ended, "ana", "cy"), Match("w-mar", MatchStatus.Active, "di", "ed"),
        };
        var rounds = new[] { Round("w-feb", 30, "fay"), Round("w-jan", 0, "gus"), Round("w-mar", 60, "hal") };

        var history = RoundInputs.History(matches, rounds, "w-mar");

        // The window's own matches and waitlist are not "earlier": recomputing it must not avoid its own pairs.
        Assert.Equal([["ana", "bo"], ["ana", "cy"]], history.PreviousGroups.Select(g => g.ToArray()));
        Assert.Equal(["fay"], history.WaitlistedLastRound);
        Assert.Equal([("ana", 1), ("bo", 1)], history.ActivePairings.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)));
    }

    [Fact]
    public void A_round_not_yet_opened_counts_every_round_so_far()
    {
        var matches = new[] { Match("w-jan", MatchStatus.Active, "ana", "bo"), Match("w-feb", MatchStatus.Active, "ana", "cy") };

        var history = RoundInputs.History(matches, [Round("w-jan", 0, "gus"), Round("w-feb", 30, "fay")], windowId: null);

        Assert.Equal(2, history.PreviousGroups.Count);
        Assert.Equal(["fay"], history.WaitlistedLastRound);
        Assert.Equal(2, history.ActivePairings["ana"]);
    }

    [Fact]
    public void The_first_round_has_no_history()
    {
        var history = RoundInputs.History([], [], "w-jan");

        Assert.Empty(history.PreviousGroups);
        Assert.Empty(history.WaitlistedLastRound);
        Assert.Empty(history.ActivePairings);
    }

    [Fact]
    public void An_evergreen_round_takes_newcomers_and_people_whose_pair_ended_and_a_cohort_takes_everyone()
    {
        var people = new[] { Signup(Ana), Signup(Bo), Signup(Cy), Signup(Di) };
        var matches = new[] { Match("w-jan", MatchStatus.Active, Ana.Id, Bo.Id), Match("w-feb", MatchStatus.Ended, Cy.Id, Ana.Id) };

        var evergreen = RoundInputs.Eligible(Program(ProgramKind.Evergreen), people, matches);
        var cohort = RoundInputs.Eligible(Program(ProgramKind.Cohort), people, matches);

        Assert.Equal([Cy.Id, Di.Id], evergreen.Select(p => p.Id));
        Assert.Equal(people.Select(p => p.Id), cohort.Select(p => p.Id));
    }
}
