using System.Security.Cryptography;
using System.Text;
using Mentoring.Core.Engagement.Agendas;
using Mentoring.Core.Matching;
using Mentoring.Core.Matching.Scoring;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;
using static Mentoring.Core.Mail.Templates.MailBody;

namespace Mentoring.Core.Mail.Templates;

/// <summary>The people of one approved pair, trio or group, and why they were matched.</summary>
public sealed record IntroMailInput
{
    public required MentoringProgram Program { get; init; }
    public required string WindowId { get; init; }
    public required IReadOnlyList<DraftMember> Members { get; init; }
    /// <summary>The pair's (or group's) sentence from the draft.</summary>
    public required string Sentence { get; init; }
    /// <summary>The criteria behind the match; the strongest few are shown.</summary>
    public IReadOnlyList<CriterionPoints> Criteria { get; init; } = [];
    /// <summary>The members' registrations, for department and level (when they answered); matched by id. Others are ignored.</summary>
    public IReadOnlyList<Participant> Participants { get; init; } = [];
    /// <summary>The first meeting is suggested on the next weekday after this instant (the approval time), at 10:00 in the program's zone.</summary>
    public required DateTimeOffset SuggestAfter { get; init; }
    /// <summary>Overrides the cadence sentence derived from the program kind.</summary>
    public string? CadenceWording { get; init; }
    /// <summary>Led groups: the member who leads (one of <see cref="Members"/>).</summary>
    public string? LeadId { get; init; }
    /// <summary>Buddies programs: what the first member is to the second, for example "culture buddy".</summary>
    public string? BuddyKind { get; init; }
    /// <summary>Trios and groups: why each two of them fit, one line per link ("Ana & Bo: both want SQL").</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    public static IntroMailInput ForPair(MentoringProgram program, string windowId, DraftPair pair, DateTimeOffset suggestAfter, IReadOnlyList<Participant>? participants = null)
    {
        ArgumentNullException.ThrowIfNull(pair);
        return new()
        {
            Program = program,
            WindowId = windowId,
            Members = [pair.A, pair.B],
            Sentence = pair.Sentence,
            Criteria = pair.Criteria,
            Participants = participants ?? [],
            SuggestAfter = suggestAfter,
            BuddyKind = pair.BuddyKind is { } key ? program.Buddies.Kinds.FirstOrDefault(k => k.Key == key)?.Name ?? $"{key} buddy" : null,
        };
    }

    /// <summary>A trio or group: the criteria are those of the pairs inside it.</summary>
    public static IntroMailInput ForGroup(MentoringProgram program, string windowId, DraftGroup group, DateTimeOffset suggestAfter, IReadOnlyList<Participant>? participants = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        return new()
        {
            Program = program,
            WindowId = windowId,
            Members = group.Members,
            Sentence = group.Sentence,
            Reasons = group.LeadId is null ? [.. group.Links.Where(l => !string.IsNullOrWhiteSpace(l.Sentence)).Select(l => $"{l.A.Name} & {l.B.Name}: {l.Sentence}")] : [],
            Criteria = [.. group.Links.SelectMany(l => l.Criteria)],
            Participants = participants ?? [],
            SuggestAfter = suggestAfter,
            LeadId = group.LeadId,
        };
    }
}

/// <summary>The intro emails to the members of one pair (or trio, or group), one per member, with an ICS invite suggestion. Pure.</summary>
public static class IntroMail
{
    public const int FirstMeetingMinutes = 30;
    public const int FirstMeetingHour = 10;
    public const string CalendarFileName = "first-meeting.ics";
    public const string CalendarContentType = "text/calendar; charset=utf-8; method=PUBLISH";
    private const int TopCriteria = 3;

    /// <summary>The stable key of a pair or group: its member ids, sorted, joined with '+'.</summary>
    public static string PairKey(IEnumerable<string> memberIds) =>
        string.Join("+", memberIds.Order(StringComparer.Ordinal));

    /// <summary>One member's intro: each member gets their own mail, so one address that cannot take mail never costs the others theirs.</summary>
    public static string Key(string programId, string windowId, string pairKey, string participantId) =>
        $"intro:{programId}:{windowId}:{pairKey}:{participantId}";

