using Mentoring.Contracts;
using Mentoring.Core.Windows;
using Mentoring.Functions.Windows;

namespace Mentoring.Functions.Tests.Windows;

/// <summary>
/// The workflow-host contract on the real Durable Task engine (<see cref="InProcessDurableEngine"/>): real replay,
/// external events, durable timers and ContinueAsNew. Its timers run on the wall clock, so windows here close after
/// two seconds and remind every second; the suite waits for states instead of sleeping.
/// </summary>
public sealed class DurableWindowHostContractTests : WindowHostContract, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly DurableWindowOptions Options = new() { Retry = new CommandRetry(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)) };

    private readonly List<InProcessDurableEngine> _engines = [];
    private readonly Dictionary<IWindowHost, InProcessDurableEngine> _engineOf = [];

    protected override SuiteClock NewClock() => SuiteClock.Real();

    protected override TimeSpan CloseAfter => TimeSpan.FromSeconds(2);

    protected override TimeSpan ReminderInterval => TimeSpan.FromSeconds(1);

    // Real time: the suite's picks and answers must all be decided before the choosing deadline fires.
    protected override TimeSpan ChoosingPeriod => TimeSpan.FromSeconds(10);

    protected override async Task<IWindowHost> CreateHostAsync(IWindowActivities activities, SuiteClock clock) =>
        HostOn(await StartEngineAsync(activities, Options));

    protected override async Task<IWindowHost> RestartAsync(IWindowHost host, IWindowActivities activities, SuiteClock clock, TimeSpan downtime)
    {
        var engine = _engineOf[host];
        await engine.StopWorkerAsync(); // wherever the window is: a work item the worker did not take goes to the next one
        if (downtime > TimeSpan.Zero)
        {
            await Task.Delay(downtime); // the downtime itself: real time passing while no worker runs
        }
        await engine.StartWorkerAsync();
        return HostOn(engine);
    }

    /// <summary>Real time passes by itself; the suite waits for what it expects in <see cref="SettledAsync{T}"/>.</summary>
    protected override Task PassAsync(IWindowHost host, SuiteClock clock, TimeSpan by) => Task.CompletedTask;

    protected override async Task<T> SettledAsync<T>(IWindowHost host, Func<Task<T>> read, Func<T, bool> until)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (until(value) || DateTimeOffset.UtcNow > deadline)
            {
                return value;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50)); // Durable has no wait-for-custom-status; poll its instance status
        }
    }

    [Fact]
    public async Task An_event_raised_while_a_generation_ends_is_carried_into_the_next_by_continue_as_new()
    {
        var clock = NewClock();
        var activities = new RecordingActivities(clock);
        var engine = await StartEngineAsync(activities, Options);
        var host = HostOn(engine);
        await host.StartAsync(WindowClosingIn(clock, TimeSpan.Zero));
        await SettledAsync(host, () => host.GetAsync("prog", "w1"), s => s?.Phase == WindowPhase.AwaitingDecision);
        var computing = activities.Hold("w1:compute:v2");

        // The rejection ends this generation, but only once draft v2 is computed: the cancel arrives before that.
        await host.RaiseAsync("prog", "w1", new DecisionReceived(1, DecisionAction.Reject, "ana", clock.GetUtcNow(), "no"));
        await engine.Client.RaiseEventAsync(DurableWindowHost.InstanceId("prog", "w1"), MatchingWindowOrchestration.EventName,
            WindowWire.Write(new CancelRequested("admin", clock.GetUtcNow())));
        computing.SetResult();

        var state = await SettledAsync(host, () => host.GetAsync("prog", "w1"), s => s!.IsFinished);
        Assert.Equal(WindowPhase.Cancelled, state!.Phase);
        Assert.Equal(2, state.DraftVersion);
        Assert.Equal(DecisionAction.Reject, Assert.Single(state.Decisions).Action);
    }

    [Fact]
    public async Task An_admin_event_the_orchestrator_has_not_decided_yet_already_shows_in_the_answer()
    {
        var clock = NewClock();
        var engine = await StartEngineAsync(new RecordingActivities(clock), Options with { DecidedWithin = TimeSpan.FromMilliseconds(300) });
        var host = HostOn(engine);
        await host.StartAsync(WindowClosingIn(clock, TimeSpan.FromDays(7)));
        await engine.StopWorkerAsync(); // nothing decides the event

        var answering = engine.Windows();
        await answering.RaiseAsync("prog", "w1", new CloseRequested("admin", clock.GetUtcNow()));

        var state = await answering.GetAsync("prog", "w1");
        Assert.NotEqual(WindowPhase.Open, state!.Phase); // Drafting from the projection (or further, had a worker decided it)
        Assert.Equal(1, state.DraftVersion);
    }

    [Fact]
    public async Task Work_that_comes_due_while_the_worker_stops_runs_on_the_next_worker()
    {
        var clock = NewClock();
        var activities = new RecordingActivities(clock);
        var engine = await StartEngineAsync(activities, Options);
        var host = HostOn(engine);
        var computing = activities.Hold("w1:compute:v1");
        await host.StartAsync(WindowClosingIn(clock, TimeSpan.Zero));
        await SettledAsync(host, () => host.GetAsync("prog", "w1"), s => s?.Phase == WindowPhase.Drafting);

        // The worker is stopping (it still holds the draft computation) when the admin's cancel comes in.
        var stopping = engine.StopWorkerAsync();
        await engine.Client.RaiseEventAsync(DurableWindowHost.InstanceId("prog", "w1"), MatchingWindowOrchestration.EventName,
            WindowWire.Write(new CancelRequested("admin", clock.GetUtcNow())));
        Assert.True(await SettledAsync(host, () => Task.FromResult(engine.WorkItemsSentBack), sent => sent > 0) > 0, "The cancel went to the stopping worker.");
        computing.SetResult();
        await stopping;
        await engine.StartWorkerAsync();

        var state = await SettledAsync(host, () => engine.Windows().GetAsync("prog", "w1"), s => s!.IsFinished);
        Assert.Equal(WindowPhase.Cancelled, state!.Phase);
        Assert.Single(activities.Executed, "w1:compute:v1");
    }

    /// <summary>Window w1 of "prog", opened now and closing after <paramref name="closesIn"/>.</summary>
    private static WindowOpened WindowClosingIn(SuiteClock clock, TimeSpan closesIn) =>
        new("prog", "w1", clock.GetUtcNow() + closesIn, new WindowTimings(TimeSpan.FromHours(48), 2, TimeSpan.FromDays(28)), false, clock.GetUtcNow());

    private async Task<InProcessDurableEngine> StartEngineAsync(IWindowActivities activities, DurableWindowOptions options)
    {
        var engine = await InProcessDurableEngine.StartAsync(activities, options);
        _engines.Add(engine);
        return engine;
    }

    private DurableWindowHost HostOn(InProcessDurableEngine engine)
    {
        var host = engine.Windows();
        _engineOf[host] = engine;
        return host;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var engine in _engines)
        {
            await engine.DisposeAsync();
        }
    }
}
