using System.Text;
using MailKit.Security;
using Mentoring.Api.Mail;
using Mentoring.Core.Mail;
using Mentoring.Testing;
using MimeKit;
using CoreMail = Mentoring.Core.Mail;

namespace Mentoring.Server.Tests.Mail;

/// <summary>The MailKit sender against a real SMTP server (tests/smtp-server): what arrives is exactly what was built.</summary>
public sealed class SmtpMailSenderTests
{
    private const string From = "Mentoring <mentoring@example.com>";
    private readonly ManualClock clock = new();

    private static CoreMail.MailMessage Intro(string subject = "Meet your pair, Zoë", params CoreMail.MailAddress[] to) => new()
    {
        IdempotencyKey = "intro:spring:w1:ana@example.com",
        To = to.Length > 0 ? to : [new CoreMail.MailAddress("ana@example.com", "Ana Ångström")],
        Subject = subject,
        HtmlBody = "<p>Hello <b>Ana</b> – meet Bo</p>",
        TextBody = "Hello Ana – meet Bo",
        Category = MailCategories.Intro,
        ProgramId = "spring",
        Headers = new Dictionary<string, string> { ["List-Unsubscribe"] = "<https://example.com/u>" },
        CustomArgs = new Dictionary<string, string> { ["windowId"] = "w1" },
        Attachments = [new CoreMail.MailAttachment("first-meeting.ics", "text/calendar; charset=utf-8; method=PUBLISH", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"u8.ToArray())],
    };

    /// <summary>A sender to <paramref name="server"/> that trusts exactly its certificate; <paramref name="configure"/> adds TLS or AUTH.</summary>
    private SmtpMailSender Sender(SmtpTestServer server, Action<SmtpOptions>? configure = null)
    {
        var options = new SmtpOptions { Host = "127.0.0.1", Port = server.Port, From = From, Timeout = TimeSpan.FromSeconds(10) };
        configure?.Invoke(options);
        return new SmtpMailSender(options, clock, (_, certificate, _, _) => server.IsThisServer(certificate));
    }

    [Fact]
    public async Task The_server_receives_exactly_the_bytes_built_with_the_headers_and_the_mime_structure()
    {
        await using var server = await SmtpTestServer.StartAsync();

        var note = await Sender(server).SendAsync(Intro());

        var received = await server.NextAsync();
        Assert.StartsWith($"smtp 127.0.0.1:{server.Port}: ", note, StringComparison.Ordinal);
        Assert.Equal("mentoring@example.com", received.MailFrom);
        Assert.Equal(["ana@example.com"], received.RcptTo);
        Assert.False(received.Smtputf8);
        Assert.Equal(SmtpMailSender.Render(MimeMail.Build(Intro(), From, clock.GetUtcNow()), international: false), received.Data);

        // Every byte is 7-bit: the subject and the name travel as RFC 2047 words, bodies as quoted-printable or base64.
        Assert.All(received.Data, b => Assert.True(b < 128));
        var text = Encoding.ASCII.GetString(received.Data);
        Assert.Contains("\r\nList-Unsubscribe: <https://example.com/u>\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Mentoring-Idempotency-Key: intro:spring:w1:ana@example.com\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Mentoring-Category: intro\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Mentoring-Custom-Args: {\"windowId\":\"w1\"}\r\n", text, StringComparison.Ordinal);
        Assert.Contains($"\r\nMessage-Id: <{MimeMail.MessageIdOf("intro:spring:w1:ana@example.com", "example.com")}>\r\n", text, StringComparison.Ordinal);

        using var parsed = MimeMessage.Load(new MemoryStream(received.Data));
        Assert.Equal("Meet your pair, Zoë", parsed.Subject);
        Assert.Equal(clock.GetUtcNow(), parsed.Date);
        var to = Assert.IsType<MailboxAddress>(Assert.Single(parsed.To));
        Assert.Equal(("Ana Ångström", "ana@example.com"), (to.Name, to.Address));
        var mixed = Assert.IsType<Multipart>(parsed.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        Assert.Equal(2, mixed.Count);
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        Assert.Equal("Hello Ana – meet Bo", ((TextPart)alternative[0]).Text);
        Assert.Equal("<p>Hello <b>Ana</b> – meet Bo</p>", ((TextPart)alternative[1]).Text);
        var invite = Assert.IsAssignableFrom<MimePart>(mixed[1]);
        Assert.Equal("text/calendar", invite.ContentType.MimeType);
        Assert.Equal("PUBLISH", invite.ContentType.Parameters["method"]);
        Assert.Equal("first-meeting.ics", invite.FileName);
        using var content = new MemoryStream();
        invite.Content!.DecodeTo(content);
        Assert.Equal("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"u8.ToArray(), content.ToArray());
    }

    [Fact]
    public async Task Starttls_comes_before_authentication_and_the_server_sees_the_user()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { StartTls = true, User = "relay", Password = "s3cret" });

        await Sender(server, o => (o.Security, o.UserName, o.Password) = (SecureSocketOptions.StartTls, "relay", "s3cret")).SendAsync(Intro());

        var received = await server.NextAsync();
        Assert.True(received.Secure);
        Assert.Equal("relay", received.User);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_nothing_is_delivered()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { StartTls = true, User = "relay", Password = "s3cret" });

        await Assert.ThrowsAsync<AuthenticationException>(() =>
            Sender(server, o => (o.Security, o.UserName, o.Password) = (SecureSocketOptions.StartTls, "relay", "wrong")).SendAsync(Intro()));

        Assert.Equal(0, server.Pending);
    }

