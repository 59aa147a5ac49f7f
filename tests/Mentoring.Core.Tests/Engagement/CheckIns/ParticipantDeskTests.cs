using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;
using static Mentoring.Core.Tests.Engagement.CheckIns.CheckInFixture;

namespace Mentoring.Core.Tests.Engagement.CheckIns;

/// <summary>
/// What the page behind a participant's link says and accepts, on the real SQLite store: the words people read, the
/// limits of what they may type, and answers changed or repeated. The program lives in Europe/Berlin; Ana and Bo were
/// introduced on Monday 1 March 2027, with check-ins every two weeks (round 1 is open from 15 to 29 March); the tests
/// start on Tuesday 16 March.
/// </summary>
public sealed class ParticipantDeskTests : IDisposable
{
    private readonly CheckInFixture f = new();
    private string match = "";

    public void Dispose() => f.Dispose();

    private async Task PairAsync(ProgramKind kind = ProgramKind.Cohort)
    {
        await f.AddProgramAsync(kind: kind);
        await f.AddPeopleAsync("ana", "bo");
        match = await f.AddMatchAsync(0, Start, "ana", "bo");
        f.Clock.Set(Day(15));
    }

    private static string Token(Uri link) => link.AbsolutePath[ParticipantLinks.Path.Length..];

    private CheckInLinks Round(int round, string who = "ana") =>
        f.Links.CheckIn(ProgramId, match, round, who, Day(14 * (round + 1)), f.Clock.GetUtcNow(), offerRematch: true);

    private string Met(int round = 1) => Token(Round(round).Met[0].Url); // 30 minutes

    private string Grant(ParticipantAction action, int? minutes = null, DateTimeOffset? expires = null) => f.Links.Sign(new ParticipantGrant
    {
        ProgramId = ProgramId,
        ParticipantId = "ana",
        Action = action,
        MatchId = match,
        Round = 1,
        Minutes = minutes,
        ExpiresAtUnix = (expires ?? Day(28)).ToUnixTimeSeconds(),
    });

    private Task<CheckInRecord?> AnswerAsync() => f.RecordAsync(match, 1, "ana");

    [Fact]
    public async Task Each_answer_page_says_what_it_records_about_whom_and_what_was_answered_before()
    {
        await PairAsync();

        var met = await f.Desk.ReviewAsync(Met());
        Assert.Equal(("Check-in 1: you and Bo met. How long did you meet?", 30, (CheckInAnswer?)null), (met.Message, met.Minutes, met.CurrentAnswer));
        Assert.Equal(("Spring <buddies>", "Ana"), (met.ProgramName, met.ParticipantName));
        await f.Desk.ApplyAsync(Token(Round(1).NotYet), ParticipantForm.Empty);

        var again = await f.Desk.ReviewAsync(Token(Round(1).NeedHelp));
        Assert.Equal(
            "Check-in 1: you would like help from the program team with your match with Bo. They will get in touch."
            + " You answered \"not yet\" already; you can change it until Mon 29 Mar 2027, 11:00 (Europe/Berlin).",
            again.Message);
        Assert.Equal((CheckInAnswer.NotYet, (int?)null), (again.CurrentAnswer, again.Minutes));
        Assert.Equal("Check-in 1: you and Bo have not met yet. You answered \"not yet\" already; you can change it until Mon 29 Mar 2027, 11:00 (Europe/Berlin).",
            (await f.Desk.ReviewAsync(Token(Round(1).NotYet))).Message);
    }

    [Fact]
    public async Task A_we_met_page_prefills_the_minutes_answered_before_when_its_link_has_none()
    {
        await PairAsync();
        await f.Desk.ApplyAsync(Met(), new ParticipantForm(Minutes: "75"));

        Assert.Equal(75, (await f.Desk.ReviewAsync(Grant(ParticipantAction.CheckInMet))).Minutes);
        Assert.Equal(30, (await f.Desk.ReviewAsync(Met())).Minutes);
        Assert.Null((await f.Desk.ReviewAsync(Token(Round(1).NotYet))).Minutes);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData(" 600 ", 600)]
    [InlineData("", 30)]
    [InlineData("0", null)]
    [InlineData("601", null)]
    [InlineData("+5", null)]
    [InlineData("1.5", null)]
    public async Task Minutes_are_a_whole_number_from_1_to_600_and_the_buttons_own_when_none_is_typed(string typed, int? kept)
    {
        await PairAsync();

        var page = await f.Desk.ApplyAsync(Met(), new ParticipantForm(Minutes: typed));

        Assert.Equal(kept, (await AnswerAsync())?.Minutes);
        if (kept is null)
        {
            Assert.Equal((ParticipantLinkOutcome.Incomplete, "Please enter the minutes you met as a whole number from 1 to 600."), (page.Outcome, page.Message));
        }
        else
        {
            Assert.Equal($"Thank you: {kept} minutes recorded for check-in 1. You can change it until Mon 29 Mar 2027, 11:00 (Europe/Berlin).", page.Message);
        }
    }

