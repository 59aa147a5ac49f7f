using Mentoring.Core.Common;
using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;
using static Mentoring.Core.Tests.Engagement.CheckIns.CheckInFixture;

namespace Mentoring.Core.Tests.Engagement.CheckIns;

/// <summary>The admins' desk for published matches, on the real SQLite store: the list and its filters, ending, rematching.</summary>
public sealed class MatchDeskTests : IDisposable
{
    private readonly CheckInFixture f = new();

    public void Dispose() => f.Dispose();

    private async Task<(string First, string Second, string Third)> ThreeMatchesAsync(ProgramKind kind = ProgramKind.Cohort)
    {
        await f.AddProgramAsync(kind: kind);
        await f.AddPeopleAsync("ana", "bo", "cy", "di", "ed");
        // Published out of order: the list goes by publication time, then id.
        var third = await f.AddMatchAsync(2, Start.AddDays(2), "ed", "ana");
        var first = await f.AddMatchAsync(0, Start, "ana", "bo");
        var second = await f.AddMatchAsync(1, Start, "cy", "di");
        return (first, second, third);
    }

    private async Task MetAsync(string matchId, int round, string participantId, int minutes) =>
        await f.Store.UpsertAsync(EngagementDocuments.CheckIn(ProgramId, matchId, round, participantId), new CheckInRecord
        {
            ProgramId = ProgramId, MatchId = matchId, ParticipantId = participantId, Round = round, DueAt = Day(14 * round),
            Answer = CheckInAnswer.Met, Minutes = minutes, AnsweredAt = Day(14 * round + 1),
        });

    [Fact]
    public async Task The_list_goes_by_publication_and_filters_by_status_and_risk_with_each_matchs_figures()
    {
        var (first, second, third) = await ThreeMatchesAsync();
        await MetAsync(first, 1, "ana", 60);
        await MetAsync(first, 1, "bo", 45);
        await f.Store.UpdateAsync<PublishedMatch>(CheckInDocuments.Match(ProgramId, second), m => m with { AtRiskSince = Day(30) });
        await f.Matches.EndAsync(ProgramId, third, "moved teams");

        var all = await f.Matches.ListAsync(ProgramId, status: null, atRisk: null);
        Assert.Equal([first, second, third], all.Select(s => s.Match.Id));
        var figures = all[0];
        Assert.Equal((1, 60, 1.0, 2, 2), (figures.Meetings, figures.Minutes, figures.Hours, figures.CheckInsSent, figures.CheckInsAnswered));

        Assert.Equal([first, second], (await f.Matches.ListAsync(ProgramId, MatchStatus.Active, atRisk: null)).Select(s => s.Match.Id));
        Assert.Equal([third], (await f.Matches.ListAsync(ProgramId, MatchStatus.Ended, atRisk: null)).Select(s => s.Match.Id));
        Assert.Equal([second], (await f.Matches.ListAsync(ProgramId, status: null, atRisk: true)).Select(s => s.Match.Id));
        Assert.Equal([first, third], (await f.Matches.ListAsync(ProgramId, status: null, atRisk: false)).Select(s => s.Match.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => f.Matches.ListAsync("autumn", null, null));
    }

    [Theory]
    [InlineData(null, Rules.Required)]
    [InlineData("   ", Rules.Required)]
    public async Task Ending_needs_a_reason_and_changes_nothing_without_one(string? reason, string rule)
    {
        var (first, _, _) = await ThreeMatchesAsync();

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => f.Matches.EndAsync(ProgramId, first, reason));

        Assert.Equal(("reason", rule), (error.Errors[0].Field, error.Errors[0].Rule));
        Assert.Equal(MatchStatus.Active, (await f.MatchAsync(first)).Status);
    }

    [Fact]
    public async Task A_reason_may_be_500_characters_not_501()
    {
        var (first, second, _) = await ThreeMatchesAsync();

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => f.Matches.EndAsync(ProgramId, first, new string('x', MatchDesk.MaxReasonLength + 1)));
        Assert.Equal(("reason", Rules.TooLong, "Keep the reason under 500 characters."), (error.Errors[0].Field, error.Errors[0].Rule, error.Errors[0].Detail));
        Assert.Equal(MatchStatus.Active, (await f.MatchAsync(first)).Status);

