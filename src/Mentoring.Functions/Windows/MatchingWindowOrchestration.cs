using Mentoring.Core.Windows;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Mentoring.Functions.Windows;

/// <summary>
/// The matching window on Durable Functions: an orchestrator that interprets <see cref="MatchingWindowDecider"/>, and the
/// activities that execute its commands.
/// </summary>
/// <remarks>
/// <para>
/// The orchestrator keeps the state in a local variable. It waits for the next event, raised under one event name
/// (<see cref="EventName"/>) as a JSON envelope of any <see cref="WindowEvent"/>, raced against a durable timer for the
/// state's one pending timer; whichever comes first is decided, the loser is cancelled. One name for every event keeps
/// them in arrival order (Durable buffers raised events per name) and lets the decider, not the wait, judge what applies.
/// </para>
/// <para>
/// Commands become activity calls, retried without end on the run's <see cref="CommandRetry"/> schedule (durable timers,
/// so a retry survives restarts); the events activities report (draft computed, pairs published, intros sent) are decided
/// before the next raised event. <see cref="ScheduleTimer"/> needs no call: the state names the
/// pending timer. Evergreen programs open the next window as its own instance, <c>{programId}:{nextWindowId}</c>.
/// After each admin decision, and every <see cref="EventsPerGeneration"/> events, the orchestrator continues as new with
/// its state and undecided events, so replays stay short however long the approval loop runs.
/// </para>
/// <para>Deterministic: only the context's clock and the decider; no I/O and no services in the orchestrator.</para>
/// </remarks>
public sealed class MatchingWindowOrchestration(IWindowActivities activities)
{
    public const string Orchestrator = "MatchingWindow";
    public const string EventName = "WindowEvent";
    public const string RunCommandActivity = "RunWindowCommand";
    public const string StartWindowActivity = "StartMatchingWindow";
    public const int EventsPerGeneration = 20;

    [Function(Orchestrator)]
    public static async Task<string?> RunAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var run = WindowWire.ReadRun(context.GetInput<string>());
        var state = run.State;
        var retry = run.Retry ?? CommandRetry.Default;
        var inbox = new Queue<WindowEvent>(run.Inbox);
        if (state is not null)
        {
            context.SetCustomStatus(WindowWire.Status(state));
        }

