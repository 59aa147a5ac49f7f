using Mentoring.Core.Mail;

namespace Mentoring.Functions.Mail;

/// <summary>One hand-over of a message to an SMTP relay; in the app, the MailKit sender both hosts share (<see cref="MailKitSmtpRelay"/>).</summary>
public interface ISmtpRelay
{
    /// <summary>Transmits the message; returns a note such as "smtp host:port: 250 ...".</summary>
    /// <exception cref="MailRelayRefusedException">The relay certainly did not take the message (it answered with an error, or
    /// was never reached). Any other exception means it may have.</exception>
    Task<string> SendAsync(MailMessage message, CancellationToken cancellationToken = default);
}

/// <summary>The relay refused the message or was never reached: nothing was delivered, a retry may send it.</summary>
public sealed class MailRelayRefusedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// <see cref="IMailer"/> over an SMTP relay (<c>Mentoring:Smtp</c>), deduplicated by the same <see cref="SentMailLedger"/> as
/// SendGrid: a key the relay accepted is never sent again, a refused one is released for the retry, and one whose sender
/// died mid-conversation is marked Unconfirmed after <see cref="ClaimTimeout"/> rather than sent twice.
/// </summary>
/// <remarks>For a laptop (<c>func start</c> with Mailpit) or a company relay; Azure deploys SendGrid.</remarks>
public sealed class SmtpRelayMailer(ISmtpRelay relay, SentMailLedger ledger) : IMailer
{
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(10);

    public async Task<bool> SendAsync(MailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var claim = await ledger.ClaimAsync(message, ClaimTimeout, cancellationToken);
        if (claim is null)
        {
            return false;
        }

        string note;
        try
        {
            note = await relay.SendAsync(message, cancellationToken);
        }
        catch (MailRelayRefusedException)
        {
            await ledger.ReleaseAsync(claim);
            throw;
        }

        await ledger.MarkAcceptedAsync(claim, note);
        return true;
    }
}
