using System.Collections.Concurrent;
using Mentoring.Core.Windows;

namespace Mentoring.Contracts;

/// <summary>
/// The workflow-host port's contract: every host that interprets the window decider (the embedded SQLite runner,
/// Durable Functions) must behave like this. Activities are recorded, not performed, so the suite checks the host.
/// </summary>
public abstract class WindowHostContract
{
    protected static readonly DateTimeOffset T0 = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly WindowTimings Timings = new(TimeSpan.FromHours(48), 2, TimeSpan.FromDays(28));
    private static readonly DraftSummary Summary = new(4, 4, 0, 2, 0, 0, 100, 50, 40, true);

    /// <summary>A clock the suite moves; hosts must read time only from it.</summary>
    protected sealed class SuiteClock : TimeProvider
    {
        private DateTimeOffset now = T0;
        public override DateTimeOffset GetUtcNow() => now;
        public void Advance(TimeSpan by) => now += by;
    }

    /// <summary>Records every command executed and answers like the real activities would.</summary>
    protected sealed class RecordingActivities(SuiteClock clock) : IWindowActivities
    {
        public ConcurrentQueue<string> Executed { get; } = new();
        public int FailuresToInject { get; set; }

        public Task<WindowEvent?> ExecuteAsync(WindowState state, WindowCommand command, CancellationToken cancellationToken = default)
        {
            if (FailuresToInject > 0)
            {
                FailuresToInject--;
                throw new InvalidOperationException("injected failure");
            }
            Executed.Enqueue($"{state.WindowId}:{command.Key}");
            WindowEvent? result = command switch
            {
                ComputeDraft c => new DraftComputed(c.Version, Summary, clock.GetUtcNow()),
                PublishPairs c => new PairsPublished(c.Version, 2, clock.GetUtcNow()),
                MailIntros c => new IntrosSent(c.Version, 2, clock.GetUtcNow()),
                OpenNextWindow c => new WindowOpened(state.ProgramId, WindowOpening.WindowIdFor(c.ClosesAt), c.ClosesAt, state.Timings, true, clock.GetUtcNow()),
                _ => null,
            };
            return Task.FromResult(result);
        }
    }

    /// <summary>A host over fresh, empty storage (or, after <see cref="RestartAsync"/>, the same storage).</summary>
    protected abstract Task<IWindowHost> CreateHostAsync(IWindowActivities activities, TimeProvider clock);

    /// <summary>Simulates a process restart: a new host over the same storage.</summary>
    protected abstract Task<IWindowHost> RestartAsync(IWindowHost host, IWindowActivities activities, TimeProvider clock);

    /// <summary>Lets the host do whatever is due at the clock's current time (timers, retries).</summary>
    protected abstract Task PumpAsync(IWindowHost host);

    private static WindowOpened Opened(string windowId = "w1", bool evergreen = false) =>
        new("prog", windowId, T0.AddDays(7), Timings, evergreen, T0);

    private async Task<(IWindowHost Host, RecordingActivities Activities, SuiteClock Clock)> AwaitingDecisionAsync()
    {
        var clock = new SuiteClock();
        var activities = new RecordingActivities(clock);
        var host = await CreateHostAsync(activities, clock);
        await host.StartAsync(Opened());
        await host.RaiseAsync("prog", "w1", new CloseRequested("admin", clock.GetUtcNow()));
        await PumpAsync(host);
        return (host, activities, clock);
    }

    [Fact]
    public async Task Starting_twice_makes_one_instance()
    {
        var clock = new SuiteClock();
        var host = await CreateHostAsync(new RecordingActivities(clock), clock);
        Assert.True(await host.StartAsync(Opened()));
        Assert.False(await host.StartAsync(Opened()));
        var state = await host.GetAsync("prog", "w1");
        Assert.Equal(WindowPhase.Open, state!.Phase);
        Assert.Single(await host.ListAsync("prog"));
    }

    [Fact]
    public async Task Closing_drafts_and_mails_the_draft_once()
    {
        var (host, activities, _) = await AwaitingDecisionAsync();
        var state = await host.GetAsync("prog", "w1");
        Assert.Equal(WindowPhase.AwaitingDecision, state!.Phase);
        Assert.Equal(["w1:compute:v1", "w1:mail-draft:v1"], activities.Executed);
    }

    [Fact]
    public async Task The_close_timer_fires_when_due_and_not_before()
    {
        var clock = new SuiteClock();
        var activities = new RecordingActivities(clock);
        var host = await CreateHostAsync(activities, clock);
        await host.StartAsync(Opened());
        clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        await PumpAsync(host);
        Assert.Equal(WindowPhase.Open, (await host.GetAsync("prog", "w1"))!.Phase);
        clock.Advance(TimeSpan.FromSeconds(1));
        await PumpAsync(host);
        Assert.Equal(WindowPhase.AwaitingDecision, (await host.GetAsync("prog", "w1"))!.Phase);
    }

    [Fact]
    public async Task A_timer_due_during_downtime_fires_after_restart()
    {
        var clock = new SuiteClock();
        var activities = new RecordingActivities(clock);
        var host = await CreateHostAsync(activities, clock);
        await host.StartAsync(Opened());
        clock.Advance(TimeSpan.FromDays(30)); // the server was down past the close time
        var restarted = await RestartAsync(host, activities, clock);
        await PumpAsync(restarted);
        Assert.Equal(WindowPhase.AwaitingDecision, (await restarted.GetAsync("prog", "w1"))!.Phase);
    }

