using System.Globalization;
using System.Text.Json;
using Mentoring.Core.Work;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Mentoring.Functions.Work;

/// <summary>
/// The consumer of the work queue: each message is one <see cref="WorkItem"/> handed to the host's <see cref="IWorkHandler"/>
/// (the <see cref="WorkRouter"/>). An exception propagates, so the Functions host makes the message visible again and
/// retries it; after host.json's <c>maxDequeueCount</c> (5) failed attempts the host moves it to <c>{queue}-poison</c>,
/// where <c>GET /api/work/poison</c> lists it. Each failure is recorded on the item's claim for that list.
/// </summary>
/// <remarks>
/// The queue name is the app setting <c>Mentoring__Work__QueueName</c>, written <c>%Mentoring:Work:QueueName%</c> in the
/// attribute: the host resolves <c>%name%</c> through its configuration, where environment variables' <c>__</c> is the
/// section separator <c>:</c> (Linux app settings cannot contain ':'). The connection is the host's own storage
/// (<c>AzureWebJobsStorage</c>, identity-based in Azure). The message arrives Base64-decoded.
/// </remarks>
public sealed class WorkQueueFunctions(IWorkHandler handler, IWorkFailureLog failures, ILogger<WorkQueueFunctions> logger)
{
    public const string FunctionName = "HandleWorkItem";

    [Function(FunctionName)]
    public async Task HandleAsync([QueueTrigger("%Mentoring:Work:QueueName%")] string message, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cancellationToken = context.CancellationToken;
        var item = StorageQueueWorkQueue.Deserialize(message);
        var attempt = DequeueCountOf(context);
        try
        {
            await handler.HandleAsync(item, cancellationToken);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            var error = FailureText.Describe(e);
            if (attempt >= IWorkQueue.MaxAttempts)
            {
                logger.LogError(e, "Work item {Key} ({Purpose}) failed attempt {Attempt} of {Max}; the host moves it to the poison queue.",
                    item.IdempotencyKey, item.Purpose, attempt, IWorkQueue.MaxAttempts);
            }
            else
            {
                logger.LogWarning(e, "Work item {Key} ({Purpose}) failed attempt {Attempt} of {Max}; the host retries it.",
                    item.IdempotencyKey, item.Purpose, attempt, IWorkQueue.MaxAttempts);
            }

            await failures.RecordFailureAsync(item, attempt, error, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The trigger's <c>DequeueCount</c> metadata (1 on the first attempt); null when the host did not send it.</summary>
    internal static long? DequeueCountOf(FunctionContext context)
    {
        if (context.BindingContext?.BindingData is not { } data || !data.TryGetValue("DequeueCount", out var value))
        {
            return null;
        }

        return value switch
        {
            long l => l,
            int i => i,
            string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            JsonElement { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var number) => number,
            JsonElement { ValueKind: JsonValueKind.String } t when long.TryParse(t.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var text) => text,
            _ => null,
        };
    }
}
