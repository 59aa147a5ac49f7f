using System.Text.RegularExpressions;
using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Engagement.Surveys;
using Mentoring.Core.Mail;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;

namespace Mentoring.Core.Tests.Engagement.Surveys;

/// <summary>The SurveyReminders timer and the survey handler on a real SQLite store, with a clock the test moves.</summary>
public sealed partial class SurveySchedulingTests : IDisposable
{
    private static readonly DateTimeOffset Intro = SurveyFixture.Start;
    private readonly SurveyFixture f = new();

    public void Dispose() => f.Dispose();

    private static DateTimeOffset Day(double days) => Intro.AddDays(days);

    private async Task PairAsync(Func<PublishedMatch, PublishedMatch>? change = null)
    {
        await f.AddParticipantAsync("ana");
        await f.AddParticipantAsync("bo");
        await f.AddMatchAsync(0, Intro, ["ana", "bo"], change);
    }

    [GeneratedRegex("/api/surveys/[A-Za-z0-9_\\-\\.]+")]
    private static partial Regex SurveyLink();

    private static string TokenIn(MailMessage mail) => SurveyLink().Match(mail.TextBody).Value["/api/surveys/".Length..];

    private static Dictionary<string, string> GoodAnswers() => new(StringComparer.Ordinal)
    {
        [SurveyDefinition.Satisfaction] = "Positive",
        [SurveyDefinition.Recommend] = "9",
    };

