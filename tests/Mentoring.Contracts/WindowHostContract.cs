using System.Collections.Concurrent;
using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Windows;

namespace Mentoring.Contracts;

/// <summary>
/// The workflow-host port's contract: every host that interprets the window decider (the embedded SQLite runner,
/// Durable Functions) must behave like this. Activities are recorded, not performed, so the suite checks the host.
/// </summary>
/// <remarks>
/// Time: the embedded runner reads the suite's clock, which the suite moves (<see cref="PassAsync"/>); the Durable engine
/// reads only the wall clock, so its run uses real time with timers of a second or two (<see cref="CloseAfter"/>,
/// <see cref="ReminderInterval"/>) and waits for each expected state (<see cref="SettledAsync{T}"/>).
/// </remarks>
public abstract class WindowHostContract
{
    protected static readonly DateTimeOffset T0 = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DraftSummary Summary = new(4, 4, 0, 2, 0, 0, 100, 50, 40, true);

    /// <summary>The suite's clock: moved by the suite from <see cref="T0"/>, or (<see cref="Real"/>) the wall clock.</summary>
    protected sealed class SuiteClock : TimeProvider
    {
        private DateTimeOffset? now;

        public SuiteClock() => now = T0;

        private SuiteClock(DateTimeOffset? start) => now = start;

        /// <summary>A clock that is the wall clock, for hosts whose timers run on real time.</summary>
        public static SuiteClock Real() => new(null);

        public override DateTimeOffset GetUtcNow() => now ?? TimeProvider.System.GetUtcNow();

        /// <summary>Moves a suite-moved clock; real time moves by itself.</summary>
        public void Advance(TimeSpan by) => now += by;
    }

    /// <summary>Records every command executed and answers like the real activities would.</summary>
    protected sealed class RecordingActivities(SuiteClock clock) : IWindowActivities
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource> holds = new();
        private int failuresToInject;

        public ConcurrentQueue<string> Executed { get; } = new();

        public int FailuresToInject { get => failuresToInject; set => failuresToInject = value; }

        /// <summary>User-led mentor/mentee windows: the sides the invitations report; null for peer windows.</summary>
        public IReadOnlyDictionary<string, ChooserRole>? Roles { get; set; }

