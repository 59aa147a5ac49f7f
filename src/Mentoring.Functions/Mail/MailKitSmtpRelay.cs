using System.Net.Sockets;
using MailKit.Security;
using MailKit.Net.Smtp;
using Mentoring.Api.Mail;
using Mentoring.Core.Mail;

namespace Mentoring.Functions.Mail;

/// <summary>
/// The embedded server's MailKit sender as the Functions app's <see cref="ISmtpRelay"/>. Failures where the relay certainly
/// kept nothing (it refused a command, could not be reached, or lacks SMTPUTF8 for this address) become
/// <see cref="MailRelayRefusedException"/> so the ledger frees the key for a retry; anything else may have delivered and
/// stays as it is.
/// </summary>
public sealed class MailKitSmtpRelay(SmtpMailSender sender) : ISmtpRelay
{
    public async Task<string> SendAsync(MailMessage message, CancellationToken cancellationToken = default)
    {
        try
        {
            return await sender.SendAsync(message, cancellationToken);
        }
        catch (SmtpCommandException refused)
        {
            throw new MailRelayRefusedException($"The SMTP relay refused the message: {(int)refused.StatusCode} {refused.Message}", refused);
        }
        catch (Exception unreachable) when (unreachable is SocketException or NotSupportedException or SslHandshakeException)
        {
            throw new MailRelayRefusedException($"The SMTP relay took nothing: {unreachable.Message}", unreachable);
        }
    }
}
