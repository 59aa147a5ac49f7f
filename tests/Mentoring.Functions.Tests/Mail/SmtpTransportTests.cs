using Mentoring.Core.Mail;
using Mentoring.Core.Persistence;
using Mentoring.Functions.Mail;
using Mentoring.Sqlite;
using Mentoring.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Functions.Tests.Mail;

/// <summary>
/// The Functions app with <c>Mentoring:Mail:Transport</c> = <c>Smtp</c>: its composition root's mailer sends through the
/// embedded server's MailKit sender to a real SMTP server (tests/smtp-server), once per idempotency key.
/// </summary>
public sealed class SmtpTransportTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new();
    private SqliteDocumentStore _store = null!;
    private SmtpTestServer _smtp = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteDocumentStore(new SqliteStoreOptions(_folder.File("ledger.db")));
        _smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Reject = ["nobody@example.com"] });
    }

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_mail_goes_to_the_relay_once_however_often_its_key_is_sent()
    {
        using var provider = Services().BuildServiceProvider();
        var mailer = provider.GetRequiredService<IMailer>();

        Assert.IsType<SmtpRelayMailer>(Assert.IsType<UndeliverableAddressFilter>(mailer).Inner);
        Assert.True(await mailer.SendAsync(Message("once", "ana@example.com")));
        Assert.False(await mailer.SendAsync(Message("once", "ana@example.com")));

        var received = await _smtp.NextAsync();
        Assert.Equal(["ana@example.com"], received.RcptTo);
        Assert.Equal("mentoring@example.com", received.MailFrom);
        Assert.Contains("\r\nX-Mentoring-Idempotency-Key: key-once\r\n", System.Text.Encoding.ASCII.GetString(received.Data), StringComparison.Ordinal);
        Assert.Equal(0, _smtp.Pending);
        var sent = await _store.ReadAsync<SentMail>(SentMailLedger.KeyOf(Message("once", "ana@example.com")));
        Assert.Equal(SentMailStatus.Accepted, sent!.Value.Status);
        Assert.StartsWith("smtp 127.0.0.1:", sent.Value.ProviderMessageId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_by_the_relay_fails_the_send_and_leaves_the_key_free_for_a_retry()
    {
        using var provider = Services().BuildServiceProvider();
        var mailer = provider.GetRequiredService<IMailer>();

        var refused = await Assert.ThrowsAsync<MailRelayRefusedException>(() => mailer.SendAsync(Message("refused", "nobody@example.com")));
        Assert.IsType<MailKit.Net.Smtp.SmtpCommandException>(refused.InnerException);

        Assert.Null(await _store.ReadAsync<SentMail>(SentMailLedger.KeyOf(Message("refused", "nobody@example.com"))));
    }

    [Fact]
    public async Task A_stored_address_the_rule_refuses_is_suppressed_with_its_reason_and_the_other_recipient_still_gets_the_mail()
    {
        using var provider = Services().BuildServiceProvider();
        var mailer = provider.GetRequiredService<IMailer>();
        var message = Message("mixed", "ana@example.com") with { To = [new MailAddress("bo\u200b@example.com"), new MailAddress("ana@example.com")] };

        Assert.True(await mailer.SendAsync(message));

        var received = await _smtp.NextAsync();
        Assert.Equal(["ana@example.com"], received.RcptTo);
        var suppression = await _store.ReadAsync<Core.Engagement.Suppression>(
            Core.Engagement.EngagementDocuments.Suppression(Core.Common.EmailAddress.Digest("bo\u200b@example.com")));
        Assert.Equal(UndeliverableAddressFilter.Reason, suppression?.Value.Reason);
        Assert.Equal(Core.Common.Rules.ControlCharacter, suppression?.Value.Detail);
    }

    [Fact]
    public async Task A_mail_whose_only_recipient_the_rule_refuses_is_not_sent_and_fails_nothing()
    {
        using var provider = Services().BuildServiceProvider();
        var mailer = provider.GetRequiredService<IMailer>();

        Assert.False(await mailer.SendAsync(Message("emoji", "\U0001F600@example.com")));
        Assert.True(await mailer.SendAsync(Message("after", "ana@example.com")));

        Assert.Equal(["ana@example.com"], (await _smtp.NextAsync()).RcptTo);
        Assert.Equal(0, _smtp.Pending);
    }

    private ServiceCollection Services(string host = "127.0.0.1")
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Mentoring:Cosmos:AccountEndpoint"] = "https://example.documents.azure.com:443/",
            ["Mentoring:Work:QueueName"] = "mentoring-work",
            ["Mentoring:Mail:Transport"] = "Smtp",
            ["Mentoring:Smtp:Host"] = host,
            ["Mentoring:Smtp:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mentoring:Smtp:From"] = "Mentoring <mentoring@example.com>",
            ["Mentoring:Smtp:Security"] = "None",
        };
        var services = new ServiceCollection();
        services.AddFunctionsHost(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<IDocumentStore>(_store); // the ledger in a real store here; Cosmos DB in the app
        return services;
    }

    private static MailMessage Message(string name, string to) => new()
    {
        IdempotencyKey = "key-" + name,
        ProgramId = "prog-1",
        To = [new MailAddress(to)],
        Subject = "Subject " + name,
        TextBody = "Text",
        HtmlBody = "<p>Html</p>",
    };
}