        /// <summary>Keeps the command with this key (for example "w1:compute:v2") from finishing until the returned source is set.</summary>
        public TaskCompletionSource Hold(string key) =>
            holds.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        public async Task<WindowEvent?> ExecuteAsync(WindowState state, WindowCommand command, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Decrement(ref failuresToInject) >= 0)
            {
                throw new InvalidOperationException("injected failure");
            }
            Interlocked.Exchange(ref failuresToInject, 0);
            var key = $"{state.WindowId}:{command.Key}";
            if (holds.TryGetValue(key, out var hold))
            {
                await hold.Task.WaitAsync(cancellationToken);
            }
            Executed.Enqueue(key);
            return command switch
            {
                ComputeDraft c => new DraftComputed(c.Version, Summary, clock.GetUtcNow()),
                PublishPairs c => new PairsPublished(c.Version, 2, clock.GetUtcNow()),
                MailIntros c => new IntrosSent(c.Version, 2, clock.GetUtcNow()),
                OpenNextWindow c => new WindowOpened(state.ProgramId, WindowOpening.WindowIdFor(c.ClosesAt), c.ClosesAt, state.Timings, true, clock.GetUtcNow()),
                InviteToChoose => new ChoosingOpened(Capacities, clock.GetUtcNow()) { Roles = Roles },
                _ => null,
            };
        }
    }

    /// <summary>User-led windows: who is invited to choose, and how many partners each may have (the mentor two).</summary>
    private static readonly Dictionary<string, int> Capacities = new(StringComparer.Ordinal) { ["a"] = 1, ["b"] = 1, ["c"] = 1, ["d"] = 1, ["mentor"] = 2 };

    /// <summary>User-led windows: from closing to the choosing deadline (long enough for the suite's picks to arrive first).</summary>
    protected virtual TimeSpan ChoosingPeriod => TimeSpan.FromDays(7);

    /// <summary>The clock a new test runs on.</summary>
    protected virtual SuiteClock NewClock() => new();

    /// <summary>How long after opening a window's close timer is due.</summary>
    protected virtual TimeSpan CloseAfter => TimeSpan.FromDays(7);

    /// <summary>The reminder interval of the test that lets reminders and expiry happen (the others wait 48 hours).</summary>
    protected virtual TimeSpan ReminderInterval => TimeSpan.FromHours(48);

    /// <summary>A host over fresh, empty storage.</summary>
    protected abstract Task<IWindowHost> CreateHostAsync(IWindowActivities activities, SuiteClock clock);

    /// <summary>Simulates a process restart after <paramref name="downtime"/>: a new host over the same storage.</summary>
    protected abstract Task<IWindowHost> RestartAsync(IWindowHost host, IWindowActivities activities, SuiteClock clock, TimeSpan downtime);

    /// <summary>Lets <paramref name="by"/> pass and the host do whatever is then due (timers, retries).</summary>
    protected abstract Task PassAsync(IWindowHost host, SuiteClock clock, TimeSpan by);

    /// <summary>Reads until <paramref name="until"/> holds (a host that works in the background gets time for it) and returns the last read.</summary>
    protected abstract Task<T> SettledAsync<T>(IWindowHost host, Func<Task<T>> read, Func<T, bool> until);

    private Task<WindowState> StateAsync(IWindowHost host, Func<WindowState, bool> until, string windowId = "w1") =>
        SettledAsync(host, async () => (await host.GetAsync("prog", windowId))!, s => s is not null && until(s));

    private static WindowTimings Timings(TimeSpan? reminderInterval = null, int remindersBeforeExpiry = 2) =>
        new(reminderInterval ?? TimeSpan.FromHours(48), remindersBeforeExpiry, TimeSpan.FromDays(28));

    private WindowOpened Opened(SuiteClock clock, string windowId = "w1", bool evergreen = false, TimeSpan? reminderInterval = null,
        int remindersBeforeExpiry = 2) =>
        new("prog", windowId, clock.GetUtcNow() + CloseAfter, Timings(reminderInterval, remindersBeforeExpiry), evergreen, clock.GetUtcNow());

    private async Task<(IWindowHost Host, RecordingActivities Activities, SuiteClock Clock)> AwaitingDecisionAsync(TimeSpan? reminderInterval = null,
        int remindersBeforeExpiry = 2)
    {
        var clock = NewClock();
        var activities = new RecordingActivities(clock);
        var host = await CreateHostAsync(activities, clock);
        await host.StartAsync(Opened(clock, reminderInterval: reminderInterval, remindersBeforeExpiry: remindersBeforeExpiry));
        await host.RaiseAsync("prog", "w1", new CloseRequested("admin", clock.GetUtcNow()));
        await StateAsync(host, s => s.Phase == WindowPhase.AwaitingDecision);
        return (host, activities, clock);
    }

    private static DecisionReceived Decision(SuiteClock clock, int version, DecisionAction action, string by, string? reason = null,
        ParticipantPair? pair = null) => new(version, action, by, clock.GetUtcNow(), reason, pair);

    [Fact]
    public async Task Starting_twice_makes_one_instance()
    {
        var clock = NewClock();
        var host = await CreateHostAsync(new RecordingActivities(clock), clock);
        Assert.True(await host.StartAsync(Opened(clock)));
        Assert.False(await host.StartAsync(Opened(clock)));
        var state = await host.GetAsync("prog", "w1");
        Assert.Equal(WindowPhase.Open, state!.Phase);
        Assert.Single(await host.ListAsync("prog"));
    }

    [Fact]
    public async Task Of_two_racing_starts_exactly_one_creates_the_window()
    {
        var clock = NewClock();
        var host = await CreateHostAsync(new RecordingActivities(clock), clock);
        var started = await Task.WhenAll(host.StartAsync(Opened(clock)), host.StartAsync(Opened(clock)), host.StartAsync(Opened(clock)));
        Assert.Equal(1, started.Count(s => s));
        Assert.Single(await host.ListAsync("prog"));
    }

    [Fact]
    public async Task Starting_a_finished_window_again_does_not_start_it_over()
    {
        var (host, activities, clock) = await AwaitingDecisionAsync();
        await host.RaiseAsync("prog", "w1", new CancelRequested("admin", clock.GetUtcNow()));
        await StateAsync(host, s => s.Phase == WindowPhase.Cancelled);

        Assert.False(await host.StartAsync(Opened(clock)));

        var state = await StateAsync(host, s => s.Phase == WindowPhase.Cancelled);
        Assert.Equal(WindowPhase.Cancelled, state.Phase);
        Assert.Equal(["w1:compute:v1", "w1:mail-draft:v1"], activities.Executed);
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
    public async Task An_admin_event_shows_in_the_state_read_right_after_it()
    {
        var clock = NewClock();
        var host = await CreateHostAsync(new RecordingActivities(clock), clock);
        await host.StartAsync(Opened(clock));

        await host.RaiseAsync("prog", "w1", new CloseRequested("admin", clock.GetUtcNow()));

        Assert.NotEqual(WindowPhase.Open, (await host.GetAsync("prog", "w1"))!.Phase);
    }

    [Fact]
    public async Task The_close_timer_fires_when_due_and_not_before()
    {
        var clock = NewClock();
        var activities = new RecordingActivities(clock);
        var host = await CreateHostAsync(activities, clock);
        await host.StartAsync(Opened(clock));
        await PassAsync(host, clock, CloseAfter - TimeSpan.FromSeconds(1));
        Assert.Equal(WindowPhase.Open, (await host.GetAsync("prog", "w1"))!.Phase);
        await PassAsync(host, clock, TimeSpan.FromSeconds(1));
        var state = await StateAsync(host, s => s.Phase == WindowPhase.AwaitingDecision);
        Assert.Equal(WindowPhase.AwaitingDecision, state.Phase);
        Assert.True(state.ClosedAt >= state.ClosesAt, $"Closed at {state.ClosedAt:O}, due at {state.ClosesAt:O}.");
    }

    [Fact]
    public async Task A_timer_due_during_downtime_fires_after_restart()
    {
        var clock = NewClock();
        var activities = new RecordingActivities(clock);
        var host = await CreateHostAsync(activities, clock);
        await host.StartAsync(Opened(clock));
        var restarted = await RestartAsync(host, activities, clock, downtime: CloseAfter + TimeSpan.FromSeconds(1)); // down past the close time
        Assert.Equal(WindowPhase.AwaitingDecision, (await StateAsync(restarted, s => s.Phase == WindowPhase.AwaitingDecision)).Phase);
    }

    [Fact]
    public async Task After_a_restart_while_waiting_for_a_decision_approval_completes_the_window()
    {
        var (host, activities, clock) = await AwaitingDecisionAsync();
        var restarted = await RestartAsync(host, activities, clock, downtime: TimeSpan.Zero);
        await restarted.RaiseAsync("prog", "w1", Decision(clock, 1, DecisionAction.Approve, "ana"));
        var state = await StateAsync(restarted, s => s.Phase == WindowPhase.Completed);
        Assert.Equal(WindowPhase.Completed, state.Phase);
        Assert.Equal(1, state.ApprovedVersion);
        Assert.Equal(["w1:compute:v1", "w1:mail-draft:v1", "w1:publish:v1", "w1:intros:v1"], activities.Executed);
    }

    [Fact]
    public async Task Rejecting_computes_version_two_with_the_same_edits()
    {
        var (host, activities, clock) = await AwaitingDecisionAsync();
        await host.RaiseAsync("prog", "w1", Decision(clock, 1, DecisionAction.Reject, "ana", "mix levels"));
        var state = await StateAsync(host, s => s.DraftVersion == 2 && s.Phase == WindowPhase.AwaitingDecision);
        Assert.Equal(WindowPhase.AwaitingDecision, state.Phase);
        Assert.Equal("mix levels", Assert.Single(state.Decisions).Reason);
        Assert.Equal(["w1:compute:v1", "w1:mail-draft:v1", "w1:compute:v2", "w1:mail-draft:v2"], activities.Executed);
    }

    [Fact]
    public async Task Forbidding_a_pair_computes_the_next_version_without_it()
    {
        var (host, activities, clock) = await AwaitingDecisionAsync();
        var pair = new ParticipantPair("p-ana", "p-bo");
        await host.RaiseAsync("prog", "w1", Decision(clock, 1, DecisionAction.ForbidPair, "ana", pair: pair));
        var state = await StateAsync(host, s => s.DraftVersion == 2 && s.Phase == WindowPhase.AwaitingDecision);
        Assert.Equal(WindowPhase.AwaitingDecision, state.Phase);
        Assert.Equal([pair], state.Edits.ForbiddenPairs);
        Assert.Contains("w1:compute:v2", activities.Executed);
    }

    [Fact]
    public async Task Rerunning_computes_the_next_version_and_then_approval_completes_it()
    {
        var (host, activities, clock) = await AwaitingDecisionAsync();
        await host.RaiseAsync("prog", "w1", Decision(clock, 1, DecisionAction.Rerun, "ana"));
        await StateAsync(host, s => s.DraftVersion == 2 && s.Phase == WindowPhase.AwaitingDecision);
        await host.RaiseAsync("prog", "w1", Decision(clock, 2, DecisionAction.Approve, "bo"));
        var state = await StateAsync(host, s => s.Phase == WindowPhase.Completed);
        Assert.Equal(WindowPhase.Completed, state.Phase);
        Assert.Equal(2, state.ApprovedVersion);
        Assert.Equal(["w1:compute:v1", "w1:mail-draft:v1", "w1:compute:v2", "w1:mail-draft:v2", "w1:publish:v2", "w1:intros:v2"], activities.Executed);
    }

    [Fact]
    public async Task Duplicate_and_stale_decisions_change_nothing()
    {
        var (host, activities, clock) = await AwaitingDecisionAsync();
        await host.RaiseAsync("prog", "w1", Decision(clock, 1, DecisionAction.Reject, "ana", "mix levels"));
        await host.RaiseAsync("prog", "w1", Decision(clock, 1, DecisionAction.Reject, "ana", "mix levels"));
        await host.RaiseAsync("prog", "w1", Decision(clock, 1, DecisionAction.Approve, "bo"));
        var state = await StateAsync(host, s => s.DraftVersion == 2 && s.Phase == WindowPhase.AwaitingDecision);
        Assert.Equal(2, state.DraftVersion);
        Assert.Equal(WindowPhase.AwaitingDecision, state.Phase);
        Assert.Single(state.Decisions);
        Assert.DoesNotContain("w1:publish:v1", activities.Executed);
    }

    [Fact]
    public async Task Approve_and_reject_racing_leave_exactly_one_decision()
    {
        var (host, activities, clock) = await AwaitingDecisionAsync();
        await Task.WhenAll(
            host.RaiseAsync("prog", "w1", Decision(clock, 1, DecisionAction.Approve, "ana")),
            host.RaiseAsync("prog", "w1", Decision(clock, 1, DecisionAction.Reject, "bo", "no")));
        var state = await StateAsync(host, s => s.Phase == WindowPhase.Completed || (s.Phase == WindowPhase.AwaitingDecision && s.DraftVersion == 2));
        var decision = Assert.Single(state.Decisions);
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

    private async Task<(IWindowHost Host, RecordingActivities Activities, SuiteClock Clock)> ChoosingAsync(bool autoApprove,
        IReadOnlyDictionary<string, ChooserRole>? roles = null)
    {
        var clock = NewClock();
        var activities = new RecordingActivities(clock) { Roles = roles };
        var host = await CreateHostAsync(activities, clock);
        await host.StartAsync(Opened(clock) with { Choosing = new ChoosingPlan(ChoosingPeriod, MaxPicks: 2, autoApprove) });
        await host.RaiseAsync("prog", "w1", new CloseRequested("admin", clock.GetUtcNow()));
        await StateAsync(host, s => s.Choosing is { Capacities.Count: > 0 });
        return (host, activities, clock);
    }

    [Fact]
    public async Task A_user_led_window_forms_pairs_from_picks_and_answers_then_drafts_the_rest_for_approval()
    {
        var (host, activities, clock) = await ChoosingAsync(autoApprove: false);
        Assert.Equal(WindowPhase.Choosing, (await host.GetAsync("prog", "w1"))!.Phase);

        await host.RaiseAsync("prog", "w1", new PartnerPicked("a", ["b"], Fallback: true, clock.GetUtcNow())); // asks b
        await host.RaiseAsync("prog", "w1", new PartnerPicked("b", ["a"], Fallback: true, clock.GetUtcNow())); // mutual: a pair
        await host.RaiseAsync("prog", "w1", new PartnerPicked("c", ["d"], Fallback: true, clock.GetUtcNow())); // asks d
        await host.RaiseAsync("prog", "w1", new RequestAnswered("c", "d", Accepted: false, clock.GetUtcNow())); // declined, unseen
        await host.RaiseAsync("prog", "w1", new PartnerPicked("d", [], Fallback: false, clock.GetUtcNow())); // not matched by the engine
        await host.RaiseAsync("prog", "w1", new PartnerPicked("d", ["c"], Fallback: true, clock.GetUtcNow())); // a second choice: refused
        var chosen = await StateAsync(host, s => s.Choosing!.Chose.Count == 4);
        Assert.Equal(("a", "b", PairFormedBy.MutualPick), chosen.Choosing!.Pairs.Select(p => (p.A, p.B, p.By)).Single());
        Assert.Equal(RequestStatus.Declined, chosen.Choosing.Requests.Single(r => r.From == "c").Status);

        await PassAsync(host, clock, ChoosingPeriod);
        var awaiting = await StateAsync(host, s => s.Phase == WindowPhase.AwaitingDecision);
        Assert.Equal([new ParticipantPair("a", "b")], awaiting.Edits.PinnedPairs);
        Assert.Equal(["d"], awaiting.Edits.ExcludedParticipantIds);
        Assert.Equal([new ParticipantPair("c", "d")], awaiting.Edits.ForbiddenPairs); // d said no to c: the engine never pairs them
        await host.RaiseAsync("prog", "w1", Decision(clock, 1, DecisionAction.Approve, "ana"));
        await StateAsync(host, s => s.Phase == WindowPhase.Completed);
        Assert.Equal(["w1:choose-invite", "w1:request:a>b", "w1:formed:a+b", "w1:request:c>d", "w1:compute:v1", "w1:mail-draft:v1", "w1:publish:v1", "w1:intros:v1"],
            activities.Executed);
    }

    [Fact]
    public async Task A_user_led_window_that_approves_itself_closes_requests_to_a_full_mentor_and_publishes_at_the_deadline()
    {
        var (host, activities, clock) = await ChoosingAsync(autoApprove: true);
        foreach (var mentee in new[] { "a", "b", "c" })
        {
            await host.RaiseAsync("prog", "w1", new PartnerPicked(mentee, ["mentor"], Fallback: true, clock.GetUtcNow()));
        }
        await host.RaiseAsync("prog", "w1", new RequestAnswered("a", "mentor", Accepted: true, clock.GetUtcNow()));
        await host.RaiseAsync("prog", "w1", new RequestAnswered("c", "mentor", Accepted: true, clock.GetUtcNow()));
        await host.RaiseAsync("prog", "w1", new RequestAnswered("b", "mentor", Accepted: true, clock.GetUtcNow())); // too late: closed
        var full = await StateAsync(host, s => s.Choosing!.Pairs.Count == 2 && s.Choosing.Requests.All(r => r.Status != RequestStatus.Open));
        Assert.Equal(RequestStatus.Lapsed, full.Choosing!.Requests.Single(r => r.From == "b").Status);

        await PassAsync(host, clock, ChoosingPeriod);
        var done = await StateAsync(host, s => s.IsFinished);
        Assert.Equal(WindowPhase.Completed, done.Phase);
        Assert.Equal(MatchingWindowDecider.AutoApprover, Assert.Single(done.Decisions).By);
        Assert.Contains("w1:lapsed:b>mentor", activities.Executed);
        Assert.DoesNotContain("w1:mail-draft:v1", activities.Executed);
        Assert.Equal(["w1:compute:v1", "w1:publish:v1", "w1:intros:v1"], activities.Executed.SkipWhile(e => !e.Contains("compute", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_mentor_mentee_user_led_window_fills_the_mentor_from_picks_and_answers_and_pins_the_pairs_mentor_first()
    {
        var roles = new Dictionary<string, ChooserRole>(StringComparer.Ordinal)
        {
            ["mentor"] = ChooserRole.Mentor, ["a"] = ChooserRole.Mentee, ["b"] = ChooserRole.Mentee, ["c"] = ChooserRole.Mentee, ["d"] = ChooserRole.Either,
        };
        var (host, activities, clock) = await ChoosingAsync(autoApprove: false, roles);

        await host.RaiseAsync("prog", "w1", new PartnerPicked("mentor", ["a"], Fallback: true, clock.GetUtcNow())); // the mentor asks a
        await host.RaiseAsync("prog", "w1", new PartnerPicked("a", ["mentor"], Fallback: true, clock.GetUtcNow())); // mutual: a pair
        await host.RaiseAsync("prog", "w1", new PartnerPicked("b", ["mentor"], Fallback: true, clock.GetUtcNow())); // asks the mentor
        await host.RaiseAsync("prog", "w1", new PartnerPicked("d", ["mentor"], Fallback: true, clock.GetUtcNow())); // d, "either", asks too
        await host.RaiseAsync("prog", "w1", new PartnerPicked("c", ["b"], Fallback: true, clock.GetUtcNow())); // two mentees: refused
        await host.RaiseAsync("prog", "w1", new RequestAnswered("b", "mentor", Accepted: true, clock.GetUtcNow())); // the mentor is full
        var full = await StateAsync(host, s => s.Choosing!.Pairs.Count == 2 && s.Choosing.Requests.All(r => r.Status != RequestStatus.Open));
        Assert.All(full.Choosing!.Pairs, p => Assert.Equal("mentor", p.Mentor));
        Assert.Equal(RequestStatus.Lapsed, full.Choosing.Requests.Single(r => r.From == "d").Status);
        Assert.DoesNotContain("c", full.Choosing.Chose);

        await PassAsync(host, clock, ChoosingPeriod);
        var awaiting = await StateAsync(host, s => s.Phase == WindowPhase.AwaitingDecision);
        Assert.Equal([new ParticipantPair("mentor", "a"), new ParticipantPair("mentor", "b")], awaiting.Edits.PinnedPairs);
        await host.RaiseAsync("prog", "w1", Decision(clock, 1, DecisionAction.Approve, "ana"));
        await StateAsync(host, s => s.Phase == WindowPhase.Completed);
        Assert.Equal(
            ["w1:choose-invite", "w1:request:mentor>a", "w1:formed:a+mentor", "w1:request:b>mentor", "w1:request:d>mentor", "w1:formed:b+mentor",
                "w1:lapsed:d>mentor", "w1:compute:v1", "w1:mail-draft:v1", "w1:publish:v1", "w1:intros:v1"],
            activities.Executed);
    }

    [Fact]
    public async Task Reminders_then_expiry_follow_the_clock()
    {
        var (host, activities, clock) = await AwaitingDecisionAsync(ReminderInterval);
        for (var i = 0; i < 3; i++)
        {
            await PassAsync(host, clock, ReminderInterval);
        }
        var state = await StateAsync(host, s => s.IsFinished);
        Assert.Equal(WindowPhase.Expired, state.Phase);
        Assert.Equal(["w1:mail-reminder:v1:1", "w1:mail-reminder:v1:2", "w1:mail-expiry:v1"],
            activities.Executed.Where(e => e.Contains("reminder", StringComparison.Ordinal) || e.Contains("expiry", StringComparison.Ordinal)));
        // Two reminders, then the expiry one interval after the second: never earlier than the intervals allow.
        Assert.True(state.FinishedAt - state.ClosedAt >= 3 * ReminderInterval, $"Closed {state.ClosedAt:O}, expired {state.FinishedAt:O}.");
    }

    [Fact]
    public async Task A_decision_after_a_reminder_is_still_decided()
    {
        // Reminders keep coming (no expiry in reach), however slowly the machine gets to the decision.
        var (host, activities, clock) = await AwaitingDecisionAsync(ReminderInterval, remindersBeforeExpiry: 1000);
        await PassAsync(host, clock, ReminderInterval);
        await StateAsync(host, s => s.RemindersSent >= 1);
        await host.RaiseAsync("prog", "w1", Decision(clock, 1, DecisionAction.Approve, "ana"));
        var state = await StateAsync(host, s => s.IsFinished);
        Assert.Equal(WindowPhase.Completed, state.Phase);
        Assert.Contains("w1:mail-reminder:v1:1", activities.Executed);
        Assert.Contains("w1:intros:v1", activities.Executed);
    }

    [Fact]
    public async Task A_restart_between_two_versions_keeps_the_loop_going()
    {
        var (host, activities, clock) = await AwaitingDecisionAsync();
        await host.RaiseAsync("prog", "w1", Decision(clock, 1, DecisionAction.Reject, "ana", "again"));
        await StateAsync(host, s => s.DraftVersion == 2 && s.Phase == WindowPhase.AwaitingDecision);
        var restarted = await RestartAsync(host, activities, clock, downtime: TimeSpan.Zero);
        await restarted.RaiseAsync("prog", "w1", Decision(clock, 2, DecisionAction.Approve, "bo"));
        var state = await StateAsync(restarted, s => s.IsFinished);
        Assert.Equal(WindowPhase.Completed, state.Phase);
        Assert.Equal(2, state.ApprovedVersion);
        Assert.Equal(["w1:compute:v1", "w1:mail-draft:v1", "w1:compute:v2", "w1:mail-draft:v2", "w1:publish:v2", "w1:intros:v2"], activities.Executed);
    }

    [Fact]
    public async Task A_failing_command_is_retried_until_it_succeeds()
    {
        var clock = NewClock();
        var activities = new RecordingActivities(clock) { FailuresToInject = 12 }; // more than any fixed retry budget of 10
        var host = await CreateHostAsync(activities, clock);
        await host.StartAsync(Opened(clock));
        await host.RaiseAsync("prog", "w1", new CloseRequested("admin", clock.GetUtcNow()));
        for (var i = 0; i < 16; i++)
        {
            await PassAsync(host, clock, TimeSpan.FromHours(1));
        }
        Assert.Equal(WindowPhase.AwaitingDecision, (await StateAsync(host, s => s.Phase == WindowPhase.AwaitingDecision)).Phase);
        // The phase moves on when the draft is computed; its mail is the next command, so wait for it as for the state.
        var executed = await SettledAsync(host, () => Task.FromResult(activities.Executed.ToArray()), e => e.Length >= 2);
        Assert.Equal(["w1:compute:v1", "w1:mail-draft:v1"], executed);
    }

    [Fact]
    public async Task Evergreen_windows_open_the_next_window_when_done()
    {
        var clock = NewClock();
        var activities = new RecordingActivities(clock);
        var host = await CreateHostAsync(activities, clock);
        await host.StartAsync(Opened(clock, evergreen: true));
        await host.RaiseAsync("prog", "w1", new CloseRequested("admin", clock.GetUtcNow()));
        await StateAsync(host, s => s.Phase == WindowPhase.AwaitingDecision);
        await host.RaiseAsync("prog", "w1", Decision(clock, 1, DecisionAction.Approve, "ana"));
        var windows = await SettledAsync(host, () => host.ListAsync("prog"), w => w.Count == 2 && w.All(s => s.WindowId != "w1" || s.IsFinished));
        Assert.Equal(2, windows.Count);
        var done = Assert.Single(windows, w => w.WindowId == "w1");
        Assert.Equal(WindowPhase.Completed, done.Phase);
        Assert.Contains(windows, w => w.WindowId != "w1" && w.Phase == WindowPhase.Open && w.Evergreen && w.ClosesAt == done.FinishedAt + TimeSpan.FromDays(28));
    }

    [Fact]
    public async Task Events_for_a_finished_window_are_refused()
    {
        var (host, activities, clock) = await AwaitingDecisionAsync();
        await host.RaiseAsync("prog", "w1", new CancelRequested("admin", clock.GetUtcNow()));
        await host.RaiseAsync("prog", "w1", Decision(clock, 1, DecisionAction.Approve, "ana"));
        var state = await StateAsync(host, s => s.IsFinished);
        Assert.Equal(WindowPhase.Cancelled, state.Phase);
        Assert.Empty(state.Decisions);
        Assert.DoesNotContain("w1:publish:v1", activities.Executed);
    }
}
