using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Mentoring.Core.Common;
using Mentoring.Core.Persistence;
using Mentoring.Core.Work;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mentoring.Functions.Work;

/// <summary>Where the queue-triggered function records why an attempt failed, so the poison list can show it.</summary>
public interface IWorkFailureLog
{
    /// <summary>Best effort: never throws for a store failure (the attempt's own exception is what matters).</summary>
    Task RecordFailureAsync(WorkItem item, long? attempt, string failure, CancellationToken cancellationToken = default);
}

/// <summary>
/// The claim that deduplicates one idempotency key: a document in the program's partition, created before the message is
/// sent. <see cref="SentAt"/> is set once the message is on the queue; a claim that stays unsent past
/// <see cref="StorageQueueWorkQueue.ClaimLease"/> belongs to an enqueuer that died and may be taken over.
/// </summary>
public sealed record WorkClaimDocument
{
    public required WorkItem Item { get; init; }
    public DateTimeOffset ClaimedAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public long? LastFailedAttempt { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? LastFailedAt { get; init; }
}

/// <summary>
/// The Azure <see cref="IWorkQueue"/>: one Storage queue, consumed by <see cref="WorkQueueFunctions"/> (queue trigger), and
/// its <c>{queue}-poison</c> queue, where the Functions host moves a message after host.json's <c>maxDequeueCount</c> (5 =
/// <see cref="IWorkQueue.MaxAttempts"/>) failed attempts.
/// </summary>
/// <remarks>
/// <para><b>Dedupe.</b> Storage queues have no dedupe, so each key gets a claim document (<see cref="ClaimKind"/>, id = the
/// key, partition = the item's program) created with <see cref="IDocumentStore.CreateAsync{T}"/> before the message is
/// sent: a conflict means the key was enqueued before. If the send fails the claim is deleted (best effort) so a retry can
/// enqueue again; if the process dies between claim and send, the claim stays unsent and the next enqueue of that key after
/// <see cref="ClaimLease"/> takes it over and sends. Claims stay, so a key is accepted once, ever (like the embedded queue).
/// A crash after the send but before the claim is marked sent can send a key twice: delivery is at least once anyway, and
/// handlers are idempotent.</para>
/// <para><b>Encoding.</b> Both clients must be created with <c>QueueClientOptions.MessageEncoding = Base64</c>: the queue
/// trigger expects Base64 (the extension's default <c>messageEncoding</c>), and the host writes poison messages the same way.
/// Messages never expire (time-to-live -1) so work waiting out retries is not dropped after the default 7 days; poison
/// messages are written by the host with its own time-to-live.</para>
/// <para><b>Visibility.</b> <see cref="ListPoisonAsync"/> peeks: it changes nothing, but a peek returns at most 32 messages
/// (the oldest) and never those hidden at that moment (one a retry is moving). <see cref="RetryPoisonAsync"/> has to
/// receive to get a pop receipt: it pages through the poison queue hiding each message it reads for
/// <see cref="RetryScanVisibility"/>, so for that long a listing misses the messages it passed over.</para>
/// </remarks>
[SuppressMessage("Naming", "CA1711", Justification = "It is a queue, and Azure calls it one.")]
public sealed class StorageQueueWorkQueue : IWorkQueue, IWorkFailureLog
{
    public const string ClaimKind = "work-claim";
    public const string PoisonSuffix = "-poison";

    /// <summary>How long an unsent claim blocks its key before another enqueue may take it over.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);

    /// <summary>How long a retry's scan hides the poison messages it reads but does not move.</summary>
    public static readonly TimeSpan RetryScanVisibility = TimeSpan.FromSeconds(30);

    /// <summary>Put Message's time-to-live of -1: the message does not expire.</summary>
    public static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    /// <summary>The poison list's error for an item none of whose attempts got as far as recording one.</summary>
    public const string NoFailureRecorded =
        "No attempt recorded a failure: each one stopped before finishing (the worker died or timed out), and the host gave up after its dequeue count.";

    /// <summary>Most messages one Peek or Get Messages call returns.</summary>
    public const int MaxBatch = 32;

    private const int MaxRetryScanBatches = 100;

    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly IDocumentStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public StorageQueueWorkQueue(QueueClient queue, QueueClient poisonQueue, IDocumentStore store, TimeProvider? time = null, ILogger<StorageQueueWorkQueue>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(poisonQueue);
        ArgumentNullException.ThrowIfNull(store);
        _queue = queue;
        _poison = poisonQueue;
        _store = store;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The work queue's name (its poison queue is this plus <see cref="PoisonSuffix"/>).</summary>
    public string QueueName => _queue.Name;

    public static DocumentKey ClaimKeyOf(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new DocumentKey(item.ProgramId, ClaimKind, item.IdempotencyKey);
    }

    public static string Serialize(WorkItem item) => JsonSerializer.Serialize(item, MentoringJson.Options);

    /// <exception cref="InvalidOperationException">The text is not a work item (it ends in the poison queue after its attempts).</exception>
    public static WorkItem Deserialize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        WorkItem? item;
        try
        {
            item = JsonSerializer.Deserialize<WorkItem>(text, MentoringJson.Options);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException("A work queue message is not a work item: " + e.Message, e);
        }

        return item is { IdempotencyKey.Length: > 0, Purpose.Length: > 0, ProgramId.Length: > 0 }
            ? item
            : throw new InvalidOperationException("A work queue message is not a work item (no idempotency key, purpose or program id).");
    }