    [Fact]
    public async Task Required_starttls_refuses_a_server_that_does_not_offer_it()
    {
        await using var server = await SmtpTestServer.StartAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => Sender(server, o => o.Security = SecureSocketOptions.StartTls).SendAsync(Intro()));

        Assert.Equal(0, server.Pending);
    }

    [Fact]
    public async Task A_subject_with_a_line_break_cannot_add_a_header()
    {
        await using var server = await SmtpTestServer.StartAsync();

        await Sender(server).SendAsync(Intro("Hi\r\nBcc: victim@example.net\r\n\r\nforged body", new CoreMail.MailAddress("ana@example.com", "Ana\r\nBcc: victim@example.net")));

        var received = await server.NextAsync();
        Assert.Equal(["ana@example.com"], received.RcptTo);
        var text = Encoding.ASCII.GetString(received.Data);
        var headers = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.DoesNotContain("\r\nBcc:", headers, StringComparison.OrdinalIgnoreCase);
        using var parsed = MimeMessage.Load(new MemoryStream(received.Data));
        Assert.Empty(parsed.Bcc);
        Assert.Equal(["ana@example.com"], parsed.To.Mailboxes.Select(m => m.Address));
    }

    [Fact]
    public async Task A_non_ascii_mailbox_goes_with_smtputf8_when_the_server_offers_it()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var message = Intro("Hello", new CoreMail.MailAddress("zoë@example.com", "Zoë"));

        await Sender(server).SendAsync(message);

        var received = await server.NextAsync();
        Assert.True(received.Smtputf8);
        Assert.Equal(["zoë@example.com"], received.RcptTo);
        Assert.Equal(SmtpMailSender.Render(MimeMail.Build(message, From, clock.GetUtcNow()), international: true), received.Data);
    }

    [Fact]
    public async Task A_non_ascii_mailbox_is_not_sent_to_a_server_without_smtputf8()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OfferSmtputf8 = false });

        await Assert.ThrowsAnyAsync<Exception>(() => Sender(server).SendAsync(Intro("Hello", new CoreMail.MailAddress("zoë@example.com", "Zoë"))));

        Assert.Equal(0, server.Pending);
    }
}
