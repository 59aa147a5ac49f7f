using Mentoring.Core.Mail;
using Mentoring.Functions.Mail;
using Mentoring.Sqlite;
using Mentoring.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Functions.Tests.Mail;

/// <summary>
/// The SMTP transport's bookkeeping, over the <see cref="ISmtpRelay"/> port with a recording relay and a real (SQLite)
/// ledger store: once per key, a refusal frees the key, a death mid-conversation never sends a second copy.
/// </summary>
public sealed class SmtpRelayMailerTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly SqliteDocumentStore _store;
    private readonly ManualClock _clock = new();
    private readonly RecordingRelay _relay = new();

    public SmtpRelayMailerTests() => _store = new SqliteDocumentStore(new SqliteStoreOptions(_folder.File("ledger.db")));

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_mail_the_relay_accepted_is_never_handed_over_again()
    {
        var mailer = Mailer();

        Assert.True(await mailer.SendAsync(Message("once")));
        Assert.False(await mailer.SendAsync(Message("once")));
        Assert.False(await Mailer().SendAsync(Message("once")));

        Assert.Single(_relay.Sent);
        var sent = await _store.ReadAsync<SentMail>(SentMailLedger.KeyOf(Message("once")));
        Assert.Equal(SentMailStatus.Accepted, sent!.Value.Status);
        Assert.Equal("smtp relay: 250 queued", sent.Value.ProviderMessageId);
    }

    [Fact]
    public async Task A_refusal_frees_the_key_so_the_retry_sends_it()
    {
        _relay.Next = _ => throw new MailRelayRefusedException("550 mailbox unavailable");
        var mailer = Mailer();

        await Assert.ThrowsAsync<MailRelayRefusedException>(() => mailer.SendAsync(Message("refused")));
        Assert.True(await mailer.SendAsync(Message("refused")));

        Assert.Equal(2, _relay.Sent.Count);
    }

    [Fact]
    public async Task A_conversation_cut_after_handing_over_never_sends_a_second_copy()
    {
        _relay.Next = _ => throw new IOException("connection reset after DATA");
        var mailer = Mailer();

        await Assert.ThrowsAsync<IOException>(() => mailer.SendAsync(Message("cut")));
        await Assert.ThrowsAsync<MailSendInProgressException>(() => mailer.SendAsync(Message("cut")));
        _clock.Advance(SmtpRelayMailer.ClaimTimeout);
        Assert.False(await mailer.SendAsync(Message("cut")));

        Assert.Single(_relay.Sent);
        Assert.Equal(SentMailStatus.Unconfirmed, (await _store.ReadAsync<SentMail>(SentMailLedger.KeyOf(Message("cut"))))!.Value.Status);
    }

    [Fact]
    public void The_smtp_transport_without_a_relay_host_is_refused_naming_both_settings()
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Mentoring:Cosmos:AccountEndpoint"] = "https://example.documents.azure.com:443/",
            ["Mentoring:Work:QueueName"] = "mentoring-work",
            ["Mentoring:Mail:Transport"] = "Smtp",
        };
        var services = new ServiceCollection();
        services.AddFunctionsHost(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IMailer>());

        Assert.Contains("Mentoring:Mail:Transport", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Mentoring:Smtp:Host", failure.Message, StringComparison.Ordinal);
    }

    private SmtpRelayMailer Mailer() => new(_relay, new SentMailLedger(_store, _clock));

    private static MailMessage Message(string name) => new()
    {
        IdempotencyKey = "key-" + name,
        ProgramId = "prog-1",
        To = [new MailAddress("ana@example.com")],
        Subject = "Subject " + name,
        TextBody = "Text",
        HtmlBody = "<p>Html</p>",
    };

    /// <summary>Records what it is handed; <see cref="Next"/> decides the next answer once.</summary>
    private sealed class RecordingRelay : ISmtpRelay
    {
        public List<MailMessage> Sent { get; } = [];

        public Func<MailMessage, string>? Next { get; set; }

        public Task<string> SendAsync(MailMessage message, CancellationToken cancellationToken = default)
        {
            Sent.Add(message);
            var answer = Next ?? (_ => "smtp relay: 250 queued");
            Next = null;
            return Task.FromResult(answer(message));
        }
    }
}
