using Mentoring.Core.Common;
using Mentoring.Core.Engagement.Agendas;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Mail;
using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;
using static Mentoring.Core.Mail.Templates.MailBody;

namespace Mentoring.Core.Engagement.CheckIns;

/// <summary>Mail categories of engagement mails.</summary>
public static class CheckInMailCategories
{
    public const string CheckIn = "checkin";
    public const string AtRisk = "at-risk";
    public const string NeedHelp = "need-help";
}

/// <summary>One check-in nudge to one member of one match.</summary>
public sealed record CheckInNudgeInput(
    MentoringProgram Program,
    PublishedMatch Match,
    MatchMember To,
    int Round,
    CheckInSchedule Schedule,
    CheckInLinks Links,
    string IdempotencyKey)
{
    /// <summary>Roles programs: the recipient's role (mentor or mentee), which picks the agenda prompts meant for them.</summary>
    public string? Role { get; init; }
}

/// <summary>An at-risk match in the admins' digest, with what its check-ins add up to.</summary>
public sealed record AtRiskDigestLine(PublishedMatch Match, CheckInTally Tally, int QuietRounds);

/// <summary>Check-in nudges to participants and at-risk / need-help mails to admins. Pure; every typed string is encoded by <see cref="MailBody"/>.</summary>
public static class CheckInMail
{
    public static string NudgeKey(string programId, string matchId, string participantId, DateTimeOffset dueAt) =>
        Inv($"checkin:{programId}:{matchId}:{participantId}:{dueAt.UtcDateTime:yyyy-MM-dd}");

    /// <summary>An admin's extra nudge (dashboard): one per member, round and program-local day.</summary>
    public static string NudgeNowKey(string programId, string matchId, string participantId, int round, DateOnly day) =>
        Inv($"checkin-now:{programId}:{matchId}:{participantId}:r{round}:{day:yyyy-MM-dd}");

    public static string DigestKey(string programId, DateOnly day) => Inv($"at-risk-digest:{programId}:{day:yyyy-MM-dd}");

    public static string NeedHelpKey(string programId, string matchId, int round, string participantId, DateTimeOffset answeredAt) =>
        Inv($"need-help:{programId}:{matchId}:r{round}:{participantId}:{answeredAt.ToUnixTimeMilliseconds()}");

    /// <summary>The per-admin mail key of an admin work item.</summary>
    public static string AdminKey(string workKey, string adminEmail) => workKey + ":" + EmailAddress.Normalise(adminEmail);

