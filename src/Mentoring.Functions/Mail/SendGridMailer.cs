using System.Net;
using Mentoring.Core.Mail;
using Mentoring.Core.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGridMail = SendGrid.Helpers.Mail;

namespace Mentoring.Functions.Mail;

public enum SentMailStatus
{
    /// <summary>Claimed by a sender that has not heard back from SendGrid yet.</summary>
    Sending,
    /// <summary>SendGrid answered 2xx: the message is theirs to deliver.</summary>
    Accepted,
    /// <summary>
    /// A sender stopped during its call to SendGrid (crash, timeout): SendGrid may have accepted the message. Never sent
    /// again, so nobody gets it twice; SendGrid's Email Activity (custom arg <c>mentoringKey</c>) tells whether it went.
    /// </summary>
    Unconfirmed,
}

/// <summary>The idempotency record of one message: created before the send, so a redelivered command does not send twice.</summary>
public sealed record SentMail(string IdempotencyKey, SentMailStatus Status, DateTimeOffset ClaimedAt, DateTimeOffset? AcceptedAt = null,
    string? ProviderMessageId = null);

/// <summary>Another attempt holds a fresh claim on this message; retry later (it will be sent, or found sent).</summary>
public sealed class MailSendInProgressException(string idempotencyKey)
    : Exception($"Message '{idempotencyKey}' is being sent by another attempt.");

/// <summary>SendGrid refused a message.</summary>
/// <param name="transient">A 429 or 5xx that outlasted the mailer's own retries: sending later may work. Otherwise SendGrid
/// refused the request itself (a 4xx: bad key, unverified sender, invalid content), and resending it unchanged cannot.</param>
public sealed class MailSendFailedException(HttpStatusCode status, string detail, bool transient = false)
    : Exception($"SendGrid refused the message with {(int)status}: {detail}")
{
    public HttpStatusCode Status { get; } = status;

    public bool IsTransient { get; } = transient;
}

