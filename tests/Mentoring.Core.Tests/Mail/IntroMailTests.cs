using System.Globalization;
using System.Net;
using System.Text;
using Mentoring.Core.Mail;
using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Programs;
using static Mentoring.Core.Tests.Mail.MailFixtures;

namespace Mentoring.Core.Tests.Mail;

public sealed class IntroMailTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>The first member's copy of a pair's intro (Ana's, for pair 0).</summary>
    private static MailMessage IntroFor(int pairIndex, DateTimeOffset? after = null, ProgramKind kind = ProgramKind.Cohort, string? programName = null) =>
        IntrosFor(pairIndex, after, kind, programName)[0];

    private static IReadOnlyList<MailMessage> IntrosFor(int pairIndex, DateTimeOffset? after = null, ProgramKind kind = ProgramKind.Cohort, string? programName = null)
    {
        var draft = Draft();
        var participants = new[]
        {
            Signup(Ana, department: "Sales", level: "2"),
            Signup(Bo, department: "Engineering"),
            Signup(Cy, department: "Finance", level: "3"),
            Signup(Evil, department: "<b>Legal</b>"),
        };
        return IntroMail.Build(IntroMailInput.ForPair(Program(kind, programName ?? "Spring buddies"), "w1", draft.Pairs[pairIndex], after ?? At, participants));
    }

    [Fact]
    public void Each_member_gets_their_own_intro_that_says_who_the_partner_is_and_why_they_were_matched()
    {
        var intros = IntrosFor(0);

        Assert.Equal(2, intros.Count);
        var (toAna, toBo) = (intros[0], intros[1]);
        Assert.Equal([new MailAddress(Ana.Email, "Ana")], toAna.To);
        Assert.Equal([new MailAddress(Bo.Email, "Bo")], toBo.To);
        Assert.Equal(new MailAddress(Bo.Email, "Bo"), toAna.ReplyTo);
        Assert.Equal(new MailAddress(Ana.Email, "Ana"), toBo.ReplyTo);
        Assert.Equal("[Spring buddies] Meet your peer-mentoring partner: Bo", toAna.Subject);
        foreach (var body in new[] { toAna.TextBody, WebUtility.HtmlDecode(toAna.HtmlBody) })
        {
            Assert.Contains("Hi Ana,", body, StringComparison.Ordinal);
            Assert.Contains("matched with Bo", body, StringComparison.Ordinal);
            Assert.Contains(Bo.Email, body, StringComparison.Ordinal);
            Assert.Contains("Department: Engineering", body, StringComparison.Ordinal);
            Assert.Contains(Draft().Pairs[0].Sentence, body, StringComparison.Ordinal);
            Assert.Contains("Goals: both want public speaking", body, StringComparison.Ordinal);
            Assert.Contains("Agree how often to meet for the length of this cohort", body, StringComparison.Ordinal);
            Assert.Contains("Confidentiality", body, StringComparison.Ordinal);
            Assert.Contains("Both of you learn", body, StringComparison.Ordinal);
            Assert.Contains("end it kindly", body, StringComparison.Ordinal);
            Assert.Contains("Tue 2 Mar 2027, 10:00 (Europe/Berlin)", body, StringComparison.Ordinal);
        }
        foreach (var body in new[] { toBo.TextBody, WebUtility.HtmlDecode(toBo.HtmlBody) })
        {
            Assert.Contains("Hi Bo,", body, StringComparison.Ordinal);
            Assert.Contains(Ana.Email, body, StringComparison.Ordinal);
            Assert.Contains("Department: Sales", body, StringComparison.Ordinal);
            Assert.Contains("Career level: 2", body, StringComparison.Ordinal);
        }

        Assert.All(intros, mail => Assert.Equal(MailCategories.Intro, mail.Category));
        Assert.Equal(["intro:spring:w1:p_ana+p_bo:p_ana", "intro:spring:w1:p_ana+p_bo:p_bo"], intros.Select(m => m.IdempotencyKey));
        Assert.All(intros, mail => Assert.Single(mail.Attachments));
        Assert.Equal(Uid(toAna), Uid(toBo));
    }

    [Fact]
    public void An_intro_names_only_its_own_pair()
    {
        var mail = IntroFor(0);
        var everything = mail.Subject + mail.HtmlBody + mail.TextBody + Encoding.UTF8.GetString(mail.Attachments[0].Content);

        foreach (var other in new[] { Cy, Evil, Di, Ed, Fay, Gus })
        {
            Assert.DoesNotContain(other.Email, everything, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain("Cy", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("Finance", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("Legal", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("negotiation", everything, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_names_and_answers_are_encoded_in_the_html()
    {
        var mail = IntroFor(1);

        Assert.DoesNotContain("<script", mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>Legal", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(Hostile), mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Department: " + WebUtility.HtmlEncode("<b>Legal</b>"), mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_member_of_a_trio_gets_an_intro_naming_the_other_two_with_reasons_from_the_pairs_inside()
    {
        var draft = Draft();
        var trio = draft.Trios[0];
        var intros = IntroMail.Build(IntroMailInput.ForGroup(Program(), "w1", trio, At));

        Assert.Equal(3, intros.Count);
        for (var i = 0; i < 3; i++)
        {
            var mail = intros[i];
            var me = trio.Members[i];
            Assert.Equal([me.Email], mail.To.Select(t => t.Email));
            Assert.Null(mail.ReplyTo);
            Assert.Contains("Meet your Spring buddies trio", mail.TextBody, StringComparison.Ordinal);
            Assert.All(trio.Links, l => Assert.Contains($"{l.A.Name} & {l.B.Name}: {l.Sentence}", mail.TextBody, StringComparison.Ordinal));
            Assert.Contains("Goals: both want", mail.TextBody, StringComparison.Ordinal);
            foreach (var other in trio.Members.Where(m => m.Id != me.Id))
            {
                Assert.Contains(other.Email, mail.TextBody, StringComparison.Ordinal);
                Assert.Contains(other.Name, mail.Subject, StringComparison.Ordinal);
            }
            Assert.Equal("intro:spring:w1:p_ed+p_fay+p_gus:" + me.Id, mail.IdempotencyKey);
        }
    }

    [Theory]
    [InlineData(ProgramKind.Cohort, "for the length of this cohort")]
    [InlineData(ProgramKind.Evergreen, "about once a month")]
    [InlineData(ProgramKind.Groups, "how often the group meets")]
    public void The_agenda_follows_the_program_kinds_cadence(ProgramKind kind, string wording)
    {
        Assert.Contains(wording, IntroFor(0, kind: kind).TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void The_ics_has_crlf_lines_of_at_most_75_octets_and_the_required_properties()
    {
        var ics = Ics(IntroFor(0));

        Assert.EndsWith("\r\n", ics, StringComparison.Ordinal);
        Assert.DoesNotMatch("[^\r]\n", ics);
        Assert.DoesNotMatch("\r[^\n]", ics);
        foreach (var line in ics.Split("\r\n")[..^1])
        {
            Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, $"longer than 75 octets: {line}");
        }

        var properties = Unfold(ics);
        Assert.Equal("BEGIN:VCALENDAR", properties[0]);
        Assert.Equal("END:VCALENDAR", properties[^1]);
        Assert.Contains("VERSION:2.0", properties);
        Assert.Contains("METHOD:PUBLISH", properties);
        Assert.Contains(properties, p => p.StartsWith("PRODID:", StringComparison.Ordinal));
        Assert.Equal(1, properties.Count(p => p == "BEGIN:VEVENT"));
        Assert.Equal(1, properties.Count(p => p == "END:VEVENT"));
        foreach (var name in new[] { "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "ORGANIZER" })
        {
            Assert.Single(properties, p => p.StartsWith(name + ":", StringComparison.Ordinal) || p.StartsWith(name + ";", StringComparison.Ordinal));
        }

        Assert.Contains(properties, p => p.StartsWith("ATTENDEE;", StringComparison.Ordinal) && p.EndsWith(":mailto:" + Ana.Email, StringComparison.Ordinal));
        Assert.Contains(properties, p => p.StartsWith("ATTENDEE;", StringComparison.Ordinal) && p.EndsWith(":mailto:" + Bo.Email, StringComparison.Ordinal));
        Assert.Equal("text/calendar", IntroFor(0).Attachments[0].ContentType.Split(';')[0]);
        Assert.EndsWith(".ics", IntroFor(0).Attachments[0].FileName, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2027-03-01T09:00:00Z", "2027-03-02")] // Monday -> Tuesday
    [InlineData("2027-03-05T09:00:00Z", "2027-03-08")] // Friday -> Monday
    [InlineData("2027-03-06T22:30:00Z", "2027-03-08")] // Saturday 23:30 in Berlin -> Monday
    [InlineData("2027-03-07T23:30:00Z", "2027-03-09")] // Sunday 23:30 UTC is Monday 00:30 in Berlin -> Tuesday
    [InlineData("2027-03-26T12:00:00Z", "2027-03-29")] // Friday before the switch to summer time -> Monday, UTC+2
    public void The_first_meeting_is_the_next_weekday_at_ten_in_the_programs_zone_for_thirty_minutes(string after, string expectedDate)
    {
        var properties = Unfold(Ics(IntroFor(0, after: DateTimeOffset.Parse(after, CultureInfo.InvariantCulture))));

        var start = Utc(properties, "DTSTART");
        var end = Utc(properties, "DTEND");
        var local = TimeZoneInfo.ConvertTime(start, Berlin);
        Assert.Equal(expectedDate, local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Equal(new TimeSpan(10, 0, 0), local.TimeOfDay);
        Assert.DoesNotContain(local.DayOfWeek, new[] { DayOfWeek.Saturday, DayOfWeek.Sunday });
        Assert.Equal(TimeSpan.FromMinutes(30), end - start);
        Assert.Equal(DateTimeOffset.Parse(after, CultureInfo.InvariantCulture), Utc(properties, "DTSTAMP"));
    }

    [Fact]
    public void The_uid_is_stable_for_the_pair_and_differs_between_pairs()
    {
        var uid = Uid(IntroFor(0));

        Assert.Equal(uid, Uid(IntroFor(0, after: At.AddDays(3))));
        var reversed = Draft().Pairs[0] with { A = Bo, B = Ana };
        Assert.Equal(uid, Uid(IntroMail.Build(IntroMailInput.ForPair(Program(), "w1", reversed, At))[1]));
        Assert.NotEqual(uid, Uid(IntroFor(1)));
        Assert.NotEqual(uid, Uid(IntroMail.Build(IntroMailInput.ForPair(Program(), "w2", Draft().Pairs[0], At))[0]));
        Assert.Equal(IntroFor(0).IdempotencyKey, IntroMail.Build(IntroMailInput.ForPair(Program(), "w1", reversed, At))[1].IdempotencyKey);
    }

    [Fact]
    public void Text_values_escape_commas_semicolons_and_backslashes_and_folding_keeps_utf8_intact()
    {
        var name = "Buddies, spring; 2027 \\ édition très longue — Ünïcødé 🌱 " + new string('é', 40);
        var ics = Ics(IntroFor(0, programName: name));

        var summary = Unfold(ics).Single(p => p.StartsWith("SUMMARY:", StringComparison.Ordinal));
        Assert.StartsWith("SUMMARY:Buddies\\, spring\\; 2027 \\\\ édition", summary, StringComparison.Ordinal);
        Assert.Contains("🌱", summary, StringComparison.Ordinal);
        Assert.Contains(new string('é', 40), summary, StringComparison.Ordinal);
        var description = Unfold(ics).Single(p => p.StartsWith("DESCRIPTION:", StringComparison.Ordinal));
        Assert.Contains("\\n", description, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', description);
    }

    private static string Ics(MailMessage mail) =>
        Encoding.UTF8.GetString(mail.Attachments.Single(a => a.FileName == IntroMail.CalendarFileName).Content);

    /// <summary>RFC 5545 unfolding: a CRLF followed by one space or tab continues the previous line.</summary>
    private static List<string> Unfold(string ics)
    {
        var lines = new List<string>();
        foreach (var raw in ics.Split("\r\n")[..^1])
        {
            if (raw.Length > 0 && (raw[0] == ' ' || raw[0] == '\t'))
            {
                lines[^1] += raw[1..];
            }
            else
            {
                lines.Add(raw);
            }
        }

        return lines;
    }

    private static DateTimeOffset Utc(List<string> properties, string name)
    {
        var value = properties.Single(p => p.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..];
        Assert.EndsWith("Z", value, StringComparison.Ordinal);
        return DateTimeOffset.ParseExact(value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    private static string Uid(MailMessage mail) => Unfold(Ics(mail)).Single(p => p.StartsWith("UID:", StringComparison.Ordinal));
}