        for (var events = 0; events < EventsPerGeneration; events++)
        {
            var next = inbox.Count > 0 ? inbox.Dequeue() : await NextEventAsync(context, state);
            if (next is null)
            {
                continue; // a payload that is no event
            }
            var decision = MatchingWindowDecider.Decide(state, next);
            if (decision.Refused || decision.State is null)
            {
                if (state is null)
                {
                    return null; // started without a WindowOpened: nothing to run
                }
                continue;
            }
            state = decision.State;
            context.SetCustomStatus(WindowWire.Status(state));

            foreach (var command in decision.Commands)
            {
                if (command is ScheduleTimer or CompleteWindow)
                {
                    continue; // the pending timer is state.Timer; completing is returning below
                }
                var reported = WindowWire.ReadEvent(await UntilDoneAsync<string?>(context, RunCommandActivity,
                    WindowWire.Write(new WindowStep(state, command)), retry));
                if (reported is WindowOpened nextWindow)
                {
                    await UntilDoneAsync<bool>(context, StartWindowActivity, WindowWire.Write(nextWindow), retry);
                }
                else if (reported is not null)
                {
                    inbox.Enqueue(reported);
                }
            }

            if (state.IsFinished)
            {
                return WindowWire.Status(state);
            }
            if (next is DecisionReceived)
            {
                break;
            }
        }
        // Events raised meanwhile wait in the SDK's buffer. They go into the next generation's input, rather than relying
        // on ContinueAsNew to carry them over: how that happens depends on the backend (the in-process test engine drops
        // them), our own input does not.
        foreach (var buffered in Buffered(context))
        {
            inbox.Enqueue(buffered);
        }
        context.ContinueAsNew(WindowWire.Write(new WindowRun(state, [.. inbox], run.Retry)));
        return null;
    }

    /// <summary>The raised events already delivered and not yet taken (a wait for them completes at once). Replay-safe.</summary>
    private static List<WindowEvent> Buffered(TaskOrchestrationContext context)
    {
        var events = new List<WindowEvent>();
        for (var taken = 0; taken < 1000; taken++) // far more than can arrive in one generation
        {
            using var wait = new CancellationTokenSource();
            var next = context.WaitForExternalEvent<string>(EventName, wait.Token);
            if (!next.IsCompleted)
            {
#pragma warning disable CA1849 // see NextEventAsync
                wait.Cancel();
#pragma warning restore CA1849
                return events;
            }
#pragma warning disable VSTHRD103, CA1849 // completed: Result does not block
            if (WindowWire.ReadEvent(next.Result) is { } buffered)
#pragma warning restore VSTHRD103, CA1849
            {
                events.Add(buffered);
            }
        }
        return events;
    }

    /// <summary>Calls an activity until it succeeds, waiting on a durable timer between attempts.</summary>
    private static async Task<T> UntilDoneAsync<T>(TaskOrchestrationContext context, string activity, string input, CommandRetry retry)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await context.CallActivityAsync<T>(activity, input);
            }
            catch (TaskFailedException)
            {
                var wait = Mentoring.Core.Work.Backoff.After(attempt, retry.First, retry.Max);
                await context.CreateTimer(context.CurrentUtcDateTime + wait, CancellationToken.None);
            }
        }
    }

    /// <summary>The next raised event, or <see cref="TimerFired"/> when the pending timer is due first.</summary>
    private static async Task<WindowEvent?> NextEventAsync(TaskOrchestrationContext context, WindowState? state)
    {
        using var eventWait = new CancellationTokenSource();
        var raised = context.WaitForExternalEvent<string>(EventName, eventWait.Token);
        if (state?.Timer is not { } timer)
        {
            return WindowWire.ReadEvent(await raised);
        }

        using var timerWait = new CancellationTokenSource();
        var due = context.CreateTimer(timer.DueAt.UtcDateTime, timerWait.Token);
        if (await Task.WhenAny(raised, due) == raised)
        {
            // Cancel, not CancelAsync: orchestrator code must run on the orchestrator's own thread. An uncancelled timer
            // would keep the instance running until it fires.
#pragma warning disable CA1849
            timerWait.Cancel();
#pragma warning restore CA1849
            return WindowWire.ReadEvent(await raised);
        }
        // Cancelled, this wait no longer takes the next raised event; Durable keeps that event for the next wait.
#pragma warning disable CA1849
        eventWait.Cancel();
#pragma warning restore CA1849
        return new TimerFired(timer.TimerId, new DateTimeOffset(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc)));
    }

    /// <summary>Executes one command (idempotent, see <see cref="WindowActivities"/>) and returns the event it reports, if any.</summary>
    [Function(RunCommandActivity)]
    public Task<string?> RunCommandAsync([ActivityTrigger] string step, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RunCommandAsync(activities, step, context.CancellationToken);
    }

    /// <summary>The body of <see cref="RunCommandActivity"/>, for any Durable worker.</summary>
    public static async Task<string?> RunCommandAsync(IWindowActivities activities, string step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activities);
        var (state, command) = WindowWire.ReadStep(step);
        var reported = await activities.ExecuteAsync(state, command, cancellationToken);
        return reported is null ? null : WindowWire.Write(reported);
    }

    /// <summary>Evergreen: starts the next window's instance (starting an existing one changes nothing).</summary>
    [Function(StartWindowActivity)]
    public static Task<bool> StartWindowAsync([ActivityTrigger] string opened, [DurableClient] DurableTaskClient durable,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return StartWindowAsync(new DurableWindowHost(durable), opened, context.CancellationToken);
    }

    /// <summary>The body of <see cref="StartWindowActivity"/>, for any Durable worker.</summary>
    public static async Task<bool> StartWindowAsync(IWindowHost windows, string opened, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var windowOpened = WindowWire.ReadEvent(opened) as WindowOpened
            ?? throw new InvalidOperationException("StartMatchingWindow needs a WindowOpened event.");
        return await windows.StartAsync(windowOpened, cancellationToken);
    }
}
