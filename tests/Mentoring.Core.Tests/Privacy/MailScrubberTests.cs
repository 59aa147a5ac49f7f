using System.Text;
using Mentoring.Core.Mail;
using Mentoring.Core.Privacy;

namespace Mentoring.Core.Tests.Privacy;

/// <summary>What erasure leaves of a kept copy of a mail that names the person: their partner's intro, an admin's draft.</summary>
public sealed class MailScrubberTests
{
    private static readonly ErasedPerson Ann = new("spring", "p_ann", "Ann O'Neil", "Ann+Mentoring@Example.com", "(erased)", "erased+p_ann@invalid");

    /// <summary>Bo's intro to Ann, as the templates write one: HTML-encoded name, a mailto link, reply-to Ann, an invite.</summary>
    private static MailMessage IntroToBo(string? invite = null) => new()
    {
        IdempotencyKey = "intro:spring:w1:p_bo",
        To = [new MailAddress("bo@example.com", "Bo")],
        ReplyTo = new MailAddress("ann+mentoring@example.com", "Ann O'Neil"),
        Subject = "Meet your mentoring pair: Ann O'Neil",
        TextBody = "Hi Bo,\n\nMeet Ann O'Neil (ann+mentoring@example.com). Anna from HR set this up.\n",
        HtmlBody = "<p>Hi Bo,</p><p>Meet Ann O&#39;Neil: <a href=\"mailto:ann%2Bmentoring@example.com\">ann+mentoring@example.com</a>. Anna from HR set this up.</p>",
        Category = MailCategories.Intro,
        ProgramId = "spring",
        Attachments = invite is null ? [] : [new MailAttachment("invite.ics", "text/calendar; charset=utf-8", Encoding.UTF8.GetBytes(invite))],
    };

    [Fact]
    public void The_name_and_every_spelling_of_the_address_go_and_the_rest_of_the_mail_stays()
    {
        var scrubbed = MailScrubber.Scrub(IntroToBo(), Ann);

        Assert.Equal("Meet your mentoring pair: (erased)", scrubbed.Subject);
        Assert.Equal("Hi Bo,\n\nMeet (erased) (erased+p_ann@invalid). Anna from HR set this up.\n", scrubbed.TextBody);
        Assert.Equal("<p>Hi Bo,</p><p>Meet (erased): <a href=\"mailto:erased+p_ann@invalid\">erased+p_ann@invalid</a>. Anna from HR set this up.</p>", scrubbed.HtmlBody);
        Assert.Equal(new MailAddress("erased+p_ann@invalid", "(erased)"), scrubbed.ReplyTo);
        Assert.Equal([new MailAddress("bo@example.com", "Bo")], scrubbed.To);
        Assert.Equal(("intro:spring:w1:p_bo", MailCategories.Intro), (scrubbed.IdempotencyKey, scrubbed.Category));
    }

    [Fact]
    public void A_mail_that_does_not_mention_the_person_is_returned_as_it_is()
    {
        var other = IntroToBo() with { ReplyTo = null, Subject = "Meet Anna", TextBody = "Meet Anna, and Annie.", HtmlBody = "<p>Meet Anna (anna@example.com).</p>" };

        Assert.Same(other, MailScrubber.Scrub(other, Ann));
        Assert.False(MailScrubber.IsTo(other, Ann));
    }

    [Fact]
    public void A_mail_to_the_person_is_theirs_whatever_the_case_of_the_address_and_whoever_else_it_went_to()
    {
        var toAnn = IntroToBo() with { To = [new MailAddress("bo@example.com"), new MailAddress("ann+mentoring@EXAMPLE.com", "Ann")] };

        Assert.True(MailScrubber.IsTo(toAnn, Ann));
    }

    [Fact]
    public void What_is_kept_of_her_own_mail_is_its_key_category_and_program()
    {
        var erased = MailScrubber.Erased(IntroToBo("BEGIN:VCALENDAR") with { To = [new MailAddress("ann+mentoring@example.com", "Ann O'Neil")] }, Ann);

        Assert.Equal(("intro:spring:w1:p_bo", MailCategories.Intro, "spring"), (erased.IdempotencyKey, erased.Category, erased.ProgramId));
        Assert.Equal([new MailAddress("erased+p_ann@invalid", "(erased)")], erased.To);
        Assert.Equal(("(erased)", "", "", null, 0), (erased.Subject, erased.TextBody, erased.HtmlBody, erased.ReplyTo, erased.Attachments.Count));
    }

