using Mentoring.Core.Windows;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Mentoring.Functions.Windows;

/// <summary>
/// The workflow-host port on Durable Functions: one <see cref="MatchingWindowOrchestration"/> instance per window, with
/// instance id <c>{programId}:{windowId}</c> (the embedded host's id too). State is read from the orchestrator's custom
/// status, so it is as fresh as the orchestrator's last decision: a GET right after an event may not show it yet.
/// Events to a finished instance are dropped by Durable; the decider refuses late ones (every decision carries its draft version).
/// </summary>
public sealed class DurableWindowHost(DurableTaskClient client) : IWindowHost
{
    public static string InstanceId(string programId, string windowId) => $"{programId}:{windowId}";

    public async Task<bool> StartAsync(WindowOpened opened, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opened);
        var instanceId = InstanceId(opened.ProgramId, opened.WindowId);
        // Any earlier instance, even a finished one, is this window: scheduling again would start it over.
        if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            return false;
        }
        await client.ScheduleNewOrchestrationInstanceAsync(MatchingWindowOrchestration.Orchestrator,
            WindowWire.Write(new WindowRun(null, [opened])), new StartOrchestrationOptions { InstanceId = instanceId }, cancellationToken);
        return true;
    }

    public Task RaiseAsync(string programId, string windowId, WindowEvent windowEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(windowEvent);
        return client.RaiseEventAsync(InstanceId(programId, windowId), MatchingWindowOrchestration.EventName, WindowWire.Write(windowEvent),
            cancellationToken);
    }

    public async Task<WindowState?> GetAsync(string programId, string windowId, CancellationToken cancellationToken = default)
    {
        var metadata = await client.GetInstanceAsync(InstanceId(programId, windowId), getInputsAndOutputs: true, cancellationToken);
        return metadata is null ? null : StateOf(metadata);
    }

    public async Task<IReadOnlyList<WindowState>> ListAsync(string programId, CancellationToken cancellationToken = default)
    {
        var states = new List<WindowState>();
        // Program ids have no ':' (ProgramValidator), so the prefix selects exactly this program's windows.
        var query = new OrchestrationQuery { InstanceIdPrefix = InstanceId(programId, ""), FetchInputsAndOutputs = true };
        await foreach (var metadata in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (StateOf(metadata) is { } state && state.ProgramId == programId)
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
}
