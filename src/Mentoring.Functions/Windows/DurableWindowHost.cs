using Mentoring.Core.Windows;
using Microsoft.DurableTask;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask.Client;

namespace Mentoring.Functions.Windows;

/// <summary>
/// The workflow-host port on Durable Functions: one <see cref="MatchingWindowOrchestration"/> instance per window, with
/// instance id <c>{programId}:{windowId}</c> (the embedded host's id too). Starting is atomic: the backend creates the
/// instance only if no instance with that id exists in any status, so of two racing opens exactly one starts it.
/// State is the orchestrator's custom status. An admin event is raised and then awaited until the orchestrator has
/// decided it (bounded by <see cref="DurableWindowOptions.DecidedWithin"/>); what this host raised is also projected
/// over what it reads, so the answer to an admin call never shows the state from before the call.
/// Events to a finished instance are dropped by Durable; the decider refuses late ones (every decision carries its draft version).
/// </summary>
public sealed class DurableWindowHost(DurableTaskClient client, DurableWindowOptions? options = null, TimeProvider? clock = null) : IWindowHost
{
    /// <summary>Every status an instance can be in: an instance in any of them means the window exists.</summary>
    private static readonly OrchestrationRuntimeStatus[] AnyStatus =
    [
        OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended,
        OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated,
    ];

    private readonly DurableWindowOptions _options = options ?? new DurableWindowOptions();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string InstanceId, WindowEvent Event)> _raised = new();

    public static string InstanceId(string programId, string windowId) => $"{programId}:{windowId}";

    public async Task<bool> StartAsync(WindowOpened opened, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opened);
        var start = new StartOrchestrationOptions { InstanceId = InstanceId(opened.ProgramId, opened.WindowId) }.WithDedupeStatuses(AnyStatus);
        try
        {
            // Even a finished instance is this window: replacing it would start the window over.
            await client.ScheduleNewOrchestrationInstanceAsync(MatchingWindowOrchestration.Orchestrator,
                WindowWire.Write(new WindowRun(null, [opened], _options.Retry)), start, cancellationToken);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }

    public async Task RaiseAsync(string programId, string windowId, WindowEvent windowEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(windowEvent);
        var instanceId = InstanceId(programId, windowId);
        await client.RaiseEventAsync(instanceId, MatchingWindowOrchestration.EventName, WindowWire.Write(windowEvent), cancellationToken);
        _raised.Enqueue((instanceId, windowEvent));

        // Wait until the orchestrator no longer accepts the event, that is until it has decided it (or something else
        // that makes it moot), so a GET after this call shows its effect. Polling: Durable has no wait-for-status.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(_options.DecidedWithin);
        try
        {
            while (true)
            {
                var metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, bounded.Token);
                if (metadata is null || metadata.IsCompleted || StateOf(metadata) is not { } state || MatchingWindowDecider.Decide(state, windowEvent).Refused)
                {
                    return;
                }
                await Task.Delay(_options.PollInterval, _clock, bounded.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.Cancelled }
                                   && bounded.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Not decided yet (an idle task hub polls its queues slowly): GetAsync projects the event instead. The gRPC
            // client reports our own deadline as an RpcException (Cancelled) when it lands during a call, not as an
            // OperationCanceledException, so both mean "stop waiting", never a failed request.
        }
    }

    public async Task<WindowState?> GetAsync(string programId, string windowId, CancellationToken cancellationToken = default)
    {
        var instanceId = InstanceId(programId, windowId);
        var metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        return metadata is null ? null : WithRaised(instanceId, StateOf(metadata));
    }

    public async Task<IReadOnlyList<WindowState>> ListAsync(string programId, CancellationToken cancellationToken = default)
    {
        var states = new List<WindowState>();
        // Program ids have no ':' (ProgramValidator), so the prefix selects exactly this program's windows.
        var query = new OrchestrationQuery { InstanceIdPrefix = InstanceId(programId, ""), FetchInputsAndOutputs = true };
        await foreach (var metadata in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (WithRaised(metadata.InstanceId, StateOf(metadata)) is { } state && state.ProgramId == programId)
            {
                states.Add(state);
            }
        }
        return [.. states.OrderBy(s => s.WindowId, StringComparer.Ordinal)];
    }

    /// <summary>The last decided state, or for an instance that has not run yet, what deciding its input gives.</summary>
    internal static WindowState? StateOf(OrchestrationMetadata metadata) =>
        WindowWire.ReadStatus(metadata.ReadCustomStatusAs<string>())
        ?? WindowWire.Project(WindowWire.ReadRun(metadata.ReadInputAs<string>()));

    /// <summary>
    /// The read state with the events this host raised decided over it. The decider refuses an event the orchestrator has
    /// already decided (or that something else made moot), so this shows each event's effect exactly once.
    /// </summary>
    private WindowState? WithRaised(string instanceId, WindowState? state)
    {
        foreach (var (id, raised) in _raised)
        {
            if (id == instanceId && state is not null && MatchingWindowDecider.Decide(state, raised) is { Refused: false, State: { } next })
            {
                state = next;
            }
        }
        return state;
    }
}

/// <summary>Settings of <see cref="DurableWindowHost"/>.</summary>
public sealed record DurableWindowOptions
{
    /// <summary>How long an admin call waits for the orchestrator to decide its event before answering with the projection.</summary>
    public TimeSpan DecidedWithin { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Retry schedule of the windows this host starts (null: <see cref="CommandRetry.Default"/>).</summary>
    public CommandRetry? Retry { get; init; }
}