        Assert.Equal(MatchStatus.Ended, (await f.Matches.EndAsync(ProgramId, second, new string('x', MatchDesk.MaxReasonLength))).Status);
    }

    [Fact]
    public async Task Ending_keeps_the_trimmed_reason_and_the_time_clears_the_risk_and_a_second_end_changes_nothing()
    {
        var (first, _, _) = await ThreeMatchesAsync();
        await f.Store.UpdateAsync<PublishedMatch>(CheckInDocuments.Match(ProgramId, first), m => m with { AtRiskSince = Day(30) });
        f.Clock.Set(Day(40));

        var ended = await f.Matches.EndAsync(ProgramId, first, "  moved teams ");
        f.Clock.Set(Day(50));
        var again = await f.Matches.EndAsync(ProgramId, first, "another reason");

        Assert.Equal((MatchStatus.Ended, Day(40), "moved teams", (DateTimeOffset?)null), (ended.Status, ended.EndedAt, ended.EndReason, ended.AtRiskSince));
        Assert.Equal((Day(40), "moved teams"), (again.EndedAt, again.EndReason));
        await Assert.ThrowsAsync<NotFoundException>(() => f.Matches.EndAsync(ProgramId, "w1-m099", "moved teams"));
        await Assert.ThrowsAsync<NotFoundException>(() => f.Matches.EndAsync("autumn", first, "moved teams"));
    }

    [Fact]
    public async Task Rematching_is_for_evergreen_programs()
    {
        var (first, _, _) = await ThreeMatchesAsync(ProgramKind.Cohort);

        var error = await Assert.ThrowsAsync<ConflictException>(() => f.Matches.RequestRematchAsync(ProgramId, "bo"));

        Assert.Equal("'Spring <buddies>' is a cohort program; rematches are for evergreen programs, whose matching rounds repeat.", error.Message);
        Assert.Equal(MatchStatus.Active, (await f.MatchAsync(first)).Status);
        Assert.Null((await f.PersonAsync("bo")).RematchRequestedAt);
    }

    [Fact]
    public async Task A_rematch_ends_the_persons_only_match_and_marks_them_once()
    {
        var (first, second, _) = await ThreeMatchesAsync(ProgramKind.Evergreen);
        f.Clock.Set(Day(20));

        var outcome = await f.Matches.RequestRematchAsync(ProgramId, "bo", matchId: " ");
        f.Clock.Set(Day(21));
        var again = await f.Matches.RequestRematchAsync(ProgramId, "bo");

        Assert.Equal([first], outcome.EndedMatches.Select(m => m.Id));
        Assert.Equal((MatchStatus.Ended, MatchDesk.RematchReason), ((await f.MatchAsync(first)).Status, (await f.MatchAsync(first)).EndReason));
        Assert.Equal(MatchStatus.Active, (await f.MatchAsync(second)).Status);
        Assert.Equal(Day(20), outcome.Participant.RematchRequestedAt);
        Assert.Equal((Day(20), 0), (again.Participant.RematchRequestedAt, again.EndedMatches.Count));
    }

    [Fact]
    public async Task Someone_in_several_matches_names_the_one_that_ends_and_only_that_one_ends()
    {
        var (first, second, third) = await ThreeMatchesAsync(ProgramKind.Evergreen);

        var unnamed = await Assert.ThrowsAsync<ValidationFailedException>(() => f.Matches.RequestRematchAsync(ProgramId, "ana"));
        Assert.Equal(("matchId", Rules.Required), (unnamed.Errors[0].Field, unnamed.Errors[0].Rule));
        Assert.Contains($"holds 2 active matches ({first}, {third})", unnamed.Errors[0].Detail, StringComparison.Ordinal);
        var foreign = await Assert.ThrowsAsync<ValidationFailedException>(() => f.Matches.RequestRematchAsync(ProgramId, "ana", second));
        Assert.Equal(("matchId", Rules.OptionNotAllowed), (foreign.Errors[0].Field, foreign.Errors[0].Rule));
        Assert.Null((await f.PersonAsync("ana")).RematchRequestedAt);

        var outcome = await f.Matches.RequestRematchAsync(ProgramId, "ana", $" {third} ");

        Assert.Equal([third], outcome.EndedMatches.Select(m => m.Id));
        Assert.Equal([first], (await f.Matches.ActiveMatchesOfAsync(ProgramId, "ana")).Select(m => m.Id));
        Assert.Equal([second], (await f.Matches.ActiveMatchesOfAsync(ProgramId, "cy")).Select(m => m.Id));
    }

    [Fact]
    public async Task Someone_who_left_cannot_be_rematched_and_nobody_unknown_can()
    {
        var (first, _, _) = await ThreeMatchesAsync(ProgramKind.Evergreen);
        await f.ChangeAsync("bo", p => p with { Status = ParticipantStatus.Withdrawn });

        await Assert.ThrowsAsync<ConflictException>(() => f.Matches.RequestRematchAsync(ProgramId, "bo"));
        Assert.Equal(MatchStatus.Active, (await f.MatchAsync(first)).Status);
        await Assert.ThrowsAsync<NotFoundException>(() => f.Matches.RequestRematchAsync(ProgramId, "zed"));
    }
}
