using System.Net;
using Mentoring.Core.Mail;
using Mentoring.Core.Mail.Templates;
using static Mentoring.Core.Tests.Mail.MailFixtures;

namespace Mentoring.Core.Tests.Mail;

public sealed class AdminMailTests
{
    /// <summary>Every fact an admin needs to decide, as plain strings (before HTML encoding).</summary>
    private static IEnumerable<string> Facts(DraftMailInput input)
    {
        var draft = input.Draft;
        foreach (var pair in draft.Pairs)
        {
            yield return pair.A.Name;
            yield return pair.B.Name;
            yield return pair.A.Email;
            yield return pair.B.Email;
            yield return $"score {pair.Score}";
            yield return pair.Sentence;
        }

        foreach (var trio in draft.Trios)
        {
            // A trio is shown by its links' reasons and scored per link (issue 12, defect 4).
            foreach (var link in trio.Links)
            {
                yield return link.Sentence;
            }
            yield return $"score {trio.MeanLinkScore.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} per link";
            foreach (var member in trio.Members)
            {
                yield return member.Email;
            }
        }

        foreach (var entry in draft.Waitlist)
        {
            yield return entry.Person.Name;
            yield return entry.Explanation;
        }

        yield return "No other set of pairs the rules allow scores higher.";
        yield return draft.Notes[0];
        yield return "withdrawn";
        yield return "People: 8";
        yield return "Waitlisted: 1";
        yield return "mean 36.5";
        yield return "lowest 34";
    }

    private static IEnumerable<Uri> AllLinks(DraftActionLinks links) => [links.Approve, links.Reject, links.Rerun, .. links.ForbidPairs];