    [Fact]
    public async Task After_a_restart_while_waiting_for_a_decision_approval_completes_the_window()
    {
        var (host, activities, clock) = await AwaitingDecisionAsync();
        var restarted = await RestartAsync(host, activities, clock);
        await restarted.RaiseAsync("prog", "w1", new DecisionReceived(1, DecisionAction.Approve, "ana", clock.GetUtcNow()));
        await PumpAsync(restarted);
        var state = await restarted.GetAsync("prog", "w1");
        Assert.Equal(WindowPhase.Completed, state!.Phase);
        Assert.Equal(["w1:compute:v1", "w1:mail-draft:v1", "w1:publish:v1", "w1:intros:v1"], activities.Executed);
    }

    [Fact]
    public async Task Duplicate_and_stale_decisions_change_nothing()
    {
        var (host, activities, clock) = await AwaitingDecisionAsync();
        await host.RaiseAsync("prog", "w1", new DecisionReceived(1, DecisionAction.Reject, "ana", clock.GetUtcNow(), "mix levels"));
        await host.RaiseAsync("prog", "w1", new DecisionReceived(1, DecisionAction.Reject, "ana", clock.GetUtcNow(), "mix levels"));
        await host.RaiseAsync("prog", "w1", new DecisionReceived(1, DecisionAction.Approve, "bo", clock.GetUtcNow()));
        await PumpAsync(host);
        var state = await host.GetAsync("prog", "w1");
        Assert.Equal(2, state!.DraftVersion);
        Assert.Equal(WindowPhase.AwaitingDecision, state.Phase);
        Assert.Single(state.Decisions);
        Assert.DoesNotContain("w1:publish:v1", activities.Executed);
    }

    [Fact]
    public async Task Approve_and_reject_racing_leave_exactly_one_decision()
    {
        var (host, activities, clock) = await AwaitingDecisionAsync();
        await Task.WhenAll(
            host.RaiseAsync("prog", "w1", new DecisionReceived(1, DecisionAction.Approve, "ana", clock.GetUtcNow())),
            host.RaiseAsync("prog", "w1", new DecisionReceived(1, DecisionAction.Reject, "bo", clock.GetUtcNow(), "no")));
        await PumpAsync(host);
        var state = await host.GetAsync("prog", "w1");
        var decision = Assert.Single(state!.Decisions);
        if (decision.Action == DecisionAction.Approve)
        {
            Assert.Equal(WindowPhase.Completed, state.Phase);
            Assert.DoesNotContain("w1:compute:v2", activities.Executed);
        }
        else
        {
            Assert.Equal(2, state.DraftVersion);
            Assert.DoesNotContain("w1:publish:v1", activities.Executed);
        }
    }

    [Fact]
    public async Task Reminders_then_expiry_follow_the_clock()
    {
        var (host, activities, clock) = await AwaitingDecisionAsync();
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromHours(48));
            await PumpAsync(host);
        }
        Assert.Equal(WindowPhase.Expired, (await host.GetAsync("prog", "w1"))!.Phase);
        Assert.Equal(["w1:mail-reminder:v1:1", "w1:mail-reminder:v1:2", "w1:mail-expiry:v1"],
            activities.Executed.Where(e => e.Contains("reminder", StringComparison.Ordinal) || e.Contains("expiry", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_failing_command_is_retried_until_it_succeeds()
    {
        var clock = new SuiteClock();
        var activities = new RecordingActivities(clock) { FailuresToInject = 2 };
        var host = await CreateHostAsync(activities, clock);
        await host.StartAsync(Opened());
        await host.RaiseAsync("prog", "w1", new CloseRequested("admin", clock.GetUtcNow()));
        for (var i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            await PumpAsync(host);
        }
        Assert.Equal(WindowPhase.AwaitingDecision, (await host.GetAsync("prog", "w1"))!.Phase);
        Assert.Equal(["w1:compute:v1", "w1:mail-draft:v1"], activities.Executed);
    }

    [Fact]
    public async Task Evergreen_windows_open_the_next_window_when_done()
    {
        var clock = new SuiteClock();
        var activities = new RecordingActivities(clock);
        var host = await CreateHostAsync(activities, clock);
        await host.StartAsync(Opened(evergreen: true));
        await host.RaiseAsync("prog", "w1", new CloseRequested("admin", clock.GetUtcNow()));
        await host.RaiseAsync("prog", "w1", new DecisionReceived(1, DecisionAction.Approve, "ana", clock.GetUtcNow()));
        await PumpAsync(host);
        var windows = await host.ListAsync("prog");
        Assert.Equal(2, windows.Count);
        Assert.Contains(windows, w => w.WindowId != "w1" && w.Phase == WindowPhase.Open && w.ClosesAt == T0.AddDays(28));
    }

    [Fact]
    public async Task Events_for_a_finished_window_are_refused()
    {
        var (host, activities, clock) = await AwaitingDecisionAsync();
        await host.RaiseAsync("prog", "w1", new CancelRequested("admin", clock.GetUtcNow()));
        await host.RaiseAsync("prog", "w1", new DecisionReceived(1, DecisionAction.Approve, "ana", clock.GetUtcNow()));
        await PumpAsync(host);
        Assert.Equal(WindowPhase.Cancelled, (await host.GetAsync("prog", "w1"))!.Phase);
        Assert.DoesNotContain("w1:publish:v1", activities.Executed);
    }
}