    /// <summary>Creates the queue and its poison queue when missing (local runs on Azurite; in Azure the Bicep creates them).</summary>
    public async Task CreateQueuesIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await _poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    public async Task<bool> EnqueueAsync(WorkItem item, CancellationToken cancellationToken = default)
    {
        WorkItem.Validate(item);
        var key = ClaimKeyOf(item);
        var now = _time.GetUtcNow();
        StoredDocument<WorkClaimDocument> claim;
        try
        {
            claim = await _store.CreateAsync(key, new WorkClaimDocument { Item = item, ClaimedAt = now }, cancellationToken);
        }
        catch (DocumentConflictException)
        {
            var existing = await _store.ReadAsync<WorkClaimDocument>(key, cancellationToken);
            if (existing is null || existing.Value.SentAt is not null || now - existing.Value.ClaimedAt < ClaimLease)
            {
                return false;
            }

            // Claimed long ago and never sent: the enqueuer stopped between claim and send. Take the claim over.
            try
            {
                claim = await _store.ReplaceAsync(key, existing.Value with { ClaimedAt = now }, existing.ETag, cancellationToken);
            }
            catch (DocumentStoreException)
            {
                return false; // someone else took it over (or it went away) first
            }

            _logger.LogWarning("Work item {Key} was claimed at {ClaimedAt:O} but never sent; sending it now.", item.IdempotencyKey, existing.Value.ClaimedAt);
        }

        try
        {
            await _queue.SendMessageAsync(Serialize(item), visibilityTimeout: null, timeToLive: NeverExpires, cancellationToken);
        }
        catch
        {
            await ReleaseClaimAsync(key, claim.ETag);
            throw;
        }

        try
        {
            await _store.ReplaceAsync(key, claim.Value with { SentAt = _time.GetUtcNow() }, claim.ETag, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The message is on the queue; at worst a later enqueue after the lease sends it again (handlers are idempotent).
            _logger.LogWarning(e, "Work item {Key} was sent but its claim could not be marked sent.", item.IdempotencyKey);
        }

        return true;
    }

    public async Task<IReadOnlyList<PoisonedWork>> ListPoisonAsync(string? programId = null, CancellationToken cancellationToken = default)
    {
        Azure.Storage.Queues.Models.PeekedMessage[] messages;
        try
        {
            messages = (await _poison.PeekMessagesAsync(MaxBatch, cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return []; // nothing was ever poisoned and the queue was not created
        }

        var poisoned = new List<PoisonedWork>(messages.Length);
        foreach (var message in messages)
        {
            if (!TryRead(message.Body, message.MessageId, out var item) || (programId is not null && item.ProgramId != programId))
            {
                continue;
            }

            var claim = await ReadClaimQuietlyAsync(item, cancellationToken);
            // The host moves a message right after its last failed attempt, so that attempt's time (on this app's clock) is
            // when it was poisoned; the poison message's own insertion time stands in when no attempt recorded a failure.
            poisoned.Add(new PoisonedWork(item, IWorkQueue.MaxAttempts, claim?.LastError ?? NoFailureRecorded,
                claim?.LastFailedAt ?? message.InsertedOn ?? _time.GetUtcNow()));
        }

        return poisoned;
    }

    public async Task<bool> RetryPoisonAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        for (var batch = 0; batch < MaxRetryScanBatches; batch++)
        {
            Azure.Storage.Queues.Models.QueueMessage[] messages;
            try
            {
                messages = (await _poison.ReceiveMessagesAsync(MaxBatch, RetryScanVisibility, cancellationToken)).Value;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return false;
            }

            if (messages.Length == 0)
            {
                return false;
            }

            foreach (var message in messages)
            {
                if (TryRead(message.Body, message.MessageId, out var item) && item.IdempotencyKey == idempotencyKey)
                {
                    // Send first, then delete: a failure in between leaves the item in both queues (a duplicate the
                    // idempotent handler absorbs), never in neither.
                    await _queue.SendMessageAsync(Serialize(item), visibilityTimeout: null, timeToLive: NeverExpires, cancellationToken);
                    await _poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
                    return true;
                }
            }
        }

        return false;
    }

    public async Task RecordFailureAsync(WorkItem item, long? attempt, string failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(failure);
        var key = ClaimKeyOf(item);
        try
        {
            var now = _time.GetUtcNow();
            var existing = await _store.ReadAsync<WorkClaimDocument>(key, cancellationToken);
            var updated = (existing?.Value ?? new WorkClaimDocument { Item = item, ClaimedAt = now, SentAt = now }) with
            {
                LastFailedAttempt = attempt,
                LastError = failure,
                LastFailedAt = now,
            };
            if (existing is null)
            {
                await _store.UpsertAsync(key, updated, cancellationToken);
            }
            else
            {
                await _store.ReplaceAsync(key, updated, existing.ETag, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Could not record the failure of work item {Key}.", item.IdempotencyKey);
        }
    }

    private async Task<WorkClaimDocument?> ReadClaimQuietlyAsync(WorkItem item, CancellationToken cancellationToken)
    {
        try
        {
            return (await _store.ReadAsync<WorkClaimDocument>(ClaimKeyOf(item), cancellationToken))?.Value;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Could not read the claim of poisoned work item {Key}.", item.IdempotencyKey);
            return null;
        }
    }

    private async Task ReleaseClaimAsync(DocumentKey key, string etag)
    {
        try
        {
            await _store.DeleteAsync(key, etag, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The unsent claim blocks the key until ClaimLease ends; then the next enqueue takes it over.
            _logger.LogWarning(e, "Could not release the claim {Key} after a failed send.", key);
        }
    }

    private bool TryRead(BinaryData? body, string messageId, [NotNullWhen(true)] out WorkItem? item)
    {
        try
        {
            item = Deserialize(body?.ToString() ?? string.Empty);
            return true;
        }
        catch (InvalidOperationException e)
        {
            _logger.LogWarning(e, "Poison message {MessageId} is not a work item; it is not listed.", messageId);
            item = null;
            return false;
        }
    }
}
