using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Mentoring.Core.Work;
using Mentoring.Functions.Work;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Mentoring.Functions.Tests.Azurite;

/// <summary>
/// Plays the Functions host's queue listener (the Storage Queues extension) over Azurite, since no Functions host runs
/// here: it receives with a lease, decodes the message body from Base64 as the trigger does (the extension's default
/// <c>messageEncoding</c>), runs the app's own <see cref="WorkQueueFunctions"/>, deletes the message on success, makes
/// it visible again after host.json's <c>visibilityTimeout</c> on failure, and moves it to <c>{queue}-poison</c> once
/// its dequeue count reaches host.json's <c>maxDequeueCount</c> (after a failure), or exceeds it (before running: every
/// attempt died).
/// </summary>
/// <remarks>
/// Azurite keeps real time and the contract suite a virtual clock. So every received message is hidden in Azurite for a
/// real hour (longer than any test), and this class remembers when, on the suite's clock, it becomes visible again;
/// once that time comes it asks Azurite to show it (Update Message with visibility 0). Which consumer gets a message,
/// pop receipts, dequeue counts and the queues' contents are Azurite's own.
/// </remarks>
internal sealed class QueueTriggerStandIn(QueueClient rawQueue, QueueClient rawPoison, IWorkFailureLog failures, TimeProvider clock,
    TimeSpan retryVisibility, int maxDequeueCount)
{
    /// <summary>The lease the host takes on a message it runs (and renews while the function runs).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan RealHiding = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, (string PopReceipt, DateTimeOffset VisibleAt)> _hidden = new(StringComparer.Ordinal);

    /// <summary>The host's settings for queues, read from the deployed host.json.</summary>
    public static (TimeSpan VisibilityTimeout, int MaxDequeueCount) HostJsonQueueSettings()
    {
        var root = typeof(QueueTriggerStandIn).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "host.json")));
        var queues = json.RootElement.GetProperty("extensions").GetProperty("queues");
        var visibility = queues.TryGetProperty("visibilityTimeout", out var v)
            ? TimeSpan.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            : TimeSpan.Zero;
        var maxDequeue = queues.TryGetProperty("maxDequeueCount", out var m) ? m.GetInt32() : 5;
        return (visibility, maxDequeue);
    }

    /// <summary>One pass of the listener: runs every message visible now once. Returns the function runs.</summary>
    public async Task<int> DeliverDueAsync(IWorkHandler handler)
    {
        await RevealDueAsync();
        var runs = 0;
        while (await ReceiveAsync() is { Length: > 0 } messages)
        {
            foreach (var message in messages)
            {
                if (message.DequeueCount > maxDequeueCount)
                {
                    await MoveToPoisonAsync(message, message.PopReceipt);
                    continue;
                }

                runs++;
                var functions = new WorkQueueFunctions(handler, failures, NullLogger<WorkQueueFunctions>.Instance);
                try
                {
                    await functions.HandleAsync(DecodeAsTheTriggerDoes(message), Context(message.DequeueCount));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    if (message.DequeueCount >= maxDequeueCount)
                    {
                        await MoveToPoisonAsync(message, message.PopReceipt);
                    }
                    else
                    {
                        Hide(message.MessageId, message.PopReceipt, clock.GetUtcNow() + retryVisibility);
                    }

                    continue;
                }

                await rawQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        return runs;
    }

    /// <summary>A host that dies mid-run: takes the visible messages, runs the handler on each, and never answers.</summary>
    public async Task<int> CrashWhileHandlingAsync(IWorkHandler? handler)
    {
        await RevealDueAsync();
        var taken = 0;
        while (await ReceiveAsync() is { Length: > 0 } messages)
        {
            foreach (var message in messages)
            {
                taken++;
                if (handler is not null)
                {
                    await handler.HandleAsync(StorageQueueWorkQueue.Deserialize(DecodeAsTheTriggerDoes(message)));
                }

                Hide(message.MessageId, message.PopReceipt, clock.GetUtcNow() + Lease); // the lease runs out, unrenewed
            }
        }

        return taken;
    }

    /// <summary>The trigger's Base64 decoding: the raw text on the queue must be Base64 of the UTF-8 JSON.</summary>
    public static string DecodeAsTheTriggerDoes(QueueMessage message) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(message.MessageText));

    private async Task<QueueMessage[]> ReceiveAsync() => (await rawQueue.ReceiveMessagesAsync(16, RealHiding)).Value;

    private void Hide(string messageId, string popReceipt, DateTimeOffset visibleAt) => _hidden[messageId] = (popReceipt, visibleAt);

    private async Task RevealDueAsync()
    {
        var now = clock.GetUtcNow();
        foreach (var (messageId, hidden) in _hidden.ToArray())
        {
            if (hidden.VisibleAt <= now && _hidden.TryRemove(new KeyValuePair<string, (string, DateTimeOffset)>(messageId, hidden)))
            {
                await rawQueue.UpdateMessageAsync(messageId, hidden.PopReceipt, visibilityTimeout: TimeSpan.Zero);
            }
        }
    }

    private async Task MoveToPoisonAsync(QueueMessage message, string popReceipt)
    {
        await rawPoison.CreateIfNotExistsAsync();
        await rawPoison.SendMessageAsync(message.MessageText); // the same Base64 text, as the host copies it
        await rawQueue.DeleteMessageAsync(message.MessageId, popReceipt);
    }

    private static FunctionContext Context(long dequeueCount)
    {
        var binding = new Mock<BindingContext>();
        binding.Setup(b => b.BindingData).Returns(new Dictionary<string, object?>(StringComparer.Ordinal) { ["DequeueCount"] = dequeueCount });
        var context = new Mock<FunctionContext>();
        context.Setup(c => c.BindingContext).Returns(binding.Object);
        context.Setup(c => c.CancellationToken).Returns(CancellationToken.None);
        return context.Object;
    }
}
