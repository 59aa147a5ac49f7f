using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Mentoring.Core.Common;
using Mentoring.Core.Mail;

namespace Mentoring.Core.Privacy;

/// <summary>
/// Removes one person from a copy of a sent mail (an admin's draft, their partner's intro): their address and their
/// name as a whole word, in the header fields, both bodies and text attachments. Pure.
/// </summary>
public static class MailScrubber
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>What is kept of a mail sent to the person: its key (so it is never sent again), category and program.</summary>
    public static MailMessage Erased(MailMessage message, ErasedPerson person)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(person);
        return new MailMessage
        {
            IdempotencyKey = message.IdempotencyKey,
            To = [new MailAddress(person.ErasedEmail, person.ErasedName)],
            Subject = person.ErasedName,
            TextBody = "",
            HtmlBody = "",
            Category = message.Category,
            ProgramId = message.ProgramId,
        };
    }

    /// <summary>Whether the mail went to the person: such a copy is theirs, and only <see cref="Erased"/> is kept of it.</summary>
    public static bool IsTo(MailMessage message, ErasedPerson person)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(person);
        var email = EmailAddress.Normalise(person.Email);
        return message.To.Any(a => EmailAddress.Normalise(a.Email) == email);
    }

    /// <returns>The same instance when the mail does not mention the person.</returns>
    public static MailMessage Scrub(MailMessage message, ErasedPerson person)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(person);
        var email = new Regex(Alternatives(EmailSpellings(person.Email)), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout);
        // Other people's text may contain the name inside a longer one ("Ann" in "Anna"): whole words only, as drafts do.
        var name = string.IsNullOrWhiteSpace(person.Name) ? null
            : new Regex($@"(?<!\w)(?:{Alternatives([person.Name, WebUtility.HtmlEncode(person.Name)])})(?!\w)", RegexOptions.CultureInvariant, MatchTimeout);
        string Text(string text) => name is null ? email.Replace(text, person.ErasedEmail) : name.Replace(email.Replace(text, person.ErasedEmail), person.ErasedName);
        bool Mentions(string text) => email.IsMatch(text) || (name?.IsMatch(text) ?? false);
        MailAddress Address(MailAddress a) => a with { Email = Text(a.Email), Name = a.Name is null ? null : Text(a.Name) };

        var attachments = new List<MailAttachment>();
        foreach (var attachment in message.Attachments)
        {
            if (!attachment.ContentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
            {
                attachments.Add(attachment);
                continue;
            }
            var text = Text(Encoding.UTF8.GetString(attachment.Content));
            // A calendar folds long lines (RFC 5545): a name cut by a fold is only found unfolded. Then the file goes.
            if (!Mentions(text.Replace("\r\n ", "", StringComparison.Ordinal).Replace("\r\n\t", "", StringComparison.Ordinal)))
            {
                attachments.Add(attachment with { Content = Encoding.UTF8.GetBytes(text) });
            }
        }

        var scrubbed = message with
        {
            To = [.. message.To.Select(Address)],
            ReplyTo = message.ReplyTo is null ? null : Address(message.ReplyTo),
            Subject = Text(message.Subject),
            TextBody = Text(message.TextBody),
            HtmlBody = Text(message.HtmlBody),
            Attachments = attachments,
        };
        return Same(message, scrubbed) ? message : scrubbed;
    }

    /// <summary>The address as typed, as a mailto link escapes it, and as HTML encodes it.</summary>
    private static IEnumerable<string> EmailSpellings(string email) =>
        new[] { email, Uri.EscapeDataString(email), Uri.EscapeDataString(email).Replace("%40", "@", StringComparison.Ordinal), WebUtility.HtmlEncode(email) }
            .Distinct(StringComparer.OrdinalIgnoreCase);

    private static string Alternatives(IEnumerable<string> spellings) =>
        string.Join("|", spellings.Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).Select(Regex.Escape));

    private static bool Same(MailMessage a, MailMessage b) =>
        a.Subject == b.Subject && a.TextBody == b.TextBody && a.HtmlBody == b.HtmlBody && a.ReplyTo == b.ReplyTo
        && a.To.SequenceEqual(b.To) && a.Attachments.Count == b.Attachments.Count
        && a.Attachments.Zip(b.Attachments).All(p => p.First.Content.AsSpan().SequenceEqual(p.Second.Content));
}
