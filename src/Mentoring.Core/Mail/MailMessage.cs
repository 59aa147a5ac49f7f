using Mentoring.Core.Common;

namespace Mentoring.Core.Mail;

/// <summary>An email address with an optional display name (one line: control and format characters become spaces).</summary>
public sealed record MailAddress(string Email, string? Name = null)
{
    public string? Name { get; init => field = value is null ? null : PlainText.ForHeader(value); } = Name is null ? null : PlainText.ForHeader(Name);

    public override string ToString() => string.IsNullOrWhiteSpace(Name) ? Email : $"{Name} <{Email}>";
}

/// <summary>A file sent with a message (an ICS invite, a CSV report).</summary>
public sealed record MailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>One email, provider-neutral. Built by the templates, sent through <see cref="IMailer"/>.</summary>
public sealed record MailMessage
{
    /// <summary>Same key twice = one message, ever.</summary>
    public required string IdempotencyKey { get; init; }
    public required IReadOnlyList<MailAddress> To { get; init; }
    /// <summary>One line, always: control and format characters (CR/LF, NUL, ESC, a direction override) become spaces, so no
    /// participant's or admin's text can shape a header.</summary>
    public required string Subject { get; init => field = PlainText.ForHeader(value); }
    public required string HtmlBody { get; init; }
    public required string TextBody { get; init; }
    /// <summary>What kind of mail this is: "draft", "reminder", "expiry", "decided", "intro", "general"...</summary>
    public string Category { get; init; } = MailCategories.General;
    public string? ProgramId { get; init; }
    /// <summary>Where replies go, when not to the sender (the provider's default reply-to applies otherwise).</summary>
    public MailAddress? ReplyTo { get; init; }
    /// <summary>Provider metadata echoed back in delivery events (SendGrid <c>custom_args</c>).</summary>
    public IReadOnlyDictionary<string, string> CustomArgs { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
    /// <summary>Extra headers (for example <c>List-Unsubscribe</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    public IReadOnlyList<MailAttachment> Attachments { get; init; } = [];
}

/// <summary>The categories the templates use.</summary>
public static class MailCategories
{
    public const string General = "general";
    public const string Draft = "draft";
    public const string Reminder = "reminder";
    public const string Expiry = "expiry";
    public const string Decided = "decided";
    public const string Intro = "intro";
}

/// <summary>
/// The mail port. At-least-once to the provider, deduplicated by <see cref="MailMessage.IdempotencyKey"/>:
/// calling it again with a key already accepted returns false and sends nothing more.
/// </summary>
public interface IMailer
{
    /// <returns>True when the message was accepted for delivery now; false when its key was accepted before.</returns>
    Task<bool> SendAsync(MailMessage message, CancellationToken cancellationToken = default);
}

/// <summary>Read side of the embedded outbox (the /outbox page and tests).</summary>
public interface IMailbox
{
    /// <summary>Messages matching the query, newest first.</summary>
    Task<IReadOnlyList<StoredMail>> ListAsync(MailboxQuery query, CancellationToken cancellationToken = default);

    Task<StoredMail?> GetAsync(string id, CancellationToken cancellationToken = default);
}

public enum MailDeliveryStatus
{
    /// <summary>Accepted, waiting for (another) delivery attempt.</summary>
    Queued,
    /// <summary>The SMTP server accepted it, or it was kept locally because no SMTP server is configured.</summary>
    Delivered,
    /// <summary>Every retry failed; see <see cref="StoredMail.LastError"/>.</summary>
    Failed,
}

/// <summary>A message in the outbox and how its delivery went.</summary>
/// <param name="DeliveryNote">How it was delivered ("smtp host:port", "kept locally"), when it was.</param>
public sealed record StoredMail(
    string Id,
    MailMessage Message,
    DateTimeOffset QueuedAt,
    MailDeliveryStatus Status,
    int Attempts,
    DateTimeOffset? DeliveredAt,
    string? LastError,
    string? DeliveryNote = null);

/// <summary>Filters for <see cref="IMailbox.ListAsync"/>; every filter is optional and they combine with AND.</summary>
public sealed record MailboxQuery
{
    public const int DefaultLimit = 200;

    public string? ProgramId { get; init; }
    public string? Category { get; init; }
    /// <summary>Messages with this address among their recipients (case-insensitive).</summary>
    public string? Recipient { get; init; }
    public int Limit { get; init; } = DefaultLimit;
}
