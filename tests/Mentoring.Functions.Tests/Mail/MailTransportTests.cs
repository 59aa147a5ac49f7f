using Mentoring.Core.Mail;
using Mentoring.Functions.Mail;
using Mentoring.Sqlite;
using Mentoring.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Functions.Tests.Mail;

/// <summary>The mail transport the settings choose, and the local store that keeps mail instead of sending it.</summary>
public sealed class MailTransportTests
{
    [Theory]
    [InlineData(null, typeof(SendGridMailer))]
    [InlineData("SendGrid", typeof(SendGridMailer))]
    [InlineData("local", typeof(KeptMailStore))]
    public void The_transport_setting_picks_the_mailer_behind_the_address_filter_and_SendGrid_is_the_default(string? transport, Type expected)
    {
        using var provider = Services(transport).BuildServiceProvider();

        var filter = Assert.IsType<UndeliverableAddressFilter>(provider.GetRequiredService<IMailer>());
        Assert.IsType(expected, filter.Inner);
    }

    [Fact]
    public void An_unknown_transport_stops_the_app_at_start_naming_the_setting()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Services("Pigeon"));

        Assert.Contains("Mentoring:Mail:Transport", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kept_mail_is_stored_once_per_key_and_nothing_is_sent()
    {
        using var folder = new TempFolder();
        using var store = new SqliteDocumentStore(new SqliteStoreOptions(folder.File("kept.db")));
        var clock = new ManualClock();
        var kept = new KeptMailStore(store, clock);
        var message = new MailMessage
        {
            IdempotencyKey = "intro:prog:m1", ProgramId = "prog", To = [new MailAddress("ana@example.com")],
            Subject = "Meet Bo", TextBody = "text", HtmlBody = "<p>html</p>",
        };

        Assert.True(await kept.SendAsync(message));
        Assert.False(await kept.SendAsync(message with { Subject = "second" }));

        var stored = await store.ReadAsync<KeptMail>(KeptMailStore.KeyOf(message));
        Assert.Equal("Meet Bo", stored!.Value.Message.Subject);
        Assert.Equal(clock.GetUtcNow(), stored.Value.KeptAt);
    }

    private static ServiceCollection Services(string? transport)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Mentoring:Cosmos:AccountEndpoint"] = "https://example.documents.azure.com:443/",
            ["Mentoring:Work:QueueName"] = "mentoring-work",
            ["Mentoring:Mail:Transport"] = transport,
        };
        var services = new ServiceCollection();
        services.AddFunctionsHost(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services;
    }
}
