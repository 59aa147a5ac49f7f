using Mentoring.Contracts;
using Mentoring.Core.Mail;

namespace Mentoring.Sqlite.Tests;

/// <summary>The mail contract on a real SQLite file, shared with a document store as in the embedded host.</summary>
public sealed class SqliteMailOutboxContractTests : MailerContract, IDisposable
{
    private readonly TempDatabaseFolder _folder = new();
    private readonly List<SqliteMailOutbox> _outboxes = [];

    protected override Task<(IMailer Mailer, IMailbox Mailbox)> CreateAsync()
    {
        // The document store opens the file first, as the host does; the outbox adds its own table to it.
        _folder.OpenStore();
        var outbox = new SqliteMailOutbox(new SqliteStoreOptions(_folder.DatabasePath));
        _outboxes.Add(outbox);
        return Task.FromResult<(IMailer, IMailbox)>((outbox, outbox));
    }

    public void Dispose()
    {
        foreach (var outbox in _outboxes)
        {
            outbox.Dispose();
        }

        _folder.Dispose();
    }
}