    [Fact]
    public async Task The_invite_is_enqueued_when_due_and_only_once()
    {
        await f.AddProgramAsync();
        await PairAsync();

        Assert.Empty(await f.TickAsync(Day(45).AddMinutes(-1)));
        var invites = await f.TickAsync(Day(45));
        Assert.Equal(["survey:spring:mid:ana:invite", "survey:spring:mid:bo:invite"], invites.Select(i => i.IdempotencyKey).Order(StringComparer.Ordinal));
        Assert.All(invites, i =>
        {
            Assert.Equal(WorkPurposes.SurveyInvite, i.Purpose);
            Assert.Equal(Day(45), i.DueAt);
            Assert.Equal("spring", i.ProgramId);
            Assert.Equal("w1-00000", i.MatchId);
        });
        Assert.Empty(await f.TickAsync(Day(45))); // the same instant again: nothing new
        Assert.Empty(await f.TickAsync(Day(46)));

        var record = await f.RecordAsync("mid", "ana");
        Assert.NotNull(record);
        Assert.Equal(Day(45), record.SentAt);
        Assert.Equal(Day(45 + 14), record.ClosesAt);
        Assert.Equal(0, record.RemindersSent);
        var mail = Assert.Single(f.Mailer.To("ana@example.com"));
        Assert.Equal("survey:spring:mid:ana:invite", mail.IdempotencyKey);
        Assert.Equal(SurveyMail.InviteCategory, mail.Category);
        Assert.Contains("https://mentoring.example.com/api/surveys/" + TokenIn(mail), mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(SurveyGrant.For("spring", "mid", "ana"), f.Links.Verify(TokenIn(mail)));
        Assert.StartsWith("<https://mentoring.example.com/api/links/", mail.Headers[ListUnsubscribe.Header], StringComparison.Ordinal);
        Assert.Equal(ListUnsubscribe.PostValue, mail.Headers[ListUnsubscribe.PostHeader]);
        Assert.Contains("Unsubscribe from these emails", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reminders_go_every_few_days_to_non_respondents_up_to_the_cap()
    {
        await f.AddProgramAsync(); // mid: day 45, remind every 3 days, at most 2, open 14 days
        await PairAsync();
        await f.TickAsync(Day(45));

        Assert.Empty(await f.TickAsync(Day(48).AddMinutes(-1)));
        var first = await f.TickAsync(Day(48));
        Assert.Equal(["survey:spring:mid:ana:r1", "survey:spring:mid:bo:r1"], first.Select(i => i.IdempotencyKey).Order(StringComparer.Ordinal));
        Assert.All(first, i => Assert.Equal(WorkPurposes.SurveyReminder, i.Purpose));

        // Ana answers through her link; Bo does not.
        var token = TokenIn(f.Mailer.To("ana@example.com")[0]);
        f.Clock.Set(Day(49));
        Assert.Equal(SurveyOutcome.Saved, (await f.Desk.SubmitAsync(token, GoodAnswers())).Outcome);

        var second = await f.TickAsync(Day(51));
        Assert.Equal(["survey:spring:mid:bo:r2"], second.Select(i => i.IdempotencyKey));
        foreach (var day in new[] { 54, 57, 58.9 })
        {
            Assert.Empty(await f.TickAsync(Day(day))); // the cap (2) is reached
        }

        Assert.Equal(["survey:spring:mid:ana:invite", "survey:spring:mid:ana:r1"], f.Mailer.To("ana@example.com").Select(m => m.IdempotencyKey));
        Assert.Equal(["survey:spring:mid:bo:invite", "survey:spring:mid:bo:r1", "survey:spring:mid:bo:r2"], f.Mailer.To("bo@example.com").Select(m => m.IdempotencyKey));
        Assert.All(f.Mailer.To("bo@example.com").Skip(1), m => Assert.Equal(SurveyMail.ReminderCategory, m.Category));
        var bo = await f.RecordAsync("mid", "bo");
        Assert.Equal(2, bo!.RemindersSent);
        Assert.Equal(Day(51), bo.LastReminderAt);
    }

    [Fact]
    public async Task No_reminder_is_due_at_or_after_the_survey_closes()
    {
        var survey = SurveyDefinition.Defaults[0] with { RemindEveryDays = 3, MaxReminders = 5, OpenForDays = 7 };
        await f.AddProgramAsync(new EngagementPolicy { Surveys = [survey] });
        await PairAsync();
        await f.TickAsync(Day(45));

        Assert.Equal(2, (await f.TickAsync(Day(48))).Count);
        Assert.Equal(2, (await f.TickAsync(Day(51))).Count);
        Assert.Empty(await f.TickAsync(Day(54))); // reminder 3 would be due on day 54, but the survey closed on day 52
        Assert.Empty(await f.TickAsync(Day(60)));
        Assert.Equal(3, f.Mailer.To("bo@example.com").Count);
    }

    [Fact]
    public async Task A_late_run_catches_up_once_and_spaces_the_reminders()
    {
        await f.AddProgramAsync();
        await PairAsync();

        var invites = await f.TickAsync(Day(50)); // the timer was down from day 44 to day 50
        Assert.Equal(2, invites.Count);
        Assert.All(invites, i => Assert.Equal(Day(45), i.DueAt));
        Assert.Equal(Day(50), (await f.RecordAsync("mid", "ana"))!.SentAt);
        Assert.Empty(await f.TickAsync(Day(52)));
        Assert.Equal(2, (await f.TickAsync(Day(53))).Count);
        Assert.Empty(await f.TickAsync(Day(55)));
        Assert.Equal(2, (await f.TickAsync(Day(56))).Count);

        await f.AddParticipantAsync("cy");
        await f.AddParticipantAsync("di");
        await f.AddMatchAsync(1, Intro, ["cy", "di"]);
        Assert.DoesNotContain(await f.TickAsync(Day(59)), i => i.ParticipantId is "cy" or "di"); // mid would have closed on day 59: too late
    }

    [Fact]
    public async Task The_handler_checks_again_at_send_time_and_suppressed_or_paused_people_get_nothing()
    {
        await f.AddProgramAsync();
        await PairAsync();
        f.Clock.Set(Day(45));
        await f.Job.RunAsync(f.Clock.GetUtcNow());
        var items = f.Queue.Drain();
        Assert.Equal(2, items.Count);

        await f.UpdateParticipantAsync("ana", p => p with { UnsubscribedAt = Day(45) });
        await f.Store.UpsertAsync(EngagementDocuments.Suppression(MailSuppression.EmailDigest("BO@example.com")), new Suppression("x", "bounce", Day(44)));
        foreach (var item in items)
        {
            await f.Handler.HandleAsync(item);
        }
        Assert.Empty(f.Mailer.Sent);
        Assert.Null(await f.RecordAsync("mid", "ana"));
        Assert.Null(await f.RecordAsync("mid", "bo"));
    }

    [Fact]
    public async Task People_who_do_not_accept_mail_are_not_enqueued_until_they_do()
    {
        await f.AddProgramAsync();
        await f.AddParticipantAsync("ana", p => p with { PausedUntil = Day(47) });
        await f.AddParticipantAsync("bo", p => p with { Status = Core.Participants.ParticipantStatus.Withdrawn });
        await f.AddMatchAsync(0, Intro, ["ana", "bo"]);

        Assert.Empty(await f.TickAsync(Day(45)));
        var late = await f.TickAsync(Day(47));
        Assert.Equal(["survey:spring:mid:ana:invite"], late.Select(i => i.IdempotencyKey));
        Assert.Empty(f.Mailer.To("bo@example.com"));
    }

    [Fact]
    public async Task A_redelivered_item_sends_one_mail_and_counts_one_reminder()
    {
        await f.AddProgramAsync();
        await PairAsync();
        var invite = (await f.TickAsync(Day(45)))[0];
        await f.Handler.HandleAsync(invite);
        var reminder = (await f.TickAsync(Day(48)))[0];
        f.Clock.Set(Day(48.5));
        await f.Handler.HandleAsync(reminder);

        var record = await f.RecordAsync("mid", reminder.ParticipantId!);
        Assert.Equal(1, record!.RemindersSent);
        Assert.Equal(Day(48), record.LastReminderAt);
        Assert.Equal(Day(45), record.SentAt);
        Assert.Equal(2, f.Mailer.To(reminder.ParticipantId + "@example.com").Count);
    }

    [Fact]
    public async Task Ended_pairs_skip_surveys_after_their_end_but_still_get_the_final_one()
    {
        await f.AddProgramAsync();
        await PairAsync(m => m with { Status = MatchStatus.Ended, EndedAt = Day(20), EndReason = "moved on" });

        Assert.Empty(await f.TickAsync(Day(45)));
        var end = await f.TickAsync(Day(90));
        Assert.Equal(["survey:spring:end:ana:invite", "survey:spring:end:bo:invite"], end.Select(i => i.IdempotencyKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_rematched_person_gets_each_survey_once_from_their_first_intro()
    {
        await f.AddProgramAsync();
        await PairAsync();
        await f.AddParticipantAsync("cy");
        await f.AddMatchAsync(0, Day(30), ["ana", "cy"], windowId: "w2");
        var first = await f.TickAsync(Day(45));
        Assert.Equal(["ana", "bo"], first.Select(i => i.ParticipantId).Order(StringComparer.Ordinal));
        var second = await f.TickAsync(Day(75));
        Assert.Equal(["cy"], second.Where(i => i.Purpose == WorkPurposes.SurveyInvite).Select(i => i.ParticipantId));
        Assert.Equal("w2-00000", second.Single(i => i.Purpose == WorkPurposes.SurveyInvite).MatchId);
    }

    [Fact]
    public async Task Matches_without_an_intro_get_no_survey()
    {
        await f.AddProgramAsync();
        await PairAsync(m => m with { IntroducedAt = null });
        Assert.Empty(await f.TickAsync(Day(45)));
        Assert.Empty(await f.TickAsync(Day(90)));
    }
}
