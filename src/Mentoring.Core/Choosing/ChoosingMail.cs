using Mentoring.Core.Mail;
using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Programs;
using static Mentoring.Core.Mail.Templates.MailBody;

namespace Mentoring.Core.Choosing;

/// <summary>
/// The mails of user-led pairing, each to one person. Pure. A request names who asks and why they fit; nothing ever
/// says who declined whom, and a request that closes because someone is fully matched says only that.
/// </summary>
public static class ChoosingMail
{
    public const string Category = "choosing";

    /// <param name="role">Roles programs: the side the invited person registered for (mentees choose mentors, mentors mentees); null for peers.</param>
    public static MailMessage Invite(MentoringProgram program, string windowId, MailAddress to, Uri choose, DateTimeOffset endsAt, string key,
        Windows.ChooserRole? role = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(to);
        var deadline = MailFormat.LocalTime(endsAt, program.TimeZone);
        var (whom, people) = role switch
        {
            Windows.ChooserRole.Mentee => ("mentor", "mentors"),
            Windows.ChooserRole.Mentor => ("mentees", "mentees"),
            Windows.ChooserRole.Either => ("mentoring partner", "people you could mentor or learn from"),
            _ => ("mentoring partner", "people"),
        };
        var subject = Inv($"[{program.Name}] Choose your {whom} by {deadline}");
        var body = new MailBody()
            .Heading(role == Windows.ChooserRole.Mentee ? "Choose who you would like as your mentor" : role == Windows.ChooserRole.Mentor ? "Choose whom you would like to mentor" : "Choose who you would like to meet")
            .Paragraph(Inv($"Hi {to.Name},"))
            .Paragraph(Inv($"{program.Name} lets you choose. Your link shows the {program.Choosing.Suggestions} {people} who fit you best, with what you have in common. Pick up to {program.Choosing.MaxPicks} of them, in order, or let us match you."));
        if (role == Windows.ChooserRole.Mentor)
        {
            body.Paragraph("You need not pick anyone: mentees can ask you, and you accept or decline each request.");
        }
        body.Button("See my suggestions", choose, primary: true).EndButtons();
        body.Paragraph(Inv($"If you pick someone who picked you too, you are a pair at once; otherwise we ask them. Choosing closes {deadline}: then we match everyone still without a partner."), muted: true);
        return Message(program, windowId, to, subject, body, Inv($"Pick your partner for {program.Name} by {deadline}."), key);
    }

    /// <param name="fromRole">Roles programs: "mentor" when the requester offers to mentor, "mentee" when they ask to be mentored; null for peers.</param>
    public static MailMessage Request(MentoringProgram program, string windowId, MailAddress to, string fromName, IReadOnlyList<string> reasons,
        Uri answer, DateTimeOffset endsAt, string key, string? fromRole = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(reasons);
        var deadline = MailFormat.LocalTime(endsAt, program.TimeZone);
        var wish = RequestWish(fromName, fromRole);
        var subject = Inv($"[{program.Name}] {wish}");
        var body = new MailBody()
            .Heading(fromRole is null ? Inv($"{fromName} would like to pair with you") : wish)
            .Paragraph(Inv($"Hi {to.Name},"))
            .Paragraph(fromRole switch
            {
                Questionnaires.BuiltInQuestions.RoleOptions.Mentor => Inv($"{fromName} picked you as a mentee in {program.Name} and offers to mentor you."),
                Questionnaires.BuiltInQuestions.RoleOptions.Mentee => Inv($"{fromName} picked you as their mentor in {program.Name}."),
                _ => Inv($"{fromName} picked you as a partner in {program.Name}."),
            });
        if (reasons.Count > 0)
        {
            body.Section("What you have in common");
            body.Bullets(reasons);
        }
        body.Button("Accept or decline", answer, primary: true).EndButtons();
        body.Paragraph(Inv($"Your answer is private: if you decline, {fromName} is not told. Unanswered requests close {deadline}."), muted: true);
        return Message(program, windowId, to, subject, body, Inv($"{fromName} picked you in {program.Name}."), key);
    }

