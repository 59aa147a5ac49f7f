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

    public static MailMessage Invite(MentoringProgram program, string windowId, MailAddress to, Uri choose, DateTimeOffset endsAt, string key)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(to);
        var deadline = MailFormat.LocalTime(endsAt, program.TimeZone);
        var subject = Inv($"[{program.Name}] Choose your mentoring partner by {deadline}");
        var body = new MailBody()
            .Heading("Choose who you would like to meet")
            .Paragraph(Inv($"Hi {to.Name},"))
            .Paragraph(Inv($"{program.Name} lets you choose your partner. Your link shows the {program.Choosing.Suggestions} people who fit you best, with what you have in common. Pick up to {program.Choosing.MaxPicks} of them, in order, or let us match you."));
        body.Button("See my suggestions", choose, primary: true).EndButtons();
        body.Paragraph(Inv($"If you pick someone who picked you too, you are a pair at once; otherwise we ask them. Choosing closes {deadline}: then we match everyone still without a partner."), muted: true);
        return Message(program, windowId, to, subject, body, Inv($"Pick your partner for {program.Name} by {deadline}."), key);
    }

    public static MailMessage Request(MentoringProgram program, string windowId, MailAddress to, string fromName, IReadOnlyList<string> reasons,
        Uri answer, DateTimeOffset endsAt, string key)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(reasons);
        var deadline = MailFormat.LocalTime(endsAt, program.TimeZone);
        var subject = Inv($"[{program.Name}] {fromName} would like to be your mentoring partner");
        var body = new MailBody()
            .Heading(Inv($"{fromName} would like to pair with you"))
            .Paragraph(Inv($"Hi {to.Name},"))
            .Paragraph(Inv($"{fromName} picked you as a partner in {program.Name}."));
        if (reasons.Count > 0)
        {
            body.Section("What you have in common");
            body.Bullets(reasons);
        }
        body.Button("Accept or decline", answer, primary: true).EndButtons();
        body.Paragraph(Inv($"Your answer is private: if you decline, {fromName} is not told. Unanswered requests close {deadline}."), muted: true);
        return Message(program, windowId, to, subject, body, Inv($"{fromName} picked you in {program.Name}."), key);
    }

    public static MailMessage Formed(MentoringProgram program, string windowId, MailAddress to, string partnerName, bool autoApprove, string key)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(to);
        var subject = Inv($"[{program.Name}] You and {partnerName} are a pair");
        var body = new MailBody()
            .Heading(Inv($"You and {partnerName} are a pair"))
            .Paragraph(Inv($"Hi {to.Name},"))
            .Paragraph(autoApprove
                ? Inv($"You and {partnerName} chose each other in {program.Name}. Your intro, with a first-session agenda and a suggested time, follows when choosing closes.")
                : Inv($"You and {partnerName} chose each other in {program.Name}. Your intro, with a first-session agenda and a suggested time, follows once the program team has approved this round's pairs."));
        return Message(program, windowId, to, subject, body, Inv($"You and {partnerName} are a pair in {program.Name}."), key);
    }

    public static MailMessage Lapsed(MentoringProgram program, string windowId, MailAddress to, string targetName, DateTimeOffset endsAt, bool fallback, string key)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(to);
        var deadline = MailFormat.LocalTime(endsAt, program.TimeZone);
        var subject = Inv($"[{program.Name}] {targetName} is fully matched");
        var body = new MailBody()
            .Heading(Inv($"{targetName} is fully matched"))
            .Paragraph(Inv($"Hi {to.Name},"))
            .Paragraph(Inv($"{targetName} has found all the partners they have room for, so your request has closed. Nothing you did: it was simply first come, first served."))
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
