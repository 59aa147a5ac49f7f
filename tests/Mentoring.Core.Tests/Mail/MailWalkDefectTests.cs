using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Engagement.Surveys;
using Mentoring.Core.Mail;
using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Matching;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;
using static Mentoring.Core.Tests.Mail.MailFixtures;

namespace Mentoring.Core.Tests.Mail;

/// <summary>Defects a walk through every admin and participant mail found (issue 12), one test each.</summary>
public sealed class MailWalkDefectTests
{
    private static StoredDraft Stored(int version, PairDraft draft, DateTimeOffset computedAt) => new("spring", "w-2027-03", version, draft, new DraftEditSet(), computedAt);

    [Fact]
    public void Draft_v2_says_what_changed_who_forbade_which_pair_and_why_and_when_it_was_computed()
    {
        var v1 = Draft() with { Pairs = [Pair(Ana, Bo, 38, "public speaking"), Pair(Cy, Di, 34, "negotiation")], Waitlist = [] };
        var v2 = Draft() with { Pairs = [Pair(Ana, Cy, 36, "public speaking")], Waitlist = [new WaitlistEntry(Di, WaitlistReason.OddCount, "Di waits.", false), new WaitlistEntry(Bo, WaitlistReason.OddCount, "Bo waits.", false)] };
        var forbadeAt = At.AddDays(2);
        var state = new WindowState
        {
            ProgramId = "spring",
            WindowId = "w-2027-03",
            Phase = WindowPhase.AwaitingDecision,
            Timings = new WindowTimings(TimeSpan.FromHours(48), 3, TimeSpan.FromDays(30)),
            DraftVersion = 2,
            Decisions = [new DecisionRecord(1, DecisionAction.ForbidPair, "lead@example.com", forbadeAt, "They share a manager", new(Ana.Id, Bo.Id), null)],
        };
        var changes = DraftChanges.Between(Stored(1, v1, At), Stored(2, v2, forbadeAt.AddMinutes(1)), state);

        var mail = AdminMail.Draft(DraftInput(version: 2) with { Draft = v2, ComputedAt = forbadeAt.AddMinutes(1), Changes = changes });

        Assert.Contains("WHAT CHANGED SINCE V1", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Ana & Bo was forbidden by lead@example.com on Wed 3 Mar 2027, 10:00 (Europe/Berlin): \"They share a manager\"", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("No longer matched: Ana & Bo", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("No longer matched: Cy & Di", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("New: Ana & Cy (score 36)", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Now waitlisted: Bo", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Computed Wed 3 Mar 2027, 10:01 (Europe/Berlin)", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void The_optimality_statement_is_plain_language_with_the_best_possible_total()
    {
        var mail = AdminMail.Draft(DraftInput());

        // Two pairs and a trio of two links, each at most 20 + 10 + 8 = 38 points: a possible 4 x 38.
        Assert.Contains("No other set of pairs the rules allow scores higher. Total 142 of a possible 152.", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("dual certificate", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("allowed pairs", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("of a possible 38", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_pairs_reasons_appear_once_and_the_weakest_pair_is_flagged()
    {
        var input = DraftInput() with { Draft = Draft() with { Pairs = [Pair(Ana, Bo, 38, "public speaking"), Pair(Cy, Di, 36, "negotiation"), Pair(Ed, Fay, 31, "sql")] } };

        var text = AdminMail.Draft(input).TextBody;

        Assert.Equal(1, Count(text, "both want public speaking"));
        Assert.Contains("Ed & Fay - score 31 - among the weakest", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Ana & Bo - score 38 - among the weakest", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_approval_confirmation_mail_carries_the_dashboard_link()
    {
        var dashboard = new Uri("https://mentoring.example.com/api/dashboard/sign-in/abc");

        var mail = AdminMail.Decided(Program(), "w-2027-03", 2, new MailAddress("lead@example.com"), DraftDecision.Approved, At, "hr@example.com", null, dashboard);

        Assert.Contains("v2 was approved", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Open the program dashboard", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(dashboard.AbsoluteUri, mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void The_need_help_alert_names_the_people_quotes_what_would_help_and_shows_no_match_id()
    {
        var match = new PublishedMatch
        {
            Id = "w1-m0",
            ProgramId = "spring",
            WindowId = "w1",
            Version = 1,
            Members = [new MatchMember("p_ana", "Ana", "ana@example.com"), new MatchMember("p_bo", "Bo", "bo@example.com")],
            IntroducedAt = At,
        };

        var mail = CheckInMail.NeedHelp(Program(), new MailAddress("hr@example.com"), match, "p_ana", 2, At.AddDays(20), "key",
            "We cannot find a time that suits both of us", new Uri("https://mentoring.example.com/api/dashboard/sign-in/abc"));

        Assert.Contains("Ana asked for help", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("What would help, in Ana's words: \"We cannot find a time that suits both of us\"", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Ana and Bo", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("w1-m0", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Open the program dashboard", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Survey_mails_carry_the_program_prefix_in_the_subject()
    {
        var program = Program();
        var survey = SurveyDefinition.Defaults[0];
        var input = new SurveyMailInput
        {
            Program = program,
            Survey = survey,
            To = new MailAddress("ana@example.com", "Ana"),
            SurveyUrl = new Uri("https://mentoring.example.com/api/surveys/t"),
            ClosesAt = At.AddDays(14),
            IdempotencyKey = "k",
            SelfService = new SelfServiceLinks(new Uri("https://m.example.com/u"), new Uri("https://m.example.com/p"), new Uri("https://m.example.com/w"), null),
        };

        Assert.StartsWith("[Spring buddies] ", SurveyMail.Build(input).Subject, StringComparison.Ordinal);
        Assert.StartsWith("[Spring buddies] ", SurveyMail.Build(input with { Reminder = 1, IdempotencyKey = "k2" }).Subject, StringComparison.Ordinal);
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
