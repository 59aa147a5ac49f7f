using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Work;
using static Mentoring.Core.Tests.Engagement.CheckIns.CheckInFixture;

namespace Mentoring.Core.Tests.Engagement.CheckIns;

/// <summary>The handler's send-time checks and mails, and the participant desk behind the mails' links.</summary>
public sealed class CheckInHandlerTests : IDisposable
{
    private readonly CheckInFixture f = new();

    public void Dispose() => f.Dispose();

    private async Task<string> PairAsync(ProgramKind kind = ProgramKind.Cohort, EngagementPolicy? policy = null)
    {
        await f.AddProgramAsync(policy, kind);
        await f.AddPeopleAsync("ana", "bo");
        return await f.AddMatchAsync(0, Start, "ana", "bo");
    }

    [Fact]
    public async Task The_nudge_records_the_round_speaks_the_cadence_and_carries_one_click_answers_and_unsubscribe_headers()
    {
        var match = await PairAsync();
        var items = await f.TickAsync(Day(14));

        var mail = Assert.Single(f.Mailer.To("ana@example.com"));
        Assert.Equal(items.Single(i => i.ParticipantId == "ana").IdempotencyKey, mail.IdempotencyKey);
        Assert.Equal(CheckInMailCategories.CheckIn, mail.Category);
        Assert.Contains("every two weeks", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Check-in 1 of 6", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Bo", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Spring &lt;buddies&gt;", mail.HtmlBody, StringComparison.Ordinal);
        foreach (var label in new[] { "We met (30 minutes)", "We met (60 minutes)", "We met (90 minutes)", "Not yet", "We need help", "Pause these emails", "Unsubscribe" })
        {
            Assert.Contains(label, mail.TextBody, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("new partner", mail.TextBody, StringComparison.Ordinal); // cohorts have no rematch
        var unsubscribe = TokenIn(mail, "Unsubscribe");
        Assert.Equal($"<https://mentoring.example.com/api/links/{unsubscribe}>", mail.Headers[ListUnsubscribe.Header]);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers[ListUnsubscribe.PostHeader]);

        var record = await f.RecordAsync(match, 1, "ana");
        Assert.Equal(Day(14), record!.DueAt);
        Assert.Equal(CheckInAnswer.None, record.Answer);

        await f.DeliverAsync(items); // a redelivery sends nothing twice
        Assert.Single(f.Mailer.To("ana@example.com"));
    }

    [Fact]
    public async Task Weekly_programs_say_every_week_and_evergreen_nudges_offer_a_rematch()
    {
        await PairAsync(ProgramKind.Evergreen, new EngagementPolicy { CheckInEveryDays = 7 });
        await f.TickAsync(Day(7));
        var mail = f.Mailer.To("bo@example.com").Single();
        Assert.Contains("every week", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Ask for a new partner", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_send_time_unsubscribed_paused_suppressed_or_ended_means_no_mail()
    {
        var match = await PairAsync();
        var items = await f.RunAsync(Day(14));
        Assert.Equal(2, items.Count);
        await f.ChangeAsync("ana", p => p with { PausedUntil = Day(30) });
        await f.SuppressAsync("BO@example.com ");
        await f.DeliverAsync(items);
        Assert.Empty(f.Mailer.Sent);

        await f.AddPeopleAsync("cy", "di");
        var other = await f.AddMatchAsync(1, Day(1), "cy", "di");
        var later = await f.RunAsync(Day(15));
        Assert.Equal(2, later.Count);
        await f.ChangeAsync("cy", p => p with { UnsubscribedAt = Day(15) });
        await f.Matches.EndAsync(ProgramId, other, "moved teams");
        await f.DeliverAsync(later);
        Assert.Empty(f.Mailer.Sent);
        Assert.Null(await f.RecordAsync(match, 1, "bo"));
    }

    [Fact]
    public async Task A_nudge_delivered_after_its_round_closed_is_dropped()
    {
        await PairAsync();
        var items = await f.RunAsync(Day(14));
        f.Clock.Set(Day(28));
        await f.DeliverAsync(items);
        Assert.Empty(f.Mailer.Sent);
    }

    [Fact]
    public async Task Reviewing_a_link_changes_nothing_and_applying_records_the_answer_which_may_change_until_the_next_round()
    {
        var match = await PairAsync();
        await f.TickAsync(Day(14));
        var mail = f.Mailer.To("ana@example.com").Single();
        var met = TokenIn(mail, "We met (30 minutes)");
        var notYet = TokenIn(mail, "Not yet");

        var review = await f.Desk.ReviewAsync(met);
        Assert.Equal(ParticipantLinkOutcome.Confirm, review.Outcome);
        Assert.Equal(30, review.Minutes);
        Assert.Equal(["Bo"], review.Partners);
        Assert.Equal(CheckInAnswer.None, (await f.RecordAsync(match, 1, "ana"))!.Answer);

        Assert.Equal(ParticipantLinkOutcome.Applied, (await f.Desk.ApplyAsync(met, ParticipantForm.Empty)).Outcome);
        Assert.Equal(ParticipantLinkOutcome.AlreadyDone, (await f.Desk.ApplyAsync(met, ParticipantForm.Empty)).Outcome);
        f.Clock.Set(Day(20));
        Assert.Equal(ParticipantLinkOutcome.Applied, (await f.Desk.ApplyAsync(notYet, ParticipantForm.Empty)).Outcome);
        var record = (await f.RecordAsync(match, 1, "ana"))!;
        Assert.Equal((CheckInAnswer.NotYet, (int?)null, (DateTimeOffset?)Day(20)), (record.Answer, record.Minutes, record.AnsweredAt));

        f.Clock.Set(Day(28));
        var closed = await f.Desk.ApplyAsync(met, ParticipantForm.Empty);
        Assert.Equal(ParticipantLinkOutcome.Expired, closed.Outcome);
        Assert.Equal(CheckInAnswer.NotYet, (await f.RecordAsync(match, 1, "ana"))!.Answer);
    }

    [Fact]
    public async Task Minutes_typed_on_the_page_must_be_sensible()
    {
        var match = await PairAsync();
        await f.TickAsync(Day(14));
        var met = TokenIn(f.Mailer.To("ana@example.com").Single(), "We met (30 minutes)");
        Assert.Equal(ParticipantLinkOutcome.Incomplete, (await f.Desk.ApplyAsync(met, new ParticipantForm(Minutes: "lots"))).Outcome);
        Assert.Equal(ParticipantLinkOutcome.Incomplete, (await f.Desk.ApplyAsync(met, new ParticipantForm(Minutes: "0"))).Outcome);
        Assert.Equal(ParticipantLinkOutcome.Incomplete, (await f.Desk.ApplyAsync(met, new ParticipantForm(Minutes: "601"))).Outcome);
        Assert.Equal(CheckInAnswer.None, (await f.RecordAsync(match, 1, "ana"))!.Answer);
        Assert.Equal(ParticipantLinkOutcome.Applied, (await f.Desk.ApplyAsync(met, new ParticipantForm(Minutes: "75"))).Outcome);
        Assert.Equal(75, (await f.RecordAsync(match, 1, "ana"))!.Minutes);
    }

    [Fact]
    public async Task Forged_tampered_and_foreign_tokens_are_invalid()
    {
        await PairAsync();
        await f.TickAsync(Day(14));
        var token = TokenIn(f.Mailer.To("ana@example.com").Single(), "Not yet");
        var parts = token.Split('.');
        var otherKey = new ParticipantLinks(new Mentoring.Core.Links.LinkSigner([new Mentoring.Core.Links.SigningKey("k1", new byte[32])]),
            new Mentoring.Core.Decisions.DecisionLinkOptions());
        var forged = otherKey.Sign(new ParticipantGrant { ProgramId = ProgramId, ParticipantId = "ana", Action = ParticipantAction.Withdraw, ExpiresAtUnix = Day(400).ToUnixTimeSeconds() });
        foreach (var bad in new[] { "nonsense", parts[0] + "x." + parts[1] + "." + parts[2], forged, "" })
        {
            Assert.Equal(ParticipantLinkOutcome.Invalid, (await f.Desk.ReviewAsync(bad)).Outcome);
            Assert.Equal(ParticipantLinkOutcome.Invalid, (await f.Desk.ApplyAsync(bad, ParticipantForm.Empty)).Outcome);
        }
        Assert.Equal(ParticipantStatus.Registered, (await f.PersonAsync("ana")).Status);
    }

    [Fact]
    public async Task Need_help_alerts_the_admins_once_per_answer()
    {
        var match = await PairAsync();
        await f.TickAsync(Day(14));
        var help = TokenIn(f.Mailer.To("bo@example.com").Single(), "We need help");
        Assert.Equal(ParticipantLinkOutcome.Applied, (await f.Desk.ApplyAsync(help, ParticipantForm.Empty)).Outcome);
        Assert.Equal(ParticipantLinkOutcome.AlreadyDone, (await f.Desk.ApplyAsync(help, ParticipantForm.Empty)).Outcome);

        var alert = Assert.Single(f.Queue.Drain());
        Assert.Equal(WorkPurposes.NeedHelpAlert, alert.Purpose);
        Assert.StartsWith($"need-help:spring:{match}:r1:bo:", alert.IdempotencyKey, StringComparison.Ordinal);
        await f.DeliverAsync([alert]);
        var mails = f.Mailer.Sent.Where(m => m.Category == CheckInMailCategories.NeedHelp).ToList();
        Assert.Equal(["hr@example.com", "lead@example.com"], mails.Select(m => m.To[0].Email).Order());
        Assert.All(mails, m => Assert.Contains("bo@example.com", m.TextBody, StringComparison.Ordinal));

        await f.TickAsync(Day(15)); // the timer's sweep finds the same answer: same key, nothing new
        Assert.Equal(2, f.Mailer.Sent.Count(m => m.Category == CheckInMailCategories.NeedHelp));
    }

    [Fact]
    public async Task Unsubscribe_is_idempotent_and_stops_nudges()
    {
        await PairAsync();
        await f.TickAsync(Day(14));
        var unsubscribe = TokenIn(f.Mailer.To("ana@example.com").Single(), "Unsubscribe");
        Assert.Equal(ParticipantLinkOutcome.Confirm, (await f.Desk.ReviewAsync(unsubscribe)).Outcome);
        Assert.Null((await f.PersonAsync("ana")).UnsubscribedAt);
        Assert.Equal(ParticipantLinkOutcome.Applied, (await f.Desk.ApplyAsync(unsubscribe, new ParticipantForm(OneClick: true))).Outcome);
        Assert.Equal(Day(14), (await f.PersonAsync("ana")).UnsubscribedAt);
        Assert.Equal(ParticipantLinkOutcome.AlreadyDone, (await f.Desk.ApplyAsync(unsubscribe, ParticipantForm.Empty)).Outcome);
        Assert.Equal(["bo"], (await f.RunAsync(Day(28))).Select(i => i.ParticipantId));

        f.Clock.Set(Day(1000)); // long after the link's lifetime, unsubscribing still works (mail clients keep old headers)
        Assert.Equal(ParticipantLinkOutcome.AlreadyDone, (await f.Desk.ReviewAsync(unsubscribe)).Outcome);
    }

    [Fact]
    public async Task Pause_takes_a_date_up_to_ninety_days_ahead()
    {
        await PairAsync();
        await f.TickAsync(Day(14));
        var pause = TokenIn(f.Mailer.To("ana@example.com").Single(), "Pause these emails");
        var review = await f.Desk.ReviewAsync(pause);
        Assert.Equal((new DateOnly(2027, 3, 16), new DateOnly(2027, 6, 13)), (review.PauseFrom!.Value, review.PauseTo!.Value));
        Assert.Equal(ParticipantLinkOutcome.Incomplete, (await f.Desk.ApplyAsync(pause, ParticipantForm.Empty)).Outcome);
        Assert.Equal(ParticipantLinkOutcome.Incomplete, (await f.Desk.ApplyAsync(pause, new ParticipantForm(Until: "2027-06-14"))).Outcome);
        Assert.Equal(ParticipantLinkOutcome.Incomplete, (await f.Desk.ApplyAsync(pause, new ParticipantForm(Until: "2027-03-15"))).Outcome);
        Assert.Null((await f.PersonAsync("ana")).PausedUntil);

        Assert.Equal(ParticipantLinkOutcome.Applied, (await f.Desk.ApplyAsync(pause, new ParticipantForm(Until: "2027-04-20"))).Outcome);
        Assert.Equal(new DateTimeOffset(2027, 4, 19, 22, 0, 0, TimeSpan.Zero), (await f.PersonAsync("ana")).PausedUntil); // midnight in Berlin
        Assert.Equal(["bo"], (await f.RunAsync(Day(28))).Select(i => i.ParticipantId));
        Assert.Equal(["bo"], Nudged(await f.RunAsync(Day(45))));
        Assert.Empty(Nudged(await f.RunAsync(new DateTimeOffset(2027, 4, 19, 21, 59, 0, TimeSpan.Zero))));
        var resumed = (await f.RunAsync(new DateTimeOffset(2027, 4, 19, 22, 0, 0, TimeSpan.Zero))).Single(i => i.Purpose == WorkPurposes.CheckInNudge);
        Assert.Equal(("ana", "3"), (resumed.ParticipantId, resumed.Data[CheckInHandler.RoundData])); // the open round (since day 42), no backlog
    }

    private static IEnumerable<string?> Nudged(IEnumerable<WorkItem> items) =>
        items.Where(i => i.Purpose == WorkPurposes.CheckInNudge).Select(i => i.ParticipantId);

    [Fact]
    public async Task Withdraw_ends_the_pair_and_stops_everything()
    {
        var match = await PairAsync();
        await f.TickAsync(Day(14));
        var withdraw = TokenIn(f.Mailer.To("ana@example.com").Single(), "Leave Spring");
        Assert.Equal(ParticipantLinkOutcome.Applied, (await f.Desk.ApplyAsync(withdraw, ParticipantForm.Empty)).Outcome);
        Assert.Equal(ParticipantLinkOutcome.AlreadyDone, (await f.Desk.ApplyAsync(withdraw, ParticipantForm.Empty)).Outcome);
        Assert.Equal(ParticipantStatus.Withdrawn, (await f.PersonAsync("ana")).Status);
        var ended = await f.MatchAsync(match);
        Assert.Equal((Core.Windows.MatchStatus.Ended, MatchDesk.WithdrawnReason), (ended.Status, ended.EndReason));
        Assert.Empty(await f.RunAsync(Day(28)));
    }

    [Fact]
    public async Task Rematch_links_end_the_match_once_and_mark_the_person_for_the_next_round()
    {
        var match = await PairAsync(ProgramKind.Evergreen);
        await f.TickAsync(Day(14));
        var rematch = TokenIn(f.Mailer.To("ana@example.com").Single(), "Ask for a new partner");
        Assert.Equal(ParticipantLinkOutcome.Confirm, (await f.Desk.ReviewAsync(rematch)).Outcome);
        Assert.Null((await f.PersonAsync("ana")).RematchRequestedAt);
        Assert.Equal(ParticipantLinkOutcome.Applied, (await f.Desk.ApplyAsync(rematch, ParticipantForm.Empty)).Outcome);
        Assert.Equal(Day(14), (await f.PersonAsync("ana")).RematchRequestedAt);
        Assert.Equal(MatchDesk.RematchReason, (await f.MatchAsync(match)).EndReason);
        Assert.Equal(ParticipantLinkOutcome.AlreadyDone, (await f.Desk.ApplyAsync(rematch, ParticipantForm.Empty)).Outcome);
    }
}
