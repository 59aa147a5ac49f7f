using System.Globalization;
using System.Net.Security;
using MailKit;
using MailKit.Net.Smtp;
using MimeKit;
using CoreMail = Mentoring.Core.Mail;

namespace Mentoring.Api.Mail;

/// <summary>
/// Sends one message over SMTP with MailKit: TLS as <see cref="SmtpOptions.EffectiveSecurity"/> says, AUTH when a user
/// name is set, SMTPUTF8 when an address needs it and the server offers it. One connection per message: the outbox
/// sends a few mails a minute, and a fresh conversation keeps one broken message from poisoning the next.
/// </summary>
public sealed class SmtpMailSender(SmtpOptions options, TimeProvider time, RemoteCertificateValidationCallback? validateServerCertificate = null)
{
    private readonly SmtpOptions _options = options ?? throw new ArgumentNullException(nameof(options));
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Transmits <paramref name="message"/>; returns a note for the outbox ("smtp host:port: 250 ..."). Throws when the relay refuses it.</summary>
    public async Task<string> SendAsync(CoreMail.MailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_options.IsConfigured)
        {
            throw new InvalidOperationException("Mentoring:Smtp:Host is not set.");
        }

        var mime = MimeMail.Build(message, _options.From, _time.GetUtcNow());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        using var client = new SmtpClient
        {
            Timeout = (int)Math.Clamp(_options.Timeout.TotalMilliseconds, 1000, int.MaxValue),
        };
        if (validateServerCertificate is not null)
        {
            client.ServerCertificateValidationCallback = validateServerCertificate;
        }

        await client.ConnectAsync(_options.Host!, _options.Port, _options.EffectiveSecurity, timeout.Token);
        if (!string.IsNullOrEmpty(_options.UserName))
        {
            await client.AuthenticateAsync(_options.UserName, _options.Password ?? "", timeout.Token);
        }

        var international = NeedsUtf8(mime);
        if (international && !client.Capabilities.HasFlag(SmtpCapabilities.UTF8))
        {
            // Without SMTPUTF8 a non-ASCII mailbox cannot be named in MAIL FROM or RCPT TO (RFC 6531); the relay would
            // refuse or mangle it, so do not try.
            throw new NotSupportedException($"The SMTP server {_options.Host} does not offer SMTPUTF8, which a non-ASCII address needs.");
        }

        var reply = await client.SendAsync(Format(international), mime, timeout.Token);
        await client.DisconnectAsync(quit: true, timeout.Token);
        return string.Create(CultureInfo.InvariantCulture, $"smtp {_options.Host}:{_options.Port}: {reply}");
    }

    /// <summary>The bytes <see cref="SendAsync"/> transmits as DATA for <paramref name="mime"/> to a server with SMTPUTF8 (tests compare with them).</summary>
    public static byte[] Render(MimeMessage mime, bool international)
    {
        ArgumentNullException.ThrowIfNull(mime);
        using var bytes = new MemoryStream();
        mime.WriteTo(Format(international), bytes);
        return bytes.ToArray();
    }

    private static bool NeedsUtf8(MimeMessage mime) =>
        mime.From.Mailboxes.Concat(mime.To.Mailboxes).Any(m => m.LocalPart.Any(c => c > 127));

    private static FormatOptions Format(bool international)
    {
        var format = FormatOptions.Default.Clone();
        format.International = international;
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
