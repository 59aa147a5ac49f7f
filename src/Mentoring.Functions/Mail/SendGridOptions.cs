using Mentoring.Core.Mail;

namespace Mentoring.Functions.Mail;

/// <summary>SendGrid settings (section <c>Mentoring:SendGrid</c>; app settings <c>Mentoring__SendGrid__{Property}</c>, e.g. <c>Mentoring__SendGrid__ApiKey</c>).</summary>
public sealed class SendGridOptions
{
    public const string Section = "Mentoring:SendGrid";

    /// <summary>In Azure a Key Vault reference to the secret <c>sendgrid-api-key</c>.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>A sender address verified in SendGrid (Single Sender or an authenticated domain).</summary>
    public string FromEmail { get; set; } = "";

    public string FromName { get; set; } = "Mentoring";

    /// <summary>Where replies go when a message names no reply-to (empty: to <see cref="FromEmail"/>).</summary>
    public string ReplyToEmail { get; set; } = "";

    public string ReplyToName { get; set; } = "";

    /// <summary>
    /// Where the client sends: SendGrid's API by default. Point it elsewhere only for a stand-in (tests, an offline
    /// laptop); it never changes which messages are sent.
    /// </summary>
    public string ApiHost { get; set; } = "";

    /// <summary>Calls per message when SendGrid answers 429 or 5xx, before the message is handed back for a later retry.</summary>
    public int MaxSendAttempts { get; set; } = 3;

    /// <summary>The longest 429 <c>Retry-After</c> the mailer waits in-process; longer ones are cut to this.</summary>
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>SendGrid validates every message and delivers none (202 all the same): for trying a deployment safely.</summary>
    public bool SandboxMode { get; set; }

    /// <summary>The Signed Event Webhook verification key (base64 or PEM). Empty: <c>POST /api/mail/events</c> refuses everything.</summary>
    public string EventWebhookPublicKey { get; set; } = "";

    /// <summary>A send claimed this long ago and never confirmed is taken over (the sender died between claiming and sending).</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(10);

    internal MailAddress? DefaultReplyTo() =>
        string.IsNullOrWhiteSpace(ReplyToEmail) ? null : new MailAddress(ReplyToEmail, string.IsNullOrWhiteSpace(ReplyToName) ? null : ReplyToName);

    public string RequireApiKey()
    {
        // An unresolved Key Vault reference reaches the app as its own text.
        if (string.IsNullOrWhiteSpace(ApiKey) || ApiKey.StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                "The SendGrid API key is not available: put it in the Key Vault secret 'sendgrid-api-key' (README, Deploy to Azure) " +
                "or set Mentoring__SendGrid__ApiKey locally.");
        }
        return ApiKey;
    }

    internal static bool IsPublicKey(string key)
    {
        try
        {
            SendGridEventWebhook.ParsePublicKey(key);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
