using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Mentoring.Core.Work;
using Mentoring.Functions.Work;
using Moq;

namespace Mentoring.Functions.Tests.Work;

public sealed class StorageQueueWorkQueueTests
{
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly Mock<QueueClient> _queue = new();
    private readonly Mock<QueueClient> _poison = new();
    private readonly FakeDocumentStore _store = new();
    private readonly Mock<TimeProvider> _clock = new();
    private readonly List<(string Text, TimeSpan? TimeToLive)> _sent = [];

    public StorageQueueWorkQueueTests()
    {
        _clock.Setup(c => c.GetUtcNow()).Returns(T0);
        _queue.Setup(q => q.SendMessageAsync(It.IsAny<string>(), It.IsAny<TimeSpan?>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .Callback((string text, TimeSpan? _, TimeSpan? ttl, CancellationToken _) => _sent.Add((text, ttl)))
            .ReturnsAsync(Response.FromValue(QueuesModelFactory.SendReceipt("m1", T0, T0.AddDays(7), "r1", T0), Mock.Of<Response>()));
    }

    private StorageQueueWorkQueue Queue() => new(_queue.Object, _poison.Object, _store, _clock.Object);

    private static WorkItem Item(string key, string programId = "prog") => new()
    {
        IdempotencyKey = key,
        Purpose = WorkPurposes.CheckInNudge,
        ProgramId = programId,
        ParticipantId = "p1",
        DueAt = T0,
        Data = new Dictionary<string, string>(StringComparer.Ordinal) { ["round"] = "3" },
    };

    [Fact]
    public async Task A_key_is_sent_once_however_often_it_is_enqueued()
    {
        var queue = Queue();

        Assert.True(await queue.EnqueueAsync(Item("k1")));
        Assert.False(await queue.EnqueueAsync(Item("k1")));
        Assert.False(await Queue().EnqueueAsync(Item("k1"))); // another instance: the claim document decides, not memory

        var (text, ttl) = Assert.Single(_sent);
        var sent = StorageQueueWorkQueue.Deserialize(text);
        Assert.Equal("k1", sent.IdempotencyKey);
        Assert.Equal("3", sent.Data["round"]);
        Assert.Equal(StorageQueueWorkQueue.NeverExpires, ttl);
        var claim = _store.Get<WorkClaimDocument>(StorageQueueWorkQueue.ClaimKeyOf(Item("k1")));
        Assert.Equal(T0, claim!.SentAt);
    }

    [Fact]
    public async Task Different_keys_are_each_sent()
    {
        var queue = Queue();

        Assert.True(await queue.EnqueueAsync(Item("k1")));
        Assert.True(await queue.EnqueueAsync(Item("k2")));

        Assert.Equal(2, _sent.Count);
    }

    [Fact]
    public async Task A_failed_send_releases_the_claim_so_the_key_can_be_enqueued_again()
    {
        _queue.SetupSequence(q => q.SendMessageAsync(It.IsAny<string>(), It.IsAny<TimeSpan?>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(503, "unavailable"))
            .ReturnsAsync(Response.FromValue(QueuesModelFactory.SendReceipt("m1", T0, T0.AddDays(7), "r1", T0), Mock.Of<Response>()));
        var queue = Queue();

        await Assert.ThrowsAsync<RequestFailedException>(() => queue.EnqueueAsync(Item("k1")));
        Assert.Empty(_store.Keys);

        Assert.True(await queue.EnqueueAsync(Item("k1")));
    }

    [Fact]
    public async Task An_unsent_claim_older_than_the_lease_is_taken_over_and_a_fresh_one_is_not()
    {
        await _store.CreateAsync(StorageQueueWorkQueue.ClaimKeyOf(Item("stale")),
            new WorkClaimDocument { Item = Item("stale"), ClaimedAt = T0 - StorageQueueWorkQueue.ClaimLease - TimeSpan.FromSeconds(1) });
        await _store.CreateAsync(StorageQueueWorkQueue.ClaimKeyOf(Item("fresh")),
            new WorkClaimDocument { Item = Item("fresh"), ClaimedAt = T0 - TimeSpan.FromMinutes(1) });
        var queue = Queue();

        Assert.True(await queue.EnqueueAsync(Item("stale")));
        Assert.False(await queue.EnqueueAsync(Item("fresh")));

        Assert.Equal("stale", StorageQueueWorkQueue.Deserialize(Assert.Single(_sent).Text).IdempotencyKey);
    }

    [Fact]
    public async Task The_poison_list_peeks_filters_by_program_and_shows_the_recorded_error()
    {
        var queue = Queue();
        await queue.RecordFailureAsync(Item("k1"), 5, "InvalidOperationException: SendGrid said no");
        _poison.Setup(q => q.PeekMessagesAsync(It.IsAny<int?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(new[]
            {
                QueuesModelFactory.PeekedMessage("m1", BinaryData.FromString(StorageQueueWorkQueue.Serialize(Item("k1"))), 0, T0.AddHours(-1)),
                QueuesModelFactory.PeekedMessage("m2", BinaryData.FromString(StorageQueueWorkQueue.Serialize(Item("k2", "other"))), 0, T0.AddHours(-2)),
                QueuesModelFactory.PeekedMessage("m3", BinaryData.FromString("not a work item"), 0, T0),
            }, Mock.Of<Response>()));

        var all = await queue.ListPoisonAsync();
        var mine = await queue.ListPoisonAsync("prog");

        Assert.Equal(["k1", "k2"], all.Select(p => p.Item.IdempotencyKey));
        var poisoned = Assert.Single(mine);
        Assert.Equal("k1", poisoned.Item.IdempotencyKey);
        Assert.Equal(IWorkQueue.MaxAttempts, poisoned.Attempts);
        Assert.Equal("InvalidOperationException: SendGrid said no", poisoned.LastError);
        Assert.Equal(T0, poisoned.PoisonedAt); // the recorded last failure, on the app's clock; not the queue's insertion time
        var unrecorded = all.Single(p => p.Item.IdempotencyKey == "k2"); // no attempt recorded anything
        Assert.Equal(T0.AddHours(-2), unrecorded.PoisonedAt);
        Assert.Equal(StorageQueueWorkQueue.NoFailureRecorded, unrecorded.LastError);
        _poison.Verify(q => q.PeekMessagesAsync(StorageQueueWorkQueue.MaxBatch, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task A_missing_poison_queue_lists_nothing()
    {
        _poison.Setup(q => q.PeekMessagesAsync(It.IsAny<int?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(404, "QueueNotFound"));

        Assert.Empty(await Queue().ListPoisonAsync());
    }

    [Fact]
    public async Task Retrying_moves_the_message_back_to_the_work_queue_and_deletes_it_from_the_poison_queue()
    {
        _poison.SetupSequence(q => q.ReceiveMessagesAsync(It.IsAny<int?>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(new[]
            {
                QueuesModelFactory.QueueMessage("m1", "r1", BinaryData.FromString(StorageQueueWorkQueue.Serialize(Item("k1"))), 1),
                QueuesModelFactory.QueueMessage("m2", "r2", BinaryData.FromString(StorageQueueWorkQueue.Serialize(Item("k2"))), 1),
            }, Mock.Of<Response>()));
        _poison.Setup(q => q.DeleteMessageAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Mock.Of<Response>());

        Assert.True(await Queue().RetryPoisonAsync("k2"));

        Assert.Equal("k2", StorageQueueWorkQueue.Deserialize(Assert.Single(_sent).Text).IdempotencyKey);
        _poison.Verify(q => q.DeleteMessageAsync("m2", "r2", It.IsAny<CancellationToken>()), Times.Once);
        _poison.Verify(q => q.DeleteMessageAsync("m1", It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _poison.Verify(q => q.ReceiveMessagesAsync(StorageQueueWorkQueue.MaxBatch, StorageQueueWorkQueue.RetryScanVisibility, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Retrying_a_key_that_is_not_poisoned_changes_nothing()
    {
        _poison.SetupSequence(q => q.ReceiveMessagesAsync(It.IsAny<int?>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(new[]
            {
                QueuesModelFactory.QueueMessage("m1", "r1", BinaryData.FromString(StorageQueueWorkQueue.Serialize(Item("k1"))), 1),
            }, Mock.Of<Response>()))
            .ReturnsAsync(Response.FromValue(Array.Empty<QueueMessage>(), Mock.Of<Response>()));

        Assert.False(await Queue().RetryPoisonAsync("k9"));

        Assert.Empty(_sent);
        _poison.Verify(q => q.DeleteMessageAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Enqueueing_refuses_an_item_without_a_key()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Queue().EnqueueAsync(Item(" ")));
        Assert.Empty(_sent);
    }
}