    [Fact]
    public async Task A_we_met_link_without_minutes_asks_for_them()
    {
        await PairAsync();

        var page = await f.Desk.ApplyAsync(Grant(ParticipantAction.CheckInMet), ParticipantForm.Empty);

        Assert.Equal((ParticipantLinkOutcome.Incomplete, "Please say how many minutes you met."), (page.Outcome, page.Message));
        Assert.Null(await AnswerAsync());
    }

    [Fact]
    public async Task The_same_answer_again_is_recorded_already_and_changes_nothing()
    {
        await PairAsync();
        await f.Desk.ApplyAsync(Token(Round(1).NotYet), ParticipantForm.Empty);
        var first = await AnswerAsync();
        f.Clock.Set(Day(16));

        var again = await f.Desk.ApplyAsync(Token(Round(1).NotYet), ParticipantForm.Empty);

        Assert.Equal((ParticipantLinkOutcome.AlreadyDone, "This answer was recorded already. You can change it until Mon 29 Mar 2027, 11:00 (Europe/Berlin)."),
            (again.Outcome, again.Message));
        Assert.Equal(first!.AnsweredAt, (await AnswerAsync())!.AnsweredAt);
    }

    [Fact]
    public async Task What_would_help_is_kept_trimmed_up_to_1000_characters_and_survives_a_second_click_without_it()
    {
        await PairAsync();
        var help = Token(Round(1).NeedHelp);

        var tooLong = await f.Desk.ApplyAsync(help, new ParticipantForm(Help: new string('x', ParticipantDesk.MaxHelpLength + 1)));
        Assert.Equal((ParticipantLinkOutcome.Incomplete, "Please keep what would help under 1000 characters."), (tooLong.Outcome, tooLong.Message));
        Assert.Null(await AnswerAsync());

        var asked = await f.Desk.ApplyAsync(help, new ParticipantForm(Help: "  We cannot find a time  "));
        Assert.Equal("Thank you: the program team has been told and will get in touch. You can change it until Mon 29 Mar 2027, 11:00 (Europe/Berlin).", asked.Message);
        Assert.Equal(ParticipantLinkOutcome.AlreadyDone, (await f.Desk.ApplyAsync(help, ParticipantForm.Empty)).Outcome);
        Assert.Equal("We cannot find a time", (await AnswerAsync())!.Note);
        Assert.Single(f.Queue.Drain(), i => i.Purpose == Core.Work.WorkPurposes.NeedHelpAlert);

        f.Clock.Set(Day(17));
        Assert.Equal(ParticipantLinkOutcome.Applied, (await f.Desk.ApplyAsync(help, new ParticipantForm(Help: new string('y', ParticipantDesk.MaxHelpLength)))).Outcome);
        Assert.Single(f.Queue.Drain(), i => i.Purpose == Core.Work.WorkPurposes.NeedHelpAlert); // a new note is a new alert

        await f.Desk.ApplyAsync(Met(), ParticipantForm.Empty);
        Assert.Null((await AnswerAsync())!.Note);
    }

    [Fact]
    public async Task We_met_clears_the_risk_flag_and_not_yet_leaves_it()
    {
        await PairAsync();
        await f.Store.UpdateAsync<PublishedMatch>(CheckInDocuments.Match(ProgramId, match), m => m with { AtRiskSince = Day(10) });

        await f.Desk.ApplyAsync(Token(Round(1).NotYet), ParticipantForm.Empty);
        Assert.Equal(Day(10), (await f.MatchAsync(match)).AtRiskSince);
        Assert.Equal("Thank you: \"not yet\" recorded for check-in 1. A short message to your partner is often all it takes. You can change it until Mon 29 Mar 2027, 11:00 (Europe/Berlin).",
            (await f.Desk.ApplyAsync(Token(Round(1, "bo").NotYet), ParticipantForm.Empty)).Message);

        await f.Desk.ApplyAsync(Met(), ParticipantForm.Empty);
        Assert.Null((await f.MatchAsync(match)).AtRiskSince);
    }