    /// <summary>The calendar UID: derived from program, window and members, so a resend updates the same event.</summary>
    public static string CalendarUid(string programId, string windowId, string pairKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{programId}\n{windowId}\n{pairKey}"));
        return "intro-" + Convert.ToHexStringLower(hash.AsSpan(0, 16)) + "@mentoring";
    }

    /// <summary>The next weekday after <paramref name="after"/> (in the program's zone), 10:00-10:30 local time.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) FirstMeeting(string? timeZone, DateTimeOffset after)
    {
        var zone = MailFormat.Zone(timeZone);
        var localDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(after, zone).DateTime).AddDays(1);
        while (localDate.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            localDate = localDate.AddDays(1);
        }

        var local = localDate.ToDateTime(new TimeOnly(FirstMeetingHour, 0), DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30); // a clock change at 10:00 local: take the first time that exists
        }

        var start = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
        return (start, start.AddMinutes(FirstMeetingMinutes));
    }

    private static string Everyone(int people) => people switch { 2 => "Both of you", 3 => "All three of you", _ => "All of you" };

    private static string Anyone(int people) => people == 2 ? "Either of you" : "Any of you";

    /// <summary>The intro of every member of the pair (or trio, or group), in member order: one mail each, naming the others.</summary>
    public static IReadOnlyList<MailMessage> Build(IntroMailInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return [.. input.Members.Select(member => For(input, member))];
    }

    /// <summary>The intro of one member: to them alone, about the others.</summary>
    public static MailMessage For(IntroMailInput input, DraftMember recipient)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(recipient);
        if (input.Members.Count < 2)
        {
            throw new ArgumentException("An intro needs at least two members.", nameof(input));
        }
        var others = input.Members.Where(m => m.Id != recipient.Id).ToList();
        if (others.Count != input.Members.Count - 1)
        {
            throw new ArgumentException($"{recipient.Id} is not a member of this match.", nameof(recipient));
        }

        var program = input.Program;
        var members = input.Members;
        var partners = MailFormat.Names([.. others.Select(m => m.Name)]);
        var lead = members.FirstOrDefault(m => input.LeadId is not null && m.Id == input.LeadId);
        var unit = lead is not null ? "group" : members.Count switch { 2 => "pair", 3 => "trio", _ => "group" };
        var pairKey = PairKey(members.Select(m => m.Id));
        var (start, end) = FirstMeeting(program.TimeZone, input.SuggestAfter);
        var when = MailFormat.LocalTime(start, program.TimeZone);

        // Roles programs: who mentors whom ("Ana will mentor Bo"), from the roles the draft gave each member.
        var mentorNames = members.Where(m => m.Role == BuiltInQuestions.RoleOptions.Mentor).Select(m => m.Name).ToList();
        var menteeNames = members.Where(m => m.Role == BuiltInQuestions.RoleOptions.Mentee).Select(m => m.Name).ToList();
        var roles = lead is null && mentorNames.Count > 0 && menteeNames.Count > 0 ? Inv($"{MailFormat.Names(mentorNames)} will mentor {MailFormat.Names(menteeNames)}") : null;
        var kindOfMentoring = lead is null && roles is null ? "peer-mentoring" : "mentoring";
        var buddy = input.BuddyKind is not null && members.Count == 2 ? input.BuddyKind : null;
        // members[0] is the buddy of members[1] (the newcomer): each reads the intro from their own side.
        var subject = buddy is not null
            ? recipient.Id == members[1].Id
                ? Inv($"[{program.Name}] Meet your {buddy}: {members[0].Name}")
                : Inv($"[{program.Name}] You are {members[1].Name}'s {buddy}")
            : roles is not null
            ? Inv($"[{program.Name}] Meet your mentoring partner: {roles}")
            : Inv($"[{program.Name}] Meet your {kindOfMentoring} {(members.Count == 2 ? "partner" : unit)}: {partners}");
        var ownCopy = Inv($"{(others.Count == 1 ? "They get" : "Each of them gets")} their own copy of this email: write to {(others.Count == 1 ? "them" : "them all")} to say hello.");
        var body = new MailBody()
            .Heading(buddy is not null ? Inv($"Meet your {program.Name} {buddy}") : Inv($"Meet your {program.Name} {unit}"))
            .Paragraph(Inv($"Hi {recipient.Name},"));
        if (buddy is not null)
        {
            body.Paragraph(recipient.Id == members[1].Id
                ? Inv($"{members[1].Name}, {members[0].Name} is your {buddy} in {program.Name}. {ownCopy}")
                : Inv($"{members[0].Name}, you are {members[1].Name}'s {buddy} in {program.Name}. {ownCopy}"));
        }
        else if (lead is not null)
        {
            var mentees = MailFormat.Names([.. members.Where(m => m != lead).Select(m => m.Name)]);
            body.Paragraph(Inv($"{lead.Name} will lead a group with {mentees} in {program.Name}. {ownCopy}"));
        }
        else if (roles is not null)
        {
            body.Paragraph(Inv($"{roles} in {program.Name}. {ownCopy}"));
        }
        else
        {
            body.Paragraph(Inv($"you have been matched with {partners} as a peer-mentoring {unit} in {program.Name}. {ownCopy}"));
        }

        body.Section(others.Count == 1 ? "Who" : "Who else");
        foreach (var member in others)
        {
            body.Card(member.Role is { } role ? Inv($"{member.Name} ({role})") : member.Name, card =>
            {
                card.Line(member.Email, muted: true);
                foreach (var detail in Details(program, input.Participants.FirstOrDefault(p => p.Id == member.Id)))
                {
                    card.Line(detail);
                }
            });
        }

        body.Section("Why you were matched");
        if (input.Reasons.Count > 0)
        {
            body.Bullets(input.Reasons);
        }
        else
        {
            body.Paragraph(input.Sentence);
        }
        body.Bullets(TopReasons(input.Criteria));

        if (SessionAgendas.First(program) is { } session)
        {
            // Session 1 of the program's agenda, then the practicalities every first meeting settles.
            AgendaMail.Write(body, "Your first session", session, role: null);
            body.Bullets([Cadence(program, input.CadenceWording), "Agree the ground rules below, then pick the date of your next meeting before you leave."]);
        }
        else
        {
            body.Section("Your first session (about 30 minutes)");
            body.Bullets(
            [
                "Introduce yourselves and share one or two goals each for this program.",
                Cadence(program, input.CadenceWording),
                "Agree the ground rules below, then pick the date of your next meeting before you leave.",
            ]);
        }
        body.Paragraph(Inv($"A suggested first meeting: {when}, 30 minutes. The attached invite ({CalendarFileName}) adds it to your calendar; move it to whatever suits you."));

        body.Section("Ground rules");
        body.Bullets(
        [
            "Confidentiality: what you share stays between you.",
            buddy is not null
                ? Inv($"{members[0].Name} is there for {members[1].Name}'s questions as their {buddy}: no question is too small.")
                : lead is not null
                ? Inv($"{lead.Name} leads the group and keeps it on track; everyone brings topics and questions, and the group learns from each other too.")
                : roles is not null
                ? Inv($"{MailFormat.Names(menteeNames)} {(menteeNames.Count == 1 ? "brings" : "bring")} the topics and owns the goals; {MailFormat.Names(mentorNames)} listens, asks and shares experience.")
                : Inv($"{Everyone(members.Count)} learn: there is no mentor and mentee here. Take turns bringing a topic."),
            Inv($"{Anyone(members.Count)} can end it kindly at any time: a short, friendly note is enough, no reasons needed. Tell the program team if you would like a new match."),
        ]);
        body.Paragraph(Inv($"You received this because you signed up for {program.Name}."), muted: true);

        var ics = Calendar(input, pairKey, start, end);
        return new MailMessage
        {
            IdempotencyKey = Key(program.Id, input.WindowId, pairKey, recipient.Id),
            To = [new MailAddress(recipient.Email, recipient.Name)],
            // A reply to a pair's intro reaches the partner, the person it is meant for.
            ReplyTo = others.Count == 1 ? new MailAddress(others[0].Email, others[0].Name) : null,
            Subject = OneLine(subject),
            HtmlBody = body.Html(subject, Inv($"You have been matched with {partners}. Suggested first meeting: {when}.")),
            TextBody = body.Text(),
            Category = MailCategories.Intro,
            ProgramId = program.Id,
            CustomArgs = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["programId"] = program.Id,
                ["windowId"] = input.WindowId,
                ["pairKey"] = pairKey,
                ["participantId"] = recipient.Id,
                ["category"] = MailCategories.Intro,
            },
            Attachments = [new MailAttachment(CalendarFileName, CalendarContentType, Encoding.UTF8.GetBytes(ics))],
        };
    }

    /// <summary>The agenda line about how often to meet, in the program kind's wording.</summary>
    public static string Cadence(MentoringProgram program, string? overrideWording = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (!string.IsNullOrWhiteSpace(overrideWording))
        {
            return overrideWording.Trim();
        }

        if (program.Pairing == PairingShape.GroupsLed && program.Kind != ProgramKind.Evergreen)
        {
            return "Agree how often the group meets for the length of the program (every two to three weeks works for most groups), and which topic the lead prepares each time.";
        }
        return program.Kind switch
        {
            ProgramKind.Evergreen => "Agree how often to meet: this program runs all year, so pick a rhythm you can keep (about once a month works for most pairs). You can ask for a rematch at any time.",
            ProgramKind.Groups => "Agree how often the group meets for the length of the program (every two to three weeks works for most groups), and who brings the topic each time.",
            _ => "Agree how often to meet for the length of this cohort (every two weeks works for most pairs).",
        };
    }

    private static IEnumerable<string> Details(MentoringProgram program, Participant? participant)
    {
        if (participant is null)
        {
            yield break;
        }

        foreach (var key in new[] { BuiltInQuestions.Department, BuiltInQuestions.Level })
        {
            var answer = participant.Answer(key);
            if (answer.Count > 0 && answer.Any(a => !string.IsNullOrWhiteSpace(a)))
            {
                var label = program.Questionnaire.Find(key)?.Label ?? key;
                yield return label + ": " + string.Join(", ", answer.Where(a => !string.IsNullOrWhiteSpace(a)));
            }
        }
    }

    private static IEnumerable<string> TopReasons(IReadOnlyList<CriterionPoints> criteria) =>
        criteria
            .Where(c => c.Points > 0 && !string.IsNullOrWhiteSpace(c.Phrase))
            .OrderByDescending(c => c.Points)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => c.Label + ": " + c.Phrase)
            .Distinct(StringComparer.Ordinal)
            .Take(TopCriteria);

    private static string Calendar(IntroMailInput input, string pairKey, DateTimeOffset start, DateTimeOffset end)
    {
        var program = input.Program;
        var names = MailFormat.Names([.. input.Members.Select(m => m.Name)]);
        var description = new StringBuilder()
            .Append("First peer-mentoring session: ").Append(names).Append(".\n")
            .Append("Share your goals, agree how often to meet, agree the ground rules (confidentiality, both learn, either can end it kindly).\n")
            .Append("Suggested time: ").Append(MailFormat.LocalTime(start, program.TimeZone)).Append(". Move it freely.")
            .ToString();
        var organizer = program.AdminEmails.FirstOrDefault(e => !string.IsNullOrWhiteSpace(e))?.Trim();
        var ics = new Ics()
            .Line("BEGIN", "VCALENDAR")
            .Line("VERSION", "2.0")
            .Line("PRODID", "-//Mentoring//Peer mentoring intro//EN")
            .Line("CALSCALE", "GREGORIAN")
            .Line("METHOD", "PUBLISH")
            .Line("BEGIN", "VEVENT")
            .Line("UID", CalendarUid(program.Id, input.WindowId, pairKey))
            .Utc("DTSTAMP", input.SuggestAfter)
            .Utc("DTSTART", start)
            .Utc("DTEND", end)
            .Line("SEQUENCE", "0")
            .Text("SUMMARY", Inv($"{program.Name}: first peer-mentoring session ({names})"))
            .Text("DESCRIPTION", description);
        if (organizer is not null)
        {
            ics.Line("ORGANIZER;CN=" + Ics.ParameterValue(program.Name), "mailto:" + organizer);
        }

        foreach (var member in input.Members)
        {
            ics.Line("ATTENDEE;CN=" + Ics.ParameterValue(member.Name) + ";ROLE=REQ-PARTICIPANT", "mailto:" + member.Email);
        }

        return ics
            .Line("STATUS", "TENTATIVE")
            .Line("TRANSP", "OPAQUE")
            .Line("END", "VEVENT")
            .Line("END", "VCALENDAR")
            .ToString();
    }
}
