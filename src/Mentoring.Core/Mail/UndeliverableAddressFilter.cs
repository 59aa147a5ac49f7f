using Mentoring.Core.Common;
using Mentoring.Core.Engagement;
using Mentoring.Core.Persistence;

namespace Mentoring.Core.Mail;

/// <summary>
/// The mailer both hosts hand to the application: mail to an address that breaks today's rule (<see cref="EmailAddress"/>;
/// stored before the rule existed) is never sent. Each such recipient gets a global suppression whose reason names the
/// rule, and the message goes to the other recipients, so one bad address costs nobody else their mail.
/// </summary>
public sealed class UndeliverableAddressFilter(IMailer inner, IDocumentStore store, TimeProvider clock) : IMailer
{
    public const string Reason = "undeliverable-address";

    /// <summary>The mailer that sends what passes.</summary>
    public IMailer Inner { get; } = inner;

    /// <returns>As <see cref="IMailer.SendAsync"/>; false also when every recipient was suppressed (nothing was sent).</returns>
    public async Task<bool> SendAsync(MailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var deliverable = new List<MailAddress>(message.To.Count);
        foreach (var to in message.To)
        {
            var check = EmailAddress.Check(to.Email);
            if (check.IsValid)
            {
                // The canonical spelling: an internationalised domain travels IDNA-encoded, which every relay takes.
                deliverable.Add(check.Canonical == to.Email ? to : to with { Email = check.Canonical! });
            }
            else
            {
                await SuppressAsync(to.Email, check, cancellationToken);
            }
        }
        if (deliverable.Count == 0)
        {
            return false;
        }
        return await Inner.SendAsync(deliverable.SequenceEqual(message.To) ? message : message with { To = deliverable }, cancellationToken);
    }

    private async Task SuppressAsync(string email, EmailCheck check, CancellationToken cancellationToken)
    {
        var digest = EmailAddress.Digest(email);
        try
        {
            // Create, not upsert: an earlier suppression (a bounce, an erasure) keeps its own reason and time.
            await store.CreateAsync(EngagementDocuments.Suppression(digest),
                new Suppression(digest, Reason, clock.GetUtcNow(), check.Rule), cancellationToken);
        }
        catch (DocumentConflictException)
        {
        }
    }
}
