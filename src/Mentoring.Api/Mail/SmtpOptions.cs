using MailKit.Security;

namespace Mentoring.Api.Mail;

/// <summary>SMTP relay (section "Mentoring:Smtp"). Without a host the embedded server keeps mail in its local outbox.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Mentoring:Smtp";

    /// <summary>Relay host (a local Mailpit: localhost, port 1025). Empty: no SMTP.</summary>
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    /// <summary>With a user name the sender authenticates (after TLS when the connection has it).</summary>
    public string? UserName { get; set; }
    public string? Password { get; set; }
    /// <summary>Sender address, optionally with a name: "Mentoring &lt;mentoring@example.com&gt;".</summary>
    public string From { get; set; } = "mentoring@localhost";
    /// <summary>
    /// TLS: <c>Auto</c> (TLS on connect for port 465, otherwise STARTTLS when the server offers it), <c>StartTls</c>
    /// (required), <c>StartTlsWhenAvailable</c>, <c>SslOnConnect</c> or <c>None</c>.
    /// </summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;
    /// <summary>Require TLS (kept from the System.Net.Mail settings): with <see cref="Security"/> left at Auto it means STARTTLS is required.</summary>
    public bool EnableSsl { get; set; }
    /// <summary>Per-message timeout for one SMTP conversation.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The TLS mode actually used, after <see cref="EnableSsl"/>.</summary>
    public SecureSocketOptions EffectiveSecurity => (Security, EnableSsl) switch
    {
        (SecureSocketOptions.Auto, true) => Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls,
        _ => Security,
    };
}
