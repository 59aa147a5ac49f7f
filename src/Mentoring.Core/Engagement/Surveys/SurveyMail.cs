using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Mail;
using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Programs;
using static Mentoring.Core.Mail.Templates.MailBody;

namespace Mentoring.Core.Engagement.Surveys;

/// <summary>One survey invite or reminder to one participant.</summary>
public sealed record SurveyMailInput
{
    public required MentoringProgram Program { get; init; }
    public required SurveyDefinition Survey { get; init; }
    public required MailAddress To { get; init; }
    /// <summary>The signed survey link.</summary>
    public required Uri SurveyUrl { get; init; }
    public required DateTimeOffset ClosesAt { get; init; }
    /// <summary>The work item's idempotency key: one mail per invite or reminder, ever.</summary>
    public required string IdempotencyKey { get; init; }
    /// <summary>Null for the invite; 1, 2... for reminders.</summary>
    public int? Reminder { get; init; }
    /// <summary>Roles programs: the role the person holds ("mentor", "mentee"); null for peers.</summary>
    public string? Role { get; init; }
    /// <summary>Roles programs: whom the survey is about, as the person calls them ("your mentees Bo and Cy").</summary>
    public string? Partners { get; init; }
    /// <summary>The participant's pause / leave / unsubscribe links: the footer, and the RFC 8058 <c>List-Unsubscribe</c> headers.</summary>
    public required SelfServiceLinks SelfService { get; init; }
}

/// <summary>Survey invites and reminders, in the house style (<see cref="MailBody"/>). Pure.</summary>
public static class SurveyMail
{
    public const string InviteCategory = "survey";
    public const string ReminderCategory = "survey-reminder";

    public static MailMessage Build(SurveyMailInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var program = input.Program;
        var survey = input.Survey;
        var closes = MailFormat.LocalTime(input.ClosesAt, program.TimeZone);
        var questions = survey.Questions.Count;
        var reminder = input.Reminder is not null;
        var subject = reminder
            ? Inv($"[{program.Name}] Reminder: {survey.Title}")
            : Inv($"[{program.Name}] {survey.Title}: how is it going?");

        var body = new MailBody();
        body.Heading(survey.Title);
        body.Paragraph(Inv($"Hi {input.To.Name ?? "there"},"));
        if (reminder)
        {
            body.Notice(Inv($"A friendly reminder: we have not had your answers yet. The survey closes on {closes}."));
        }
        // Roles programs name whom the survey is about by role: "how mentoring is going with your mentees Bo and Cy".
        var topic = input.Role is not null && input.Partners is { } partners
            ? Inv($"how mentoring is going with {partners}")
            : "how your peer mentoring is going";
        body.Paragraph(Inv($"The organisers of {program.Name} would like to know {topic}. It takes about a minute: {MailFormat.Plural(questions, "question", "questions")}."));
        if (questions > 0)
        {
            body.Paragraph(survey.Questions[0].Text, strong: true);
        }
        body.Button("Answer the survey", input.SurveyUrl, primary: true).EndButtons();
        body.Paragraph(Inv($"You can change your answers until {closes}. Your answers go to the program organisers only."), muted: true);
        CheckInMail.SelfService(body, program, input.SelfService);

        var category = reminder ? ReminderCategory : InviteCategory;
        var args = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["programId"] = program.Id,
            ["survey"] = survey.Key,
            ["category"] = category,
        };
        if (input.Role is { } held)
        {
            args["role"] = held;
        }
        var message = new MailMessage
        {
            IdempotencyKey = input.IdempotencyKey,
            To = [input.To],
            Subject = OneLine(subject),
            HtmlBody = body.Html(subject, Inv($"{MailFormat.Plural(questions, "question", "questions")} about {program.Name}; open until {closes}.")),
            TextBody = body.Text(),
            Category = category,
            ProgramId = program.Id,
            CustomArgs = args,
        };
        return ListUnsubscribe.With(message, input.SelfService.Unsubscribe);
    }
}