    public static MailMessage Nudge(CheckInNudgeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var program = input.Program;
        var partners = Partners(input.Match, input.To.ParticipantId);
        var unit = input.Match.Members.Count switch { 2 => "pair", 3 => "trio", _ => "group" };
        var cadence = CheckInSchedule.Wording(input.Schedule.EveryDays);
        var rounds = input.Schedule.Rounds;
        var closes = MailFormat.LocalTime(input.Schedule.ClosesAt(input.Round), program.TimeZone);
        var subject = Inv($"[{program.Name}] Check-in {input.Round} of {rounds}: have you met {partners}?");
        var body = new MailBody()
            .Heading("Time for your check-in")
            .Paragraph(Inv($"Hi {input.To.Name},"))
            .Paragraph(input.Round == 1
                ? Inv($"{program.Name} checks in {cadence}. Have you and {partners} met since your intro?")
                : Inv($"{program.Name} checks in {cadence}. Have you and {partners} met since the last check-in?"));
        foreach (var (minutes, url) in input.Links.Met)
        {
            body.Button(Inv($"We met ({minutes} minutes)"), url, primary: true);
        }
        body.Button("Not yet", input.Links.NotYet)
            .Button(Inv($"We need help"), input.Links.NeedHelp, danger: true)
            .EndButtons()
            .Paragraph(Inv($"One click opens a page where you confirm (and can set the exact minutes). You can change your answer until the next check-in, {closes}."), muted: true)
            .Paragraph(Inv($"\"Need help\" tells the program team, who will get in touch. Your answers count towards your {unit}'s mentoring hours."), muted: true);
        if (SessionAgendas.Next(program, input.Schedule.IntroducedAt, input.Schedule.DueAt(input.Round)) is { } session)
        {
            AgendaMail.Write(body, "For your next session", session, input.Role);
        }
        SelfService(body, program, input.Links.SelfService);
        var message = new MailMessage
        {
            IdempotencyKey = input.IdempotencyKey,
            To = [new MailAddress(input.To.Email, input.To.Name)],
            Subject = OneLine(subject),
            HtmlBody = body.Html(subject, Inv($"Check-in {input.Round} of {rounds}: one click to say whether you met {partners}.")),
            TextBody = body.Text(),
            Category = CheckInMailCategories.CheckIn,
            ProgramId = program.Id,
            CustomArgs = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["programId"] = program.Id,
                ["matchId"] = input.Match.Id,
                ["participantId"] = input.To.ParticipantId,
                ["round"] = Inv($"{input.Round}"),
                ["category"] = CheckInMailCategories.CheckIn,
            },
        };
        return ListUnsubscribe.With(message, input.Links.SelfService.Unsubscribe);
    }

    /// <summary>
    /// The other members of a match as one participant calls them: by their role when the match has roles ("your mentee
    /// Bo", "your mentor Ana", "your mentees Bo and Cy"), else by name ("Bo and Cy"); "your match" when nobody else is left.
    /// </summary>
    public static string Partners(PublishedMatch match, string participantId)
    {
        ArgumentNullException.ThrowIfNull(match);
        return Partners(match.Members.Where(m => m.ParticipantId != participantId));
    }

    /// <inheritdoc cref="Partners(PublishedMatch, string)"/>
    public static string Partners(IEnumerable<MatchMember> others)
    {
        ArgumentNullException.ThrowIfNull(others);
        var parts = others.GroupBy(m => m.Role, StringComparer.Ordinal)
            .Select(g => g.Key is null
                ? MailFormat.Names([.. g.Select(m => m.Name)])
                : Inv($"your {(g.Count() == 1 ? g.Key : g.Key + "s")} {MailFormat.Names([.. g.Select(m => m.Name)])}"))
            .ToList();
        return parts.Count == 0 ? "your match" : MailFormat.Names(parts);
    }

    /// <summary>The footer of every participant mail: pause, rematch (evergreen), leave, unsubscribe.</summary>
    internal static void SelfService(MailBody body, MentoringProgram program, SelfServiceLinks links)
    {
        body.Section("Your emails");
        body.Link("Pause these emails for a while", links.Pause);
        if (links.Rematch is { } rematch)
        {
            body.Link("Ask for a new partner in the next round", rematch);
        }
        body.Link(Inv($"Leave {program.Name}"), links.Withdraw);
        body.Link("Unsubscribe from these emails", links.Unsubscribe);
        body.EndButtons();
        body.Paragraph(Inv($"You received this because you signed up for {program.Name}."), muted: true);
    }

    public static MailMessage AtRiskDigest(MentoringProgram program, MailAddress admin, DateOnly day, IReadOnlyList<AtRiskDigestLine> lines,
        int atRiskInTotal, string workKey, Uri? dashboard = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(lines);
        var count = MailFormat.Plural(lines.Count, "match is", "matches are");
        var subject = Inv($"[{program.Name}] {count} newly at risk");
        var body = new MailBody()
            .Heading(Inv($"{program.Name}: {count} newly at risk"))
            .Paragraph(Inv($"These matches had {MailFormat.Plural(program.Engagement.AtRiskAfterRounds, "check-in", "check-ins")} in a row without anyone reporting a meeting (only \"not yet\" or no answer)."));
        foreach (var line in lines)
        {
            var match = line.Match;
            body.Card(MailFormat.Names([.. match.Members.Select(m => m.Name)]), card =>
            {
                card.Line(string.Join(", ", match.Members.Select(m => m.Email)), muted: true);
                card.Line(Inv($"Introduced {Day(match.IntroducedAt, program)}; at risk since {Day(match.AtRiskSince, program)}."));
                card.Line(Inv($"Meetings reported so far: {line.Tally.Meetings} ({MailFormat.Number(line.Tally.Hours)} h); check-ins answered: {line.Tally.Answers} of {line.Tally.Nudges}."));
                if (line.Tally.LastAnswer is { } last)
                {
                    card.Line(Inv($"Last answer: {Describe(last.Answer)} on {Day(last.AnsweredAt, program)}."), muted: true);
                }
            });
        }
        if (atRiskInTotal > lines.Count)
        {
            body.Paragraph(Inv($"{MailFormat.Plural(atRiskInTotal, "match is", "matches are")} at risk in total."), muted: true);
        }
        body.Paragraph("A short, friendly note to the pair often helps. To end a match or give someone a new partner, open the program dashboard.", muted: true);
        if (dashboard is not null)
        {
            body.Button("Open the program dashboard", dashboard, primary: true).EndButtons();
        }
        return AdminMessage(program, admin, subject, body, Inv($"{count} newly at risk in {program.Name}."), CheckInMailCategories.AtRisk, AdminKey(workKey, admin.Email),
            Inv($"{day:yyyy-MM-dd}"));
    }

    public static MailMessage NeedHelp(MentoringProgram program, MailAddress admin, PublishedMatch match, string participantId, int round,
        DateTimeOffset answeredAt, string workKey, string? note = null, Uri? dashboard = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(match);
        var asking = match.Members.FirstOrDefault(m => m.ParticipantId == participantId);
        var who = asking?.Name ?? "A participant";
        var subject = Inv($"[{program.Name}] {who} asked for help");
        var body = new MailBody()
            .Heading(Inv($"{who} asked for help"))
            .Notice(Inv($"{who} answered check-in {round} with \"we need help\" on {MailFormat.LocalTime(answeredAt, program.TimeZone)}."), warning: true)
            .Paragraph(asking is null ? "Please get in touch with the match below." : Inv($"Please get in touch: {asking.Email}."));
        body.Paragraph(string.IsNullOrWhiteSpace(note) ? Inv($"{who} did not say what would help.") : Inv($"What would help, in {who}'s words: \"{note.Trim()}\""),
            strong: !string.IsNullOrWhiteSpace(note));
        body.Card(MailFormat.Names([.. match.Members.Select(m => m.Name)]), card =>
        {
            foreach (var member in match.Members)
            {
                card.Line(Inv($"{member.Name}: {member.Email}"));
            }
            card.Line(Inv($"Introduced {Day(match.IntroducedAt, program)}."), muted: true);
        });
        if (dashboard is not null)
        {
            body.Button("Open the program dashboard", dashboard, primary: true).EndButtons();
        }
        return AdminMessage(program, admin, subject, body, Inv($"{who} asked for help in {program.Name}."), CheckInMailCategories.NeedHelp,
            AdminKey(workKey, admin.Email), match.Id);
    }

    public static string Describe(CheckInAnswer answer) => answer switch
    {
        CheckInAnswer.Met => "we met",
        CheckInAnswer.NotYet => "not yet",
        CheckInAnswer.NeedHelp => "need help",
        _ => "no answer",
    };

    private static string Day(DateTimeOffset? at, MentoringProgram program) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, MailFormat.Zone(program.TimeZone)).ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture) : "-";

    private static MailMessage AdminMessage(MentoringProgram program, MailAddress admin, string subject, MailBody body, string preheader, string category,
        string key, string reference) => new()
    {
        IdempotencyKey = key,
        To = [admin],
        Subject = OneLine(subject),
        HtmlBody = body.Html(subject, preheader),
        TextBody = body.Text(),
        Category = category,
        ProgramId = program.Id,
        CustomArgs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["programId"] = program.Id,
            ["reference"] = reference,
            ["category"] = category,
        },
    };
}
