using Mentoring.Core.Mail;
using Mentoring.Core.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mentoring.Functions.Mail;

/// <summary>A mail kept instead of sent: the message as built, and when.</summary>
public sealed record KeptMail(MailMessage Message, DateTimeOffset KeptAt);

/// <summary>
/// <see cref="IMailer"/> that sends nothing: each message is kept as a <see cref="Kind"/> document in the app's store (in
/// the program's partition, id = the idempotency key), so a laptop runs offline and the mails can be read back from the
/// store. Create-if-absent decides duplicates: the same key twice is one kept mail, and the second call returns false.
/// </summary>
public sealed partial class KeptMailStore(IDocumentStore store, TimeProvider clock, ILogger<KeptMailStore>? logger = null) : IMailer
{
    public const string Kind = "kept-mail";

    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public static DocumentKey KeyOf(MailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new DocumentKey(message.ProgramId ?? SendGridMailer.NoProgramPartition, Kind, message.IdempotencyKey);
    }

    public async Task<bool> SendAsync(MailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            await store.CreateAsync(KeyOf(message), new KeptMail(message, clock.GetUtcNow()), cancellationToken);
        }
        catch (DocumentConflictException)
        {
            return false;
        }

        LogKept(_logger, message.IdempotencyKey, string.Join(", ", message.To.Select(t => t.Email)), message.Subject);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail {Key} to {To} kept in the store, not sent (Mentoring:Mail:Transport is Local): {Subject}")]
    private static partial void LogKept(ILogger logger, string key, string to, string subject);
}