    /// <summary>The words of a request: who asks for what, with the role in mentor/mentee programs.</summary>
    public static string RequestWish(string fromName, string? fromRole) => fromRole switch
    {
        Questionnaires.BuiltInQuestions.RoleOptions.Mentor => Inv($"{fromName} would like to be your mentor"),
        Questionnaires.BuiltInQuestions.RoleOptions.Mentee => Inv($"{fromName} would like you to be their mentor"),
        _ => Inv($"{fromName} would like to be your mentoring partner"),
    };

    /// <summary>What a formed pair is to one of its two people: "Ana is your mentor", "You will mentor Bo", or a plain pair.</summary>
    public static string PairWords(string partnerName, string? partnerRole) => partnerRole switch
    {
        Questionnaires.BuiltInQuestions.RoleOptions.Mentor => Inv($"{partnerName} is your mentor"),
        Questionnaires.BuiltInQuestions.RoleOptions.Mentee => Inv($"You will mentor {partnerName}"),
        _ => Inv($"You and {partnerName} are a pair"),
    };

    /// <param name="partnerRole">Roles programs: the partner's side ("mentor" or "mentee"); null for peers.</param>
    public static MailMessage Formed(MentoringProgram program, string windowId, MailAddress to, string partnerName, bool autoApprove, string key,
        string? partnerRole = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(to);
        var words = PairWords(partnerName, partnerRole);
        var subject = Inv($"[{program.Name}] {words}");
        var body = new MailBody()
            .Heading(words)
            .Paragraph(Inv($"Hi {to.Name},"))
            .Paragraph(autoApprove
                ? Inv($"You and {partnerName} chose each other in {program.Name}. Your intro, with a first-session agenda and a suggested time, follows when choosing closes.")
                : Inv($"You and {partnerName} chose each other in {program.Name}. Your intro, with a first-session agenda and a suggested time, follows once the program team has approved this round's pairs."));
        return Message(program, windowId, to, subject, body, Inv($"You and {partnerName} are a pair in {program.Name}."), key);
    }

    /// <param name="askedAs">Roles programs, when the other person (who could take either side) paired on the other side: the side
    /// the request asked them to take, "mentor" or "mentee". Null when they are simply full.</param>
    public static MailMessage Lapsed(MentoringProgram program, string windowId, MailAddress to, string targetName, DateTimeOffset endsAt, bool fallback, string key,
        string? askedAs = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(to);
        var deadline = MailFormat.LocalTime(endsAt, program.TimeZone);
        var asMentor = askedAs == Questionnaires.BuiltInQuestions.RoleOptions.Mentor;
        var (title, why) = askedAs is null
            ? (Inv($"{targetName} is fully matched"), Inv($"{targetName} has found all the partners they have room for, so your request has closed."))
            : (Inv($"{targetName} is no longer available as a {(asMentor ? "mentor" : "mentee")}"),
               Inv($"{targetName} could mentor or be mentored, and has just paired as a {(asMentor ? "mentee" : "mentor")}, so they {(asMentor ? "will not mentor anyone" : "are not looking for a mentor")} this round and your request has closed."));
        var subject = Inv($"[{program.Name}] {title}");
        var body = new MailBody()
            .Heading(title)
            .Paragraph(Inv($"Hi {to.Name},"))
            .Paragraph(why + " Nothing you did: it was simply first come, first served.")
            .Paragraph(fallback
                ? Inv($"If none of your other picks works out, we will match you with someone who fits you well when choosing closes, {deadline}.")
                : Inv($"You asked to be paired only with people you picked. If none of them works out, you will be on the waiting list for the next round."));
        return Message(program, windowId, to, subject, body, Inv($"Your request to {targetName} in {program.Name} has closed."), key);
    }

    private static MailMessage Message(MentoringProgram program, string windowId, MailAddress to, string subject, MailBody body, string preheader, string key) => new()
    {
        IdempotencyKey = key,
        To = [to],
        Subject = OneLine(subject),
        HtmlBody = body.Html(subject, preheader),
        TextBody = body.Text(),
        Category = Category,
        ProgramId = program.Id,
        CustomArgs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["programId"] = program.Id,
            ["windowId"] = windowId,
            ["category"] = Category,
        },
    };
}
