using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Mail;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Tests.Engagement.CheckIns;

/// <summary>
/// The check-in mails as their readers get them (the plain-text part, whole): a member's nudge, the admins' at-risk
/// digest and need-help alert, and what the provider's events are keyed by. The program lives in Europe/Berlin, whose
/// clocks go forward on 28 March 2027.
/// </summary>
public sealed class CheckInMailTests
{
    private static readonly DateTimeOffset Intro = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly MentoringProgram Program = new()
    {
        Id = "spring",
        Name = "Spring buddies",
        Kind = ProgramKind.Cohort,
        AdminEmails = ["hr@example.com"],
        TimeZone = "Europe/Berlin",
        Engagement = new EngagementPolicy { CheckInEveryDays = 14, ProgramLengthDays = 90, AtRiskAfterRounds = 2 },
    };

    private static readonly CheckInSchedule Schedule = CheckInSchedule.For(Program.Engagement, Intro);

    private static readonly CheckInLinks Links = new(
        [(30, Link("met-30")), (60, Link("met-60"))], Link("not-yet"), Link("need-help"),
        new SelfServiceLinks(Link("unsubscribe"), Link("pause"), Link("withdraw"), null));

    private static readonly MatchMember Ana = new("p_ana", "Ana", "ana@example.com");
    private static readonly MatchMember Bo = new("p_bo", "Bo", "bo@example.com");
    private static readonly MatchMember Cy = new("p_cy", "Cy", "cy@example.com");

    private static Uri Link(string name) => new($"https://mentoring.example.com/api/links/{name}");

    private static PublishedMatch Match(params MatchMember[] members) => new()
    {
        Id = "w1-m001",
        ProgramId = "spring",
        WindowId = "w1",
        Version = 1,
        Members = members,
        PublishedAt = Intro,
        IntroducedAt = Intro,
    };

    private static MailMessage Nudge(PublishedMatch match, MatchMember to, int round) =>
        CheckInMail.Nudge(new CheckInNudgeInput(Program, match, to, round, Schedule, Links, "checkin-key") { Role = to.Role });

    [Fact]
    public void The_first_nudge_asks_about_the_intro_offers_one_click_answers_and_says_until_when_in_local_time()
    {
        var mail = Nudge(Match(Ana, Bo), Ana, 1);

        Assert.Equal("[Spring buddies] Check-in 1 of 6: have you met Bo?", mail.Subject);
        Assert.Equal([new MailAddress("ana@example.com", "Ana")], mail.To);
        Assert.Equal(
        """
        Time for your check-in
        ======================

        Hi Ana,

        Spring buddies checks in every two weeks. Have you and Bo met since your intro?

        We met (30 minutes): https://mentoring.example.com/api/links/met-30
        We met (60 minutes): https://mentoring.example.com/api/links/met-60
        Not yet: https://mentoring.example.com/api/links/not-yet
        We need help: https://mentoring.example.com/api/links/need-help

        One click opens a page where you confirm (and can set the exact minutes). You can change your answer until the next check-in, Mon 29 Mar 2027, 11:00 (Europe/Berlin).

        "Need help" tells the program team, who will get in touch. Your answers count towards your pair's mentoring hours.

        FOR YOUR NEXT SESSION: SETTING GOALS

          - Which of your goals matters most right now, and why?
          - Where could someone else's experience help you with it?
          - What is one small step you can take before you next meet?

        Try this together: Each of you picks one small experiment to try before the next session, and reports back.

        YOUR EMAILS

          Pause these emails for a while: https://mentoring.example.com/api/links/pause
          Leave Spring buddies: https://mentoring.example.com/api/links/withdraw
          Unsubscribe from these emails: https://mentoring.example.com/api/links/unsubscribe

        You received this because you signed up for Spring buddies.

        """,
            mail.TextBody);
        Assert.Equal(("checkin-key", CheckInMailCategories.CheckIn, "spring"), (mail.IdempotencyKey, mail.Category, mail.ProgramId));
    }

