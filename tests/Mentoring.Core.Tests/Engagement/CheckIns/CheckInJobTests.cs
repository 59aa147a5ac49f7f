using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Work;
using static Mentoring.Core.Tests.Engagement.CheckIns.CheckInFixture;

namespace Mentoring.Core.Tests.Engagement.CheckIns;

/// <summary>The check-in timer over a real SQLite store with a moving clock: which rounds, when, for whom.</summary>
public sealed class CheckInJobTests : IDisposable
{
    private readonly CheckInFixture f = new();

    public void Dispose() => f.Dispose();

    private async Task<string> PairAsync()
    {
        await f.AddProgramAsync();
        await f.AddPeopleAsync("ana", "bo");
        return await f.AddMatchAsync(0, Start, "ana", "bo");
    }

    private static IEnumerable<(string? Who, int Round)> Rounds(IEnumerable<WorkItem> items) =>
        items.Where(i => i.Purpose == WorkPurposes.CheckInNudge).Select(i => (i.ParticipantId, int.Parse(i.Data[CheckInHandler.RoundData], System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(x => x.ParticipantId, StringComparer.Ordinal);

    [Fact]
    public async Task Each_round_is_enqueued_once_for_each_member_when_it_falls_due()
    {
        var match = await PairAsync();

        Assert.Empty(await f.RunAsync(Day(13.9)));
        var first = await f.RunAsync(Day(14));
        Assert.Equal([("ana", 1), ("bo", 1)], Rounds(first));
        Assert.Contains(first, i => i.IdempotencyKey == $"checkin:spring:{match}:ana:2027-03-15" && i.DueAt == Day(14) && i.MatchId == match);
        Assert.Empty(await f.RunAsync(Day(20)));
        Assert.Equal([("ana", 2), ("bo", 2)], Rounds(await f.RunAsync(Day(28.5))));
        Assert.Equal([("ana", 3), ("bo", 3)], Rounds(await f.RunAsync(Day(42))));
    }

    [Fact]
    public async Task Running_twice_at_one_instant_enqueues_nothing_new()
    {
        await PairAsync();
        Assert.Equal(2, (await f.RunAsync(Day(15))).Count);
        Assert.Empty(await f.RunAsync(Day(15)));
        await f.Job.RunAsync(Day(15));
        Assert.Empty(f.Queue.Drain());
    }

    [Fact]
    public async Task After_downtime_only_the_latest_round_goes_out_and_nothing_after_the_program_ends()
    {
        await PairAsync();
        Assert.Equal([("ana", 4), ("bo", 4)], Rounds(await f.RunAsync(Day(60)))); // rounds 1-3 are not sent as a backlog
        Assert.Equal([("ana", 6), ("bo", 6)], Rounds(await f.RunAsync(Day(90)))); // 90 days: round 6 (day 84) is the last
        Assert.Empty(await f.RunAsync(Day(99))); // round 6 closed at day 98; round 7 (day 98) is past the program's length
        Assert.Empty(await f.RunAsync(Day(200)));
    }

    [Fact]
    public async Task The_cadence_and_length_come_from_the_program()
    {
        await f.AddProgramAsync(new EngagementPolicy { CheckInEveryDays = 7, ProgramLengthDays = 21 });
        await f.AddPeopleAsync("ana", "bo", "cy");
        await f.AddMatchAsync(0, Start, "ana", "bo", "cy");
        Assert.Equal(3, Rounds(await f.RunAsync(Day(7))).Count(r => r.Round == 1));
        Assert.Equal(3, Rounds(await f.RunAsync(Day(14))).Count(r => r.Round == 2));
        Assert.Equal(3, Rounds(await f.RunAsync(Day(21))).Count(r => r.Round == 3));
        Assert.Empty(Rounds(await f.RunAsync(Day(28))));
    }

    [Fact]
    public async Task A_paused_person_gets_nothing_until_the_date_then_the_open_round()
    {
        await PairAsync();
        await f.ChangeAsync("ana", p => p with { PausedUntil = Day(20) });

        Assert.Equal([("bo", 1)], Rounds(await f.RunAsync(Day(14))));
        Assert.Empty(await f.RunAsync(Day(19.9)));
        Assert.Equal([("ana", 1)], Rounds(await f.RunAsync(Day(20)))); // the pause is over: the open round, not a later one
        Assert.Empty(await f.RunAsync(Day(21)));
    }

    [Fact]
    public async Task Unsubscribed_and_withdrawn_people_get_nothing_enqueued()
    {
        await f.AddProgramAsync();
        await f.AddPeopleAsync("ana", "bo", "cy", "di");
        await f.AddMatchAsync(0, Start, "ana", "bo");
        await f.AddMatchAsync(1, Start, "cy", "di");
        await f.ChangeAsync("ana", p => p with { UnsubscribedAt = Start });
        await f.ChangeAsync("cy", p => p with { Status = ParticipantStatus.Withdrawn });

        Assert.Equal([("bo", 1), ("di", 1)], Rounds(await f.RunAsync(Day(14))));
    }

    [Fact]
    public async Task Ended_and_not_yet_introduced_matches_get_no_nudges()
    {
        await f.AddProgramAsync();
        await f.AddPeopleAsync("ana", "bo");
        var match = await f.AddMatchAsync(0, Start, "ana", "bo");
        await f.Matches.EndAsync(ProgramId, match, "moved teams");
        Assert.Empty(await f.RunAsync(Day(14)));
    }

    [Fact]
    public async Task At_risk_after_the_configured_quiet_rounds_with_one_digest_listing_all_and_met_clears_it()
    {
        await f.AddProgramAsync();
        await f.AddPeopleAsync("ana", "bo", "cy", "di", "ed", "flo");
        var quiet = await f.AddMatchAsync(0, Start, "ana", "bo");
        var notYet = await f.AddMatchAsync(1, Start, "cy", "di");
        var meeting = await f.AddMatchAsync(2, Start, "ed", "flo");

        async Task Answer(string match, int round, string who, ParticipantAction action, int? minutes = null)
        {
            var token = f.Links.Sign(new ParticipantGrant
            {
                ProgramId = ProgramId, ParticipantId = who, Action = action, MatchId = match, Round = round, Minutes = minutes,
                ExpiresAtUnix = Day(14 * (round + 1)).ToUnixTimeSeconds(),
            });
            Assert.Equal(ParticipantLinkOutcome.Applied, (await f.Desk.ApplyAsync(token, ParticipantForm.Empty)).Outcome);
        }

        await f.TickAsync(Day(14));
        await Answer(notYet, 1, "cy", ParticipantAction.CheckInNotYet);
        await Answer(meeting, 1, "ed", ParticipantAction.CheckInMet, 30);
        await f.TickAsync(Day(28));
        await Answer(notYet, 2, "di", ParticipantAction.CheckInNotYet);
        await Answer(meeting, 2, "flo", ParticipantAction.CheckInNotYet);

        var beforeThird = await f.TickAsync(Day(41.9));
        Assert.DoesNotContain(beforeThird, i => i.Purpose == WorkPurposes.AtRiskDigest); // round 2 is not complete yet
        Assert.Null((await f.MatchAsync(quiet)).AtRiskSince);

        var third = await f.TickAsync(Day(42)); // rounds 1 and 2 are complete
        Assert.Equal(Day(42), (await f.MatchAsync(quiet)).AtRiskSince);
        Assert.Equal(Day(42), (await f.MatchAsync(notYet)).AtRiskSince);
        Assert.Null((await f.MatchAsync(meeting)).AtRiskSince); // "met" in round 1
        var digest = Assert.Single(third, i => i.Purpose == WorkPurposes.AtRiskDigest);
        Assert.Equal("at-risk-digest:spring:2027-04-12", digest.IdempotencyKey);
        var mails = f.Mailer.Sent.Where(m => m.Category == CheckInMailCategories.AtRisk).ToList();
        Assert.Equal(["hr@example.com", "lead@example.com"], mails.Select(m => m.To[0].Email).Order());
        Assert.All(mails, m =>
        {
            Assert.Contains("Ana and Bo", m.TextBody, StringComparison.Ordinal);
            Assert.Contains("Cy and Di", m.TextBody, StringComparison.Ordinal);
            Assert.DoesNotContain("Ed and Flo", m.TextBody, StringComparison.Ordinal);
            Assert.Contains("2 matches are newly at risk", m.Subject, StringComparison.Ordinal);
            Assert.Contains("Spring &lt;buddies&gt;", m.HtmlBody, StringComparison.Ordinal);
        });

        Assert.DoesNotContain(await f.TickAsync(Day(42.2)), i => i.Purpose == WorkPurposes.AtRiskDigest); // same day, nothing new
        Assert.Equal(2, f.Mailer.Sent.Count(m => m.Category == CheckInMailCategories.AtRisk));
        Assert.Equal(2, (await f.Matches.ListAsync(ProgramId, null, atRisk: true)).Count);

        await Answer(quiet, 3, "bo", ParticipantAction.CheckInMet, 60); // a meeting clears the flag at once
        Assert.Null((await f.MatchAsync(quiet)).AtRiskSince);
        await f.TickAsync(Day(43));
        Assert.Null((await f.MatchAsync(quiet)).AtRiskSince);
        Assert.Equal(Day(42), (await f.MatchAsync(notYet)).AtRiskSince); // still quiet: same episode, no new digest
        Assert.Equal(2, f.Mailer.Sent.Count(m => m.Category == CheckInMailCategories.AtRisk));

        // Ed and Flo: round 2 "not yet", round 3 no answer -> at risk when round 3 completes (day 56), in that day's digest alone.
        var later = await f.TickAsync(Day(56));
        Assert.Equal(Day(56), (await f.MatchAsync(meeting)).AtRiskSince);
        Assert.Equal("at-risk-digest:spring:2027-04-26", Assert.Single(later, i => i.Purpose == WorkPurposes.AtRiskDigest).IdempotencyKey);
        var newest = f.Mailer.Sent.Where(m => m.Category == CheckInMailCategories.AtRisk).Skip(2).ToList();
        Assert.Equal(2, newest.Count);
        Assert.All(newest, m => Assert.Contains("Ed and Flo", m.TextBody, StringComparison.Ordinal));
        Assert.All(newest, m => Assert.DoesNotContain("Cy and Di", m.TextBody, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_match_flagged_after_the_days_digest_went_out_is_reported_the_next_day()
    {
        await f.AddProgramAsync();
        await f.AddPeopleAsync("ana", "bo", "cy", "di");
        var early = await f.AddMatchAsync(0, Start, "ana", "bo");
        var late = await f.AddMatchAsync(1, Start.AddHours(6), "cy", "di");

        await f.TickAsync(Day(42.01));
        Assert.NotNull((await f.MatchAsync(early)).AtRiskSince);
        Assert.Null((await f.MatchAsync(late)).AtRiskSince);
        await f.TickAsync(Day(42.3)); // same day: the later match becomes at risk, but today's digest went out
        Assert.NotNull((await f.MatchAsync(late)).AtRiskSince);
        Assert.Equal(2, f.Mailer.Sent.Count(m => m.Category == CheckInMailCategories.AtRisk));

        var next = await f.TickAsync(Day(43));
        Assert.Single(next, i => i.Purpose == WorkPurposes.AtRiskDigest);
        var tomorrow = f.Mailer.Sent.Where(m => m.Category == CheckInMailCategories.AtRisk).Skip(2).ToList();
        Assert.Equal(2, tomorrow.Count);
        Assert.All(tomorrow, m => Assert.Contains("Cy and Di", m.TextBody, StringComparison.Ordinal));
        Assert.All(tomorrow, m => Assert.DoesNotContain("Ana and Bo", m.TextBody, StringComparison.Ordinal));
        Assert.DoesNotContain(await f.TickAsync(Day(44)), i => i.Purpose == WorkPurposes.AtRiskDigest);
    }

    [Fact]
    public async Task Mentoring_minutes_add_up_per_round_without_double_counting_one_meeting()
    {
        var match = await PairAsync();
        await f.TickAsync(Day(14));
        var anaMet = CheckInFixture.TokenIn(f.Mailer.To("ana@example.com").Single(), "We met (60 minutes)");
        var boMet = CheckInFixture.TokenIn(f.Mailer.To("bo@example.com").Single(), "We met (30 minutes)");
        Assert.Equal(ParticipantLinkOutcome.Applied, (await f.Desk.ApplyAsync(anaMet, ParticipantForm.Empty)).Outcome);
        Assert.Equal(ParticipantLinkOutcome.Applied, (await f.Desk.ApplyAsync(boMet, new ParticipantForm(Minutes: "45"))).Outcome);

        await f.TickAsync(Day(28));
        var round2 = CheckInFixture.TokenIn(f.Mailer.To("ana@example.com")[^1], "We met (90 minutes)");
        Assert.Equal(ParticipantLinkOutcome.Applied, (await f.Desk.ApplyAsync(round2, ParticipantForm.Empty)).Outcome);
        await f.TickAsync(Day(42)); // round 3: nobody answers

        var summary = Assert.Single(await f.Matches.ListAsync(ProgramId, null, null));
        Assert.Equal(2, summary.Meetings);
        Assert.Equal(60 + 90, summary.Minutes); // round 1: both reported one meeting (60 and 45): the longer counts
        Assert.Equal(2.5, summary.Hours);
        Assert.Equal(6, summary.CheckInsSent);
        Assert.Equal(3, summary.CheckInsAnswered);
        Assert.Equal(CheckInAnswer.Met, summary.LastCheckIn!.Answer);
        Assert.Equal(2, summary.LastCheckIn.Round);
        Assert.Equal(45, (await f.RecordAsync(match, 1, "bo"))!.Minutes);
    }
}