    [Theory]
    [InlineData("subject")]
    [InlineData("text")]
    [InlineData("html")]
    [InlineData("reply-to")]
    [InlineData("recipient's name")]
    [InlineData("invite")]
    public void A_mention_in_any_one_field_alone_is_found(string field)
    {
        var plain = new MailMessage
        {
            IdempotencyKey = "k",
            To = [new MailAddress("bo@example.com")],
            Subject = "Your pair",
            TextBody = "Hello",
            HtmlBody = "<p>Hello</p>",
            Attachments = [new MailAttachment("invite.ics", "text/calendar", Encoding.UTF8.GetBytes("BEGIN:VCALENDAR"))],
        };
        var mentioned = field switch
        {
            "subject" => plain with { Subject = "Your pair: Ann O'Neil" },
            "text" => plain with { TextBody = "Hello from Ann O'Neil" },
            "html" => plain with { HtmlBody = "<p>Hello from Ann O&#39;Neil</p>" },
            "reply-to" => plain with { ReplyTo = new MailAddress("ann+mentoring@example.com") },
            "recipient's name" => plain with { To = [new MailAddress("bo@example.com", "Bo, via Ann O'Neil")] },
            _ => plain with { Attachments = [new MailAttachment("invite.ics", "text/calendar", Encoding.UTF8.GetBytes("ORGANIZER:mailto:ann+mentoring@example.com"))] },
        };

        var scrubbed = MailScrubber.Scrub(mentioned, Ann);

        Assert.NotSame(mentioned, scrubbed);
        var all = string.Join("|", scrubbed.Subject, scrubbed.TextBody, scrubbed.HtmlBody, scrubbed.ReplyTo, string.Join(",", scrubbed.To),
            string.Join(",", scrubbed.Attachments.Select(a => Encoding.UTF8.GetString(a.Content))));
        Assert.DoesNotContain("Ann", all, StringComparison.Ordinal);
        Assert.DoesNotContain("ann+", all, StringComparison.OrdinalIgnoreCase);
        Assert.Same(plain, MailScrubber.Scrub(plain, Ann));
    }

    [Fact]
    public void An_invite_is_scrubbed_line_by_line_and_dropped_when_a_fold_cuts_the_name()
    {
        const string Plain = "BEGIN:VCALENDAR\r\nATTENDEE;CN=Ann O'Neil:mailto:ann+mentoring@example.com\r\nSUMMARY:Bo and Anna\r\nEND:VCALENDAR\r\n";
        const string Folded = "BEGIN:VCALENDAR\r\nDESCRIPTION:Your first meeting with Ann O'\r\n Neil\r\nEND:VCALENDAR\r\n";
        const string TabFolded = "BEGIN:VCALENDAR\r\nATTENDEE:mailto:ann+mentoring@exam\r\n\tple.com\r\nEND:VCALENDAR\r\n";

        var kept = Assert.Single(MailScrubber.Scrub(IntroToBo(Plain), Ann).Attachments);
        Assert.Equal("BEGIN:VCALENDAR\r\nATTENDEE;CN=(erased):mailto:erased+p_ann@invalid\r\nSUMMARY:Bo and Anna\r\nEND:VCALENDAR\r\n", Encoding.UTF8.GetString(kept.Content));
        Assert.Equal(("invite.ics", "text/calendar; charset=utf-8"), (kept.FileName, kept.ContentType));

        Assert.Empty(MailScrubber.Scrub(IntroToBo(Folded), Ann).Attachments);
        Assert.Empty(MailScrubber.Scrub(IntroToBo(TabFolded), Ann).Attachments);
    }

    [Fact]
    public void A_file_that_is_not_text_is_kept_as_it_is()
    {
        var report = new MailAttachment("report.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [0x50, 0x4B, 0x03, 0x04]);
        var mail = IntroToBo() with { Attachments = [report] };

        Assert.Same(report, Assert.Single(MailScrubber.Scrub(mail, Ann).Attachments));
    }

    [Fact]
    public void A_person_without_a_name_loses_only_the_address()
    {
        var nameless = Ann with { Name = " " };

        var scrubbed = MailScrubber.Scrub(IntroToBo("BEGIN:VCALENDAR\r\nSUMMARY:Meet Ann O'Neil\r\n") with { TextBody = "Hi Bo, (HR) here.\nMeet Ann O'Neil (ann+mentoring@example.com).\n" }, nameless);

        Assert.Equal("Hi Bo, (HR) here.\nMeet Ann O'Neil (erased+p_ann@invalid).\n", scrubbed.TextBody);
        Assert.Single(scrubbed.Attachments); // nothing in the invite names her address
    }
}