    [Fact]
    public void A_later_nudge_asks_about_the_last_check_in_and_names_a_mentors_mentees_by_role()
    {
        var mentor = Ana with { Role = "mentor" };
        var mail = Nudge(Match(mentor, Bo with { Role = "mentee" }, Cy with { Role = "mentee" }), mentor, 2);

        Assert.Equal("[Spring buddies] Check-in 2 of 6: have you met your mentees Bo and Cy?", mail.Subject);
        Assert.Contains("Have you and your mentees Bo and Cy met since the last check-in?", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("You can change your answer until the next check-in, Mon 12 Apr 2027, 11:00 (Europe/Berlin).", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Your answers count towards your trio's mentoring hours.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Have you and your mentor Ana met", Nudge(Match(mentor, Bo with { Role = "mentee" }), Bo with { Role = "mentee" }, 2).TextBody, StringComparison.Ordinal);
        Assert.Contains("your group's mentoring hours", Nudge(Match(Ana, Bo, Cy, new("p_di", "Di", "di@example.com")), Ana, 2).TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nudge_is_keyed_for_the_providers_events_and_carries_a_one_click_unsubscribe()
    {
        var mail = Nudge(Match(Ana, Bo), Bo, 3);

        Assert.Equal(
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["programId"] = "spring", ["matchId"] = "w1-m001", ["participantId"] = "p_bo", ["round"] = "3", ["category"] = CheckInMailCategories.CheckIn,
            },
            mail.CustomArgs);
        Assert.Equal("<https://mentoring.example.com/api/links/unsubscribe>", mail.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
    }

    [Theory]
    [InlineData("p_ana", "Bo")]
    [InlineData("p_bo", "Ana")]
    [InlineData("p_nobody", "Ana and Bo")]
    public void Partners_are_the_other_members_by_name(string participantId, string expected) =>
        Assert.Equal(expected, CheckInMail.Partners(Match(Ana, Bo), participantId));

    [Fact]
    public void Partners_of_someone_left_alone_are_their_match() =>
        Assert.Equal("your match", CheckInMail.Partners(Match(Ana), "p_ana"));

    [Fact]
    public void The_digest_lists_each_match_newly_at_risk_with_its_figures_and_how_many_are_at_risk_in_all()
    {
        var last = new CheckInRecord
        {
            ProgramId = "spring", MatchId = "w1-m001", ParticipantId = "p_bo", Round = 2, DueAt = Intro.AddDays(28),
            Answer = CheckInAnswer.NotYet, AnsweredAt = Intro.AddDays(29),
        };
        var line = new AtRiskDigestLine(Match(Ana, Bo) with { AtRiskSince = Intro.AddDays(42) }, new CheckInTally(1, 45, 3, 6, last), 2);

        var mail = CheckInMail.AtRiskDigest(Program, new MailAddress("hr@example.com"), new DateOnly(2027, 4, 12), [line], 3, "digest-key",
            new Uri("https://mentoring.example.com/dash"));

        Assert.Equal("[Spring buddies] 1 match is newly at risk", mail.Subject);
        Assert.Equal(
        """
        Spring buddies: 1 match is newly at risk
        ========================================

        These matches had 2 check-ins in a row without anyone reporting a meeting (only "not yet" or no answer).

        * Ana and Bo
          ana@example.com, bo@example.com
          Introduced 1 Mar 2027; at risk since 12 Apr 2027.
          Meetings reported so far: 1 (0.8 h); check-ins answered: 3 of 6.
          Last answer: not yet on 30 Mar 2027.

        3 matches are at risk in total.

        A short, friendly note to the pair often helps. To end a match or give someone a new partner, open the program dashboard.

        Open the program dashboard: https://mentoring.example.com/dash

        """,
            mail.TextBody);
        Assert.Equal("digest-key:hr@example.com", mail.IdempotencyKey);
        Assert.Equal(
            new Dictionary<string, string>(StringComparer.Ordinal) { ["programId"] = "spring", ["reference"] = "2027-04-12", ["category"] = CheckInMailCategories.AtRisk },
            mail.CustomArgs);
    }

    [Fact]
    public void A_digest_whose_matches_are_all_the_ones_at_risk_does_not_repeat_the_total()
    {
        var line = new AtRiskDigestLine(Match(Ana, Bo) with { AtRiskSince = Intro.AddDays(42) }, CheckInTally.Empty, 2);

        var mail = CheckInMail.AtRiskDigest(Program, new MailAddress("hr@example.com"), new DateOnly(2027, 4, 12), [line, line], 2, "digest-key");

        Assert.Equal("[Spring buddies] 2 matches are newly at risk", mail.Subject);
        Assert.DoesNotContain("in total", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Last answer", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Open the program dashboard:", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Meetings reported so far: 0 (0 h); check-ins answered: 0 of 0.", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void The_need_help_alert_says_who_asked_when_in_local_time_in_their_words_and_how_to_reach_the_match()
    {
        var mail = CheckInMail.NeedHelp(Program, new MailAddress("hr@example.com"), Match(Ana, Bo), "p_bo", 2, Intro.AddDays(29), "help-key", "  We cannot find a time ");

        Assert.Equal("[Spring buddies] Bo asked for help", mail.Subject);
        Assert.Equal(
        """
        Bo asked for help
        =================

        ** Bo answered check-in 2 with "we need help" on Tue 30 Mar 2027, 11:00 (Europe/Berlin). **

        Please get in touch: bo@example.com.

        What would help, in Bo's words: "We cannot find a time"

        * Ana and Bo
          Ana: ana@example.com
          Bo: bo@example.com
          Introduced 1 Mar 2027.

        """,
            mail.TextBody);
        Assert.Equal(
            new Dictionary<string, string>(StringComparer.Ordinal) { ["programId"] = "spring", ["reference"] = "w1-m001", ["category"] = CheckInMailCategories.NeedHelp },
            mail.CustomArgs);
    }

    [Fact]
    public void A_need_help_alert_from_someone_no_longer_in_the_match_and_without_a_note_still_reaches_the_admins()
    {
        var mail = CheckInMail.NeedHelp(Program, new MailAddress("hr@example.com"), Match(Ana, Bo), "p_gone", 2, Intro.AddDays(29), "help-key", " ");

        Assert.Equal("[Spring buddies] A participant asked for help", mail.Subject);
        Assert.Contains("Please get in touch with the match below.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("A participant did not say what would help.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("font-weight:600;\">What would help", CheckInMail.NeedHelp(Program, new MailAddress("hr@example.com"), Match(Ana, Bo), "p_bo", 2, Intro, "k", "A note").HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("font-weight:600;\">A participant did not say", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CheckInAnswer.Met, "we met")]
    [InlineData(CheckInAnswer.NotYet, "not yet")]
    [InlineData(CheckInAnswer.NeedHelp, "need help")]
    [InlineData(CheckInAnswer.None, "no answer")]
    public void Answers_are_described_in_the_buttons_words(CheckInAnswer answer, string words) => Assert.Equal(words, CheckInMail.Describe(answer));
}
