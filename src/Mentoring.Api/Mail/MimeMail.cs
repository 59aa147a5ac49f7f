using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MimeKit;
using CoreMail = Mentoring.Core.Mail;

namespace Mentoring.Api.Mail;

/// <summary>Turns a provider-neutral <see cref="CoreMail.MailMessage"/> into the MIME message the SMTP sender transmits.</summary>
public static class MimeMail
{
    /// <summary>
    /// Builds the message: text and HTML as multipart/alternative, attachments beside them in multipart/mixed,
    /// a Message-Id derived from the idempotency key (a retried send carries the same id, so receivers can drop the copy),
    /// and every part already encoded for a 7-bit path, so the bytes do not depend on what a relay offers.
    /// </summary>
    public static MimeMessage Build(CoreMail.MailMessage message, string from, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sender = MailboxAddress.Parse(from);
        var mime = new MimeMessage
        {
            Date = date,
            Subject = message.Subject,
            MessageId = MessageIdOf(message.IdempotencyKey, sender.Domain),
        };
        mime.From.Add(sender);
        foreach (var to in message.To)
        {
            mime.To.Add(new MailboxAddress(to.Name ?? "", to.Email));
        }

        foreach (var (name, value) in message.Headers)
        {
            AddHeader(mime, name, value);
        }

        AddHeader(mime, "X-Mentoring-Idempotency-Key", message.IdempotencyKey);
        AddHeader(mime, "X-Mentoring-Category", message.Category);
        if (message.CustomArgs.Count > 0)
        {
            AddHeader(mime, "X-Mentoring-Custom-Args", JsonSerializer.Serialize(message.CustomArgs));
        }

        var body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody };
        foreach (var attachment in message.Attachments)
        {
            body.Attachments.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType));
        }

        mime.Body = body.ToMessageBody();
        var boundary = 0;
        foreach (var multipart in Multiparts(mime.Body))
        {
            // Boundaries are random by default; derived from the key, the same message always has the same bytes.
            multipart.Boundary = $"=-{MessageIdOf(message.IdempotencyKey, "")[..24]}-{boundary++}";
        }

        mime.Prepare(EncodingConstraint.SevenBit);
        return mime;
    }

    /// <summary>The same key always gives the same id; the key itself (it names recipients) is not readable from it.</summary>
    public static string MessageIdOf(string idempotencyKey, string domain)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..32];
        return $"{hash}@{(string.IsNullOrEmpty(domain) ? "mentoring.local" : domain)}";
    }

    private static IEnumerable<Multipart> Multiparts(MimeEntity entity)
    {
        if (entity is Multipart multipart)
        {
            yield return multipart;
            foreach (var child in multipart.SelectMany(Multiparts))
            {
                yield return child;
            }
        }
    }

    // Header values come from our own templates, but a CR or LF would end the header and start another: refuse, never fold.
    private static void AddHeader(MimeMessage mime, string name, string value)
    {
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException($"Header {name} contains a line break.", nameof(value));
        }

        mime.Headers.Add(name, value);
    }
}
