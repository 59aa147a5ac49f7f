using Azure.Storage.Queues;
using Mentoring.Contracts;
using Mentoring.Core.Mail;
using Mentoring.Core.Work;
using Mentoring.Functions.Mail;
using Mentoring.Functions.Tests.Mail;
using Mentoring.Functions.Work;
using Mentoring.Sqlite;
using Mentoring.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Mentoring.Functions.Tests.Azurite;

/// <summary>
/// The work-queue contract on Azurite: <see cref="StorageQueueWorkQueue"/> with the clients the app builds at start
/// (<see cref="FunctionsHost.CreateWorkQueueClients"/>), consumed the way the Functions host consumes it
/// (<see cref="QueueTriggerStandIn"/> running the app's queue-triggered function), with claims in a real document store
/// and mail through the app's SendGrid mailer to a SendGrid stand-in.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class StorageQueueWorkQueueContractTests(AzuriteFixture azurite) : WorkQueueContract, IAsyncLifetime, IDisposable
{
    private static readonly (TimeSpan VisibilityTimeout, int MaxDequeueCount) Host = QueueTriggerStandIn.HostJsonQueueSettings();

    private readonly TempFolder _folder = new();
    private readonly Dictionary<IWorkQueue, QueueTriggerStandIn> _hosts = [];
    private SqliteDocumentStore _store = null!;
    private SendGridStandIn? _sendGrid;

    protected override TimeSpan ClaimLease => QueueTriggerStandIn.Lease;

    protected override TimeSpan RetryDelayAfter(int attempt) => Host.VisibilityTimeout;

    public Task InitializeAsync()
    {
        _store = new SqliteDocumentStore(new SqliteStoreOptions(_folder.File("claims.db")));
        return Task.CompletedTask;
    }

    protected override async Task<IWorkQueue> CreateQueueAsync(TimeProvider clock)
    {
        var name = "work-" + Guid.NewGuid().ToString("n")[..20];
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FunctionsHost.HostStorageSetting] = azurite.ConnectionString,
            [FunctionsHost.WorkQueueNameSetting] = name,
        }).Build();
        var (queueClient, poisonClient) = FunctionsHost.CreateWorkQueueClients(configuration);
        var queue = new StorageQueueWorkQueue(queueClient, poisonClient, _store, clock);
        await queue.CreateQueuesIfNotExistsAsync();
        // The host reads the raw text (no client-side encoding) and decodes Base64 itself.
        _hosts[queue] = new QueueTriggerStandIn(new QueueClient(azurite.ConnectionString, name),
            new QueueClient(azurite.ConnectionString, name + StorageQueueWorkQueue.PoisonSuffix), queue, clock,
            Host.VisibilityTimeout, Host.MaxDequeueCount);
        return queue;
    }

    protected override Task<int> DeliverDueAsync(IWorkQueue queue, IWorkHandler handler) => _hosts[queue].DeliverDueAsync(handler);

    protected override Task<int> CrashWhileHandlingAsync(IWorkQueue queue, IWorkHandler? handler) => _hosts[queue].CrashWhileHandlingAsync(handler);

    protected override async Task<(IMailer Mailer, IMailbox Mailbox)> CreateMailAsync()
    {
        _sendGrid = await SendGridStandIn.StartAsync();
        var settings = new SendGridOptions { ApiKey = "SG.stand-in", ApiHost = _sendGrid.BaseUrl, FromEmail = "mentoring@example.com" };
        var mailer = new SendGridMailer(new Lazy<SendGrid.ISendGridClient>(() => FunctionsHost.CreateSendGridClient(settings)), _store,
            Options.Create(settings), Clock);
        return (mailer, new SendGridStandInMailbox(_sendGrid));
    }

    [Fact]
    public void The_host_retries_after_thirty_seconds_and_gives_up_after_the_ports_five_attempts()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Host.VisibilityTimeout);
        Assert.Equal(IWorkQueue.MaxAttempts, Host.MaxDequeueCount);
    }

    [Fact]
    public async Task A_message_on_the_queue_is_Base64_of_the_work_item_json_as_the_queue_trigger_reads_it()
    {
        var queue = (StorageQueueWorkQueue)await CreateQueueAsync(Clock);
        var item = new WorkItem
        {
            IdempotencyKey = "checkin:ünï:" + Guid.NewGuid().ToString("n"),
            Purpose = WorkPurposes.CheckInNudge,
            ProgramId = ProgramId,
            Data = new Dictionary<string, string> { ["note"] = "\"quoted\" <b>" },
        };

        await queue.EnqueueAsync(item);

        var raw = new QueueClient(azurite.ConnectionString, QueueNameOf(queue));
        var message = Assert.Single((await raw.PeekMessagesAsync(10)).Value);
        var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(message.MessageText));
        Assert.Equal(StorageQueueWorkQueue.Serialize(item), text);
        Assert.Equal(item.IdempotencyKey, StorageQueueWorkQueue.Deserialize(text).IdempotencyKey);
    }

    [Fact]
    public async Task A_poisoned_message_stays_Base64_and_is_listed_from_the_poison_queue_the_host_writes()
    {
        var queue = (StorageQueueWorkQueue)await CreateQueueAsync(Clock);
        var item = new WorkItem { IdempotencyKey = "poison:" + Guid.NewGuid().ToString("n"), Purpose = WorkPurposes.CheckInNudge, ProgramId = ProgramId };
        await queue.EnqueueAsync(item);
        var handler = new RecordingHandler { FailuresToInject = int.MaxValue };

        for (var attempt = 1; attempt <= IWorkQueue.MaxAttempts; attempt++)
        {
            Assert.Equal(1, await DeliverDueAsync(queue, handler));
            Clock.Advance(Host.VisibilityTimeout);
        }

        var poison = new QueueClient(azurite.ConnectionString, QueueNameOf(queue) + StorageQueueWorkQueue.PoisonSuffix);
        var message = Assert.Single((await poison.PeekMessagesAsync(10)).Value);
        Assert.Equal(item.IdempotencyKey,
            StorageQueueWorkQueue.Deserialize(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(message.MessageText))).IdempotencyKey);
        Assert.Equal(item.IdempotencyKey, Assert.Single(await queue.ListPoisonAsync(ProgramId)).Item.IdempotencyKey);
    }

    public async Task DisposeAsync()
    {
        if (_sendGrid is not null)
        {
            await _sendGrid.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    private static string QueueNameOf(StorageQueueWorkQueue queue) => queue.QueueName;
}
