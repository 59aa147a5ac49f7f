using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Engagement.Surveys;
using Mentoring.Core.Mail;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Tests.Engagement.Surveys;

/// <summary>Survey invites and reminders as their readers get them, and what the provider's events are keyed by.</summary>
public sealed class SurveyMailTests
{
    private static readonly MentoringProgram Program = new()
    {
        Id = "spring",
        Name = "Spring buddies",
        Kind = ProgramKind.Cohort,
        AdminEmails = ["hr@example.com"],
        TimeZone = "Europe/Berlin",
    };

    private static Uri Link(string name) => new($"https://mentoring.example.com/api/{name}");

    private static SurveyMailInput Input(int? reminder = null) => new()
    {
        Program = Program,
        Survey = SurveyDefinition.Defaults[0],
        To = new MailAddress("ana@example.com", "Ana"),
        SurveyUrl = Link("surveys/token"),
        ClosesAt = new DateTimeOffset(2027, 4, 29, 9, 0, 0, TimeSpan.Zero),
        IdempotencyKey = "survey-key",
        Reminder = reminder,
        SelfService = new SelfServiceLinks(Link("links/unsubscribe"), Link("links/pause"), Link("links/withdraw"), Link("links/rematch")),
    };

    [Fact]
    public void The_invite_asks_the_first_question_links_the_survey_and_says_until_when_in_local_time()
    {
        var mail = SurveyMail.Build(Input());

        Assert.Equal("[Spring buddies] Mid-program survey: how is it going?", mail.Subject);
        Assert.Equal(
        """
        Mid-program survey
        ==================

        Hi Ana,

        The organisers of Spring buddies would like to know how your peer mentoring is going. It takes about a minute: 3 questions.

        How would you rate your experience so far?

        Answer the survey: https://mentoring.example.com/api/surveys/token

        You can change your answers until Thu 29 Apr 2027, 11:00 (Europe/Berlin). Your answers go to the program organisers only.

        YOUR EMAILS

          Pause these emails for a while: https://mentoring.example.com/api/links/pause
          Ask for a new partner in the next round: https://mentoring.example.com/api/links/rematch
          Leave Spring buddies: https://mentoring.example.com/api/links/withdraw
          Unsubscribe from these emails: https://mentoring.example.com/api/links/unsubscribe

        You received this because you signed up for Spring buddies.

        """,
            mail.TextBody);
        Assert.Equal(("survey-key", SurveyMail.InviteCategory, "spring"), (mail.IdempotencyKey, mail.Category, mail.ProgramId));
        Assert.Equal(
            new Dictionary<string, string>(StringComparer.Ordinal) { ["programId"] = "spring", ["survey"] = "mid", ["category"] = SurveyMail.InviteCategory },
            mail.CustomArgs);
        Assert.Equal("<https://mentoring.example.com/api/links/unsubscribe>", mail.Headers["List-Unsubscribe"]);
    }

    [Fact]
    public void A_reminder_says_so_first_and_is_its_own_category()
    {
        var mail = SurveyMail.Build(Input(reminder: 2));

        Assert.Equal("[Spring buddies] Reminder: Mid-program survey", mail.Subject);
        Assert.Contains(
            "Hi Ana,\n\n** A friendly reminder: we have not had your answers yet. The survey closes on Thu 29 Apr 2027, 11:00 (Europe/Berlin). **\n\nThe organisers",
            mail.TextBody, StringComparison.Ordinal);
        Assert.Equal((SurveyMail.ReminderCategory, SurveyMail.ReminderCategory), (mail.Category, mail.CustomArgs["category"]));
        Assert.DoesNotContain("A friendly reminder", SurveyMail.Build(Input()).TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void In_a_roles_program_the_survey_names_whom_it_is_about_and_the_role_travels_with_the_events()
    {
        var mail = SurveyMail.Build(Input() with { Role = "mentor", Partners = "your mentees Bo and Cy" });

        Assert.Contains("The organisers of Spring buddies would like to know how mentoring is going with your mentees Bo and Cy.", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal("mentor", mail.CustomArgs["role"]);
        Assert.DoesNotContain("role", SurveyMail.Build(Input()).CustomArgs.Keys);
        Assert.Contains("how your peer mentoring is going", SurveyMail.Build(Input() with { Partners = "Bo" }).TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Someone_without_a_name_is_greeted_and_a_survey_of_one_question_says_so()
    {
        var one = SurveyDefinition.Defaults[0] with { Questions = [SurveyDefinition.Defaults[0].Questions[1]] };

        var mail = SurveyMail.Build(Input() with { To = new MailAddress("ana@example.com"), Survey = one });

        Assert.StartsWith("Mid-program survey\n==================\n\nHi there,\n\n", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("It takes about a minute: 1 question.\n\nHow likely are you to recommend this program to a colleague?\n", mail.TextBody, StringComparison.Ordinal);
    }
}