/// <summary>
/// <see cref="IMailer"/> over SendGrid v3 mail send (<c>POST /v3/mail/send</c>). One document per idempotency key in the
/// store is claimed before sending: a second call with the key returns false once the first was accepted, and waits
/// (throws <see cref="MailSendInProgressException"/>, so the caller's retry comes back) while the first is in flight.
/// The key also travels in <c>custom_args</c>, so delivery events name the message they are about.
/// </summary>
/// <remarks>
/// <para>Answers: 202 (any 2xx) marks the message accepted. 429 waits for <c>Retry-After</c> or <c>X-RateLimit-Reset</c> (capped by
/// <see cref="SendGridOptions.MaxRetryWait"/>) and 5xx backs off, both up to <see cref="SendGridOptions.MaxSendAttempts"/>
/// calls, then the claim is released and a transient <see cref="MailSendFailedException"/> lets the caller retry later.
/// Any other 4xx releases the claim and throws at once, without calling again.</para>
/// <para>SendGrid has no idempotency key of its own, so a sender that stops between SendGrid's 202 and marking the claim
/// cannot be told apart from one that stopped before SendGrid took the message. Such a claim, once older than
/// <see cref="SendGridOptions.ClaimTimeout"/>, is marked <see cref="SentMailStatus.Unconfirmed"/> and never sent again:
/// at most one copy, and a warning in the log. A failure that shows the request never left (connection refused) releases
/// the claim instead, so the retry sends.</para>
/// </remarks>
public sealed partial class SendGridMailer(Lazy<ISendGridClient> client, IDocumentStore store, IOptions<SendGridOptions> options, TimeProvider clock,
    ILogger<SendGridMailer>? logger = null)
    : IMailer
{
    public const string Kind = SentMailLedger.Kind;
    /// <summary>Partition of messages that belong to no program. Program ids cannot start with '_'.</summary>
    public const string NoProgramPartition = SentMailLedger.NoProgramPartition;

    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;
    private readonly SentMailLedger _ledger = new(store, clock, logger);

    public async Task<bool> SendAsync(MailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var claim = await _ledger.ClaimAsync(message, settings.ClaimTimeout, cancellationToken);
        if (claim is null)
        {
            return false;
        }

        var request = ToSendGrid(message, settings);
        for (var attempt = 1; ; attempt++)
        {
            Response response;
            try
            {
                response = await client.Value.SendEmailAsync(request, cancellationToken);
            }
            catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError)
            {
                await _ledger.ReleaseAsync(claim); // it never reached SendGrid: the retry may send
                throw;
            }

            var status = (int)response.StatusCode;
            if (status is >= 200 and <= 299)
            {
                var messageId = response.Headers is not null && response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.FirstOrDefault() : null;
                await _ledger.MarkAcceptedAsync(claim, messageId);
                return true;
            }

            var detail = response.Body is null ? "" : await response.Body.ReadAsStringAsync(cancellationToken);
            var transient = status is 429 or >= 500;
            if (!transient || attempt >= settings.MaxSendAttempts)
            {
                await _ledger.ReleaseAsync(claim); // nothing was accepted: a later retry sends again
                throw new MailSendFailedException(response.StatusCode, detail, transient);
            }

            var wait = status == 429 ? RetryAfter(response, clock.GetUtcNow(), settings.MaxRetryWait) : TimeSpan.FromSeconds(Math.Pow(2, attempt - 1));
            LogRetry(_logger, message.IdempotencyKey, status, wait);
            await Task.Delay(wait, clock, cancellationToken);
        }
    }

    /// <summary>
    /// How long to wait after a 429: <c>Retry-After</c> (seconds or an HTTP date) when given, else until SendGrid's documented
    /// <c>X-RateLimit-Reset</c> (Unix seconds), else 1 s; never more than <paramref name="cap"/>.
    /// </summary>
    internal static TimeSpan RetryAfter(Response response, DateTimeOffset now, TimeSpan cap)
    {
        var headers = response.Headers;
        TimeSpan wait;
        if (headers?.RetryAfter is { } retryAfter)
        {
            wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - now : TimeSpan.FromSeconds(1));
        }
        else if (headers is not null && headers.TryGetValues("X-RateLimit-Reset", out var resets)
            && long.TryParse(resets.FirstOrDefault(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var reset))
        {
            wait = DateTimeOffset.FromUnixTimeSeconds(reset) - now;
        }
        else
        {
            wait = TimeSpan.FromSeconds(1);
        }

        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > cap ? cap : wait;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SendGrid answered {Status} for message {Key}; calling again in {Wait}.")]
    private static partial void LogRetry(ILogger logger, string key, int status, TimeSpan wait);


    internal static SendGridMail.SendGridMessage ToSendGrid(MailMessage message, SendGridOptions settings)
    {
        var mail = new SendGridMail.SendGridMessage
        {
            From = new SendGridMail.EmailAddress(settings.FromEmail, settings.FromName),
            Subject = message.Subject,
            PlainTextContent = message.TextBody,
            HtmlContent = message.HtmlBody,
            Categories = [message.Category],
            CustomArgs = new Dictionary<string, string>(message.CustomArgs, StringComparer.Ordinal)
            {
                [SendGridEventWebhook.IdempotencyKeyArg] = message.IdempotencyKey,
            },
        };
        if (message.ProgramId is { } programId)
        {
            mail.CustomArgs[SendGridEventWebhook.ProgramIdArg] = programId;
        }
        if ((message.ReplyTo ?? settings.DefaultReplyTo()) is { } replyTo)
        {
            mail.ReplyTo = new SendGridMail.EmailAddress(replyTo.Email, replyTo.Name);
        }
        foreach (var to in message.To)
        {
            mail.AddTo(to.Email, to.Name); // one personalization: a pair's intro is one mail to both
        }
        if (message.Headers.Count > 0)
        {
            mail.Headers = new Dictionary<string, string>(message.Headers, StringComparer.OrdinalIgnoreCase);
        }
        if (message.Attachments.Count > 0)
        {
            mail.Attachments = [.. message.Attachments.Select(a => new SendGridMail.Attachment
            {
                Filename = a.FileName,
                Type = a.ContentType,
                Content = Convert.ToBase64String(a.Content),
                Disposition = "attachment",
            })];
        }
        if (settings.SandboxMode)
        {
            mail.SetSandBoxMode(true);
        }
        return mail;
    }
}