    [Fact]
    public async Task A_round_not_yet_open_is_invalid_a_closed_one_says_when_it_closed_and_an_expired_link_says_to_use_the_newest_mail()
    {
        await PairAsync();

        var early = await f.Desk.ReviewAsync(Met(round: 2));
        Assert.Equal((ParticipantLinkOutcome.Invalid, "Check-in 2 closed on Mon 12 Apr 2027, 11:00 (Europe/Berlin). Please answer the newest check-in email."),
            (early.Outcome, early.Message));

        Assert.Equal(ParticipantLinkOutcome.Confirm, (await f.Desk.ReviewAsync(Grant(ParticipantAction.CheckInNotYet, expires: Day(60)))).Outcome);
        f.Clock.Set(Day(28));
        var closed = await f.Desk.ApplyAsync(Grant(ParticipantAction.CheckInNotYet, expires: Day(60)), ParticipantForm.Empty);
        Assert.Equal((ParticipantLinkOutcome.Closed, "Check-in 1 closed on Mon 29 Mar 2027, 11:00 (Europe/Berlin). Please answer the newest check-in email."),
            (closed.Outcome, closed.Message));

        var expired = await f.Desk.ApplyAsync(Met(), ParticipantForm.Empty);
        Assert.Equal((ParticipantLinkOutcome.Expired, "This check-in closed on Mon 29 Mar 2027, 11:00 (Europe/Berlin). Please answer the newest check-in email."),
            (expired.Outcome, expired.Message));
        Assert.Null(await AnswerAsync());
    }

    [Fact]
    public async Task Check_ins_of_an_ended_match_or_of_someone_who_left_are_closed()
    {
        await PairAsync();
        var token = Met();
        await f.Matches.EndAsync(ProgramId, match, "moved teams");

        Assert.Equal((ParticipantLinkOutcome.Closed, "Your match with Bo has ended; there is nothing to check in."),
            ((await f.Desk.ApplyAsync(token, ParticipantForm.Empty)).Outcome, (await f.Desk.ReviewAsync(token)).Message));
        await f.ChangeAsync("ana", p => p with { Status = ParticipantStatus.Withdrawn });
        Assert.Equal("You have left Spring <buddies>; check-ins are closed.", (await f.Desk.ReviewAsync(token)).Message);
        Assert.Null(await AnswerAsync());
    }

    [Fact]
    public async Task Unsubscribing_says_since_when_and_changes_nothing_the_second_time()
    {
        await PairAsync();
        var unsubscribe = Token(f.Links.Unsubscribe(ProgramId, "ana", Day(15)));
        Assert.StartsWith("Unsubscribe from Spring <buddies>'s emails: no more check-ins, reminders or surveys.", (await f.Desk.ReviewAsync(unsubscribe)).Message, StringComparison.Ordinal);

        var applied = await f.Desk.ApplyAsync(unsubscribe, ParticipantForm.Empty);
        f.Clock.Set(Day(16));
        var again = await f.Desk.ApplyAsync(unsubscribe, ParticipantForm.Empty);

        Assert.Equal(ParticipantLinkOutcome.Applied, applied.Outcome);
        Assert.Equal(ParticipantLinkOutcome.AlreadyDone, again.Outcome);
        Assert.Equal(Day(15), (await f.PersonAsync("ana")).UnsubscribedAt);
        Assert.Equal("You are unsubscribed from Spring <buddies>'s emails since Tue 16 Mar 2027, 10:00 (Europe/Berlin).", (await f.Desk.ReviewAsync(unsubscribe)).Message);
    }

    [Fact]
    public async Task An_unsubscribe_link_keeps_working_after_it_expires_and_a_pause_link_does_not()
    {
        await PairAsync();
        var unsubscribe = Token(f.Links.Unsubscribe(ProgramId, "ana", Day(15)));
        var pause = Token(f.Links.SelfService(ProgramId, "ana", Day(15)).Pause);
        f.Clock.Set(Day(15) + ParticipantLinks.SelfServiceLifetime);

        var paused = await f.Desk.ReviewAsync(pause);
        Assert.Equal((ParticipantLinkOutcome.Expired, "This link has expired. Please use the link in a newer email from the program."), (paused.Outcome, paused.Message));
        Assert.Equal(ParticipantLinkOutcome.Applied, (await f.Desk.ApplyAsync(unsubscribe, ParticipantForm.Empty)).Outcome);
    }