    [Fact]
    public void The_draft_mail_has_every_pair_score_reason_waitlist_reason_the_certificate_and_every_action_link()
    {
        var input = DraftInput();

        var mail = AdminMail.Draft(input);

        foreach (var fact in Facts(input))
        {
            Assert.Contains(WebUtility.HtmlEncode(fact), mail.HtmlBody, StringComparison.Ordinal);
        }

        foreach (var link in AllLinks(input.Links))
        {
            Assert.Contains($"href=\"{WebUtility.HtmlEncode(link.AbsoluteUri)}\"", mail.HtmlBody, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_text_alternative_has_the_same_facts_and_links()
    {
        var input = DraftInput();

        var mail = AdminMail.Draft(input);

        foreach (var fact in Facts(input))
        {
            Assert.Contains(fact, mail.TextBody, StringComparison.Ordinal);
        }

        foreach (var link in AllLinks(input.Links))
        {
            Assert.Contains(link.AbsoluteUri, mail.TextBody, StringComparison.Ordinal);
        }

    }

    [Fact]
    public void Each_forbid_link_sits_with_its_own_pair()
    {
        var input = DraftInput();

        var html = AdminMail.Draft(input).HtmlBody;

        var first = html.IndexOf("Ana &amp; Bo", StringComparison.Ordinal);
        var second = html.IndexOf("Cy &amp; ", StringComparison.Ordinal);
        var forbidFirst = html.IndexOf(WebUtility.HtmlEncode(input.Links.ForbidPairs[0].AbsoluteUri), StringComparison.Ordinal);
        var forbidSecond = html.IndexOf(WebUtility.HtmlEncode(input.Links.ForbidPairs[1].AbsoluteUri), StringComparison.Ordinal);
        Assert.True(first < forbidFirst && forbidFirst < second && second < forbidSecond);
        Assert.Null(input.Links.ForbidPair(2));
    }

    [Fact]
    public void A_participant_named_script_is_encoded_everywhere_in_the_html()
    {
        var mail = AdminMail.Draft(DraftInput());

        Assert.DoesNotContain("<script", mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(WebUtility.HtmlEncode(Hostile), mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(Hostile, mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void The_html_is_one_column_for_phones()
    {
        var html = AdminMail.Draft(DraftInput()).HtmlBody;

        Assert.Contains("max-width:600px", html, StringComparison.Ordinal);
        Assert.Contains("name=\"viewport\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<table", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.Contains("min-height:48px", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_draft_mail_is_addressed_to_one_admin_with_a_key_per_program_window_version_and_admin()
    {
        var input = DraftInput(version: 3);

        var mail = AdminMail.Draft(input);

        Assert.Equal("draft:spring:w-2027-03:v3:hr@example.com", mail.IdempotencyKey);
        Assert.Equal([input.Admin], mail.To);
        Assert.Equal(MailCategories.Draft, mail.Category);
        Assert.Equal("spring", mail.ProgramId);
        Assert.Equal("3", mail.CustomArgs["draftVersion"]);
        Assert.Equal("w-2027-03", mail.CustomArgs["windowId"]);
        Assert.Contains("v3", mail.Subject, StringComparison.Ordinal);
        Assert.NotEqual(mail.IdempotencyKey, AdminMail.Draft(input with { Version = 4 }).IdempotencyKey);
        Assert.NotEqual(mail.IdempotencyKey, AdminMail.Draft(input with { Admin = new MailAddress("lead@example.com") }).IdempotencyKey);
        Assert.Equal(mail, AdminMail.Draft(input) with { To = mail.To, CustomArgs = mail.CustomArgs, Headers = mail.Headers, Attachments = mail.Attachments });
    }

    [Fact]
    public void The_reminder_says_which_version_waits_and_which_reminder_it_is()
    {
        var input = DraftInput(version: 3);

        var mail = AdminMail.Reminder(input, 2, 3);

        Assert.Contains("Reminder 2 of 3", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("v3 still waits for a decision", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Reminder 2 of 3: pair draft v3 still waits for a decision.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("expires on Mon 8 Mar 2027, 10:00 (Europe/Berlin)", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal("reminder:spring:w-2027-03:v3:r2:hr@example.com", mail.IdempotencyKey);
        Assert.Equal(MailCategories.Reminder, mail.Category);
        foreach (var link in AllLinks(input.Links))
        {
            Assert.Contains(link.AbsoluteUri, mail.TextBody, StringComparison.Ordinal);
        }

        Assert.NotEqual(mail.IdempotencyKey, AdminMail.Reminder(input, 3, 3).IdempotencyKey);
    }

    [Fact]
    public void The_expiry_notice_says_the_window_expired_without_a_decision()
    {
        var mail = AdminMail.Expired(Program(), "w-2027-03", 3, new MailAddress("hr@example.com"), At.AddDays(7));

        Assert.Contains("expired without a decision", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("expired on Mon 8 Mar 2027, 10:00 (Europe/Berlin) without a decision on pair draft v3", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("no participant was emailed", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal("expiry:spring:w-2027-03:hr@example.com", mail.IdempotencyKey);
        Assert.Equal(MailCategories.Expiry, mail.Category);
    }

    [Fact]
    public void The_decided_notice_names_the_decision_the_admin_and_the_reason_encoded()
    {
        var mail = AdminMail.Decided(Program(), "w-2027-03", 2, new MailAddress("lead@example.com"), DraftDecision.Rejected, At,
            decidedBy: "hr@example.com", reason: "Cy & <b>Di</b> should not meet");

        Assert.Contains("v2 was rejected", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("rejected by hr@example.com", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Reason: Cy & <b>Di</b> should not meet", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Cy &amp; &lt;b&gt;Di&lt;/b&gt;", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("decided:spring:w-2027-03:v2:lead@example.com", mail.IdempotencyKey);
    }

    [Fact]
    public void A_failed_certificate_is_a_visible_warning()
    {
        var input = DraftInput();
        input = input with { Draft = input.Draft with { Certificate = input.Draft.Certificate! with { IsOptimal = false, VerifierReason = "dual infeasible on edge 3-4" } } };

        var mail = AdminMail.Draft(input);

        Assert.Contains("The check that no other set of pairs scores higher did not pass (dual infeasible on edge 3-4)", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Subjects_are_one_line_even_with_a_hostile_program_name()
    {
        var input = DraftInput();
        input = input with { Program = Program(name: "Spring\r\nBcc: everyone@example.com") };

        var mail = AdminMail.Draft(input);

        Assert.DoesNotContain('\r', mail.Subject);
        Assert.DoesNotContain('\n', mail.Subject);
    }
}