    [Theory]
    [InlineData("2027-03-17", "+01:00")] // tomorrow, in Berlin
    [InlineData("2027-06-14", "+02:00")] // 90 days ahead, in summer time
    [InlineData("2027-03-16", null)]     // today
    [InlineData("2027-06-15", null)]     // 91 days
    [InlineData("17/03/2027", null)]
    public async Task A_pause_runs_from_tomorrow_to_90_days_ahead_until_local_midnight(string until, string? offset)
    {
        await PairAsync();
        var pause = Token(f.Links.SelfService(ProgramId, "ana", Day(15)).Pause);

        var page = await f.Desk.ApplyAsync(pause, new ParticipantForm(Until: until));

        var review = await f.Desk.ReviewAsync(pause);
        Assert.Equal((new DateOnly(2027, 3, 17), new DateOnly(2027, 3, 30), new DateOnly(2027, 6, 14)), (review.PauseFrom!.Value, review.PauseSuggested!.Value, review.PauseTo!.Value));
        var stated = "Pause Spring <buddies>'s emails until a date you choose (at most 90 days). Your match stays as it is.";
        if (offset is not null)
        {
            var midnight = DateTimeOffset.Parse($"{until}T00:00:00{offset}", System.Globalization.CultureInfo.InvariantCulture);
            var local = $"{midnight:ddd d MMM yyyy}, 00:00 (Europe/Berlin)";
            Assert.Equal(midnight, (await f.PersonAsync("ana")).PausedUntil);
            Assert.Equal((ParticipantLinkOutcome.Applied, $"Paused: no emails from Spring <buddies> until {local}. Then check-ins resume with the current round."),
                (page.Outcome, page.Message));
            Assert.Equal($"{stated} Your emails are paused until {local}; choosing a date replaces that.", review.Message);
        }
        else
        {
            Assert.Equal((ParticipantLinkOutcome.Incomplete, "Please choose a date from 2027-03-17 to 2027-06-14 (at most 90 days)."), (page.Outcome, page.Message));
            Assert.Null((await f.PersonAsync("ana")).PausedUntil);
            Assert.Equal(stated, review.Message);
        }
    }

    [Fact]
    public async Task Leaving_twice_is_done_already_and_a_rematch_in_a_cohort_is_not_available()
    {
        await PairAsync();
        var links = f.Links.SelfService(ProgramId, "ana", Day(15), rematchMatchId: match);

        Assert.Equal("You have left Spring <buddies>. Thank you for taking part.", (await f.Desk.ApplyAsync(Token(links.Withdraw), ParticipantForm.Empty)).Message);
        var again = await f.Desk.ReviewAsync(Token(links.Withdraw));
        Assert.Equal((ParticipantLinkOutcome.AlreadyDone, "You have left Spring <buddies> already."), (again.Outcome, again.Message));
        Assert.Equal("You have left Spring <buddies>; there is nothing to pause.", (await f.Desk.ReviewAsync(Token(links.Pause))).Message);

        var rematch = await f.Desk.ReviewAsync(Token(links.Rematch!));
        Assert.Equal((ParticipantLinkOutcome.Closed, "Spring <buddies> has no further matching rounds, so rematches are not available."), (rematch.Outcome, rematch.Message));
    }

    [Fact]
    public async Task A_rematch_link_says_what_happens_and_afterwards_that_it_is_recorded()
    {
        await PairAsync(ProgramKind.Evergreen);
        var rematch = Token(f.Links.SelfService(ProgramId, "ana", Day(15), rematchMatchId: match).Rematch!);

        Assert.Equal("Ask for a new partner: your match with Bo ends and you join Spring <buddies>'s next matching round.", (await f.Desk.ReviewAsync(rematch)).Message);
        Assert.Equal("Recorded: you will get a new partner in Spring <buddies>'s next matching round.", (await f.Desk.ApplyAsync(rematch, ParticipantForm.Empty)).Message);
        var after = await f.Desk.ReviewAsync(rematch);
        Assert.Equal((ParticipantLinkOutcome.AlreadyDone, "Your rematch request is recorded: you will be in the next matching round."), (after.Outcome, after.Message));

        var bos = Token(f.Links.SelfService(ProgramId, "bo", Day(15), rematchMatchId: match).Rematch!);
        Assert.Equal(ParticipantLinkOutcome.AlreadyDone, (await f.Desk.ReviewAsync(bos)).Outcome); // his partner's request frees him too
    }

    [Fact]
    public async Task A_rematch_link_of_a_match_that_ended_otherwise_is_closed()
    {
        await PairAsync(ProgramKind.Evergreen);
        var rematch = Token(f.Links.SelfService(ProgramId, "ana", Day(15), rematchMatchId: match).Rematch!);
        await f.Matches.EndAsync(ProgramId, match, "moved teams");

        var page = await f.Desk.ApplyAsync(rematch, ParticipantForm.Empty);

        Assert.Equal((ParticipantLinkOutcome.Closed, "Your match with Bo has ended already."), (page.Outcome, page.Message));
        Assert.Null((await f.PersonAsync("ana")).RematchRequestedAt);
    }
}
