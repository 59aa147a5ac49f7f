using System.Text.Json;
using Mentoring.Core.Common;
using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Tests.Windows;

public sealed class MatchingWindowDeciderTests
{
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly WindowTimings Timings = new(TimeSpan.FromHours(48), 2, TimeSpan.FromDays(28));
    private static readonly DraftSummary Summary = new(10, 10, 0, 5, 0, 0, 250, 50, 30, true);

    private static WindowDecision Apply(WindowState? state, WindowEvent e) => MatchingWindowDecider.Decide(state, e);

    private static WindowState Run(params WindowEvent[] events)
    {
        WindowState? state = null;
        foreach (var e in events)
        {
            var decision = Apply(state, e);
            Assert.False(decision.Refused, decision.Refusal);
            state = decision.State;
        }
        return state!;
    }

    private static WindowOpened Opened(bool evergreen = false) => new("spring", "w1", T0.AddDays(7), Timings, evergreen, T0);

    private static WindowState AwaitingV1() => Run(Opened(), new CloseRequested("hr@example.com", T0.AddDays(1)), new DraftComputed(1, Summary, T0.AddDays(1)));

    [Fact]
    public void Opening_schedules_the_close_timer()
    {
        var decision = Apply(null, Opened());
        Assert.Equal(WindowPhase.Open, decision.State!.Phase);
        Assert.Equal([new ScheduleTimer("close", T0.AddDays(7))], decision.Commands);
    }

    [Fact]
    public void Opening_with_a_close_time_already_past_closes_at_once()
    {
        var decision = Apply(null, new WindowOpened("spring", "w1", T0, Timings, false, T0));
        Assert.Equal(WindowPhase.Drafting, decision.State!.Phase);
        Assert.Equal([new ComputeDraft(1, new DraftEditSet())], decision.Commands);
    }

    [Fact]
    public void Events_before_opening_are_refused() => Assert.True(Apply(null, new CloseRequested("x", T0)).Refused);

    [Fact]
    public void Opening_twice_changes_nothing()
    {
        var state = Run(Opened());
        var again = Apply(state, Opened());
        Assert.True(again.Refused);
        Assert.Same(state, again.State);
        Assert.Empty(again.Commands);
    }

    [Fact]
    public void The_close_timer_closes_and_computes_version_one()
    {
        var decision = Apply(Run(Opened()), new TimerFired("close", T0.AddDays(7)));
        Assert.Equal(WindowPhase.Drafting, decision.State!.Phase);
        Assert.Equal(1, decision.State.DraftVersion);
        Assert.Equal(T0.AddDays(7), decision.State.ClosedAt);
        Assert.Equal([new ComputeDraft(1, new DraftEditSet())], decision.Commands);
    }

    [Fact]
    public void Closing_early_supersedes_the_close_timer()
    {
        var closed = Run(Opened(), new CloseRequested("hr@example.com", T0.AddDays(1)));
        Assert.True(Apply(closed, new TimerFired("close", T0.AddDays(7))).Refused);
        Assert.True(Apply(closed, new CloseRequested("hr@example.com", T0.AddDays(2))).Refused);
    }

    [Fact]
    public void A_computed_draft_is_mailed_and_a_reminder_scheduled()
    {
        var drafting = Run(Opened(), new CloseRequested("hr@example.com", T0.AddDays(1)));
        var decision = Apply(drafting, new DraftComputed(1, Summary, T0.AddDays(1)));
        Assert.Equal(WindowPhase.AwaitingDecision, decision.State!.Phase);
        Assert.Equal(Summary, decision.State.Draft);
        Assert.Equal([new MailDraft(1), new ScheduleTimer("reminder:v1:1", T0.AddDays(3))], decision.Commands);
    }

    [Fact]
    public void A_stale_computed_draft_is_refused()
    {
        var drafting = Run(Opened(), new CloseRequested("hr@example.com", T0.AddDays(1)));
        Assert.True(Apply(drafting, new DraftComputed(2, Summary, T0)).Refused);
    }

    [Fact]
    public void Approval_publishes_then_intros_then_completes()
    {
        var approved = Apply(AwaitingV1(), new DecisionReceived(1, DecisionAction.Approve, "hr@example.com", T0.AddDays(2)));
        Assert.Equal(WindowPhase.Publishing, approved.State!.Phase);
        Assert.Null(approved.State.Timer);
        Assert.Equal([new PublishPairs(1)], approved.Commands);

        var published = Apply(approved.State, new PairsPublished(1, 5, T0.AddDays(2)));
        Assert.Equal([new MailIntros(1)], published.Commands);

        var done = Apply(published.State, new IntrosSent(1, 5, T0.AddDays(2)));
        Assert.Equal(WindowPhase.Completed, done.State!.Phase);
        Assert.Equal([new CompleteWindow(WindowPhase.Completed)], done.Commands);
    }

    [Fact]
    public void Evergreen_windows_open_the_next_one_when_done()
    {
        var state = Run(Opened(evergreen: true), new CloseRequested("a", T0), new DraftComputed(1, Summary, T0),
            new DecisionReceived(1, DecisionAction.Approve, "a", T0), new PairsPublished(1, 5, T0));
        var done = Apply(state, new IntrosSent(1, 5, T0.AddDays(1)));
        Assert.Equal([new OpenNextWindow(T0.AddDays(29)), new CompleteWindow(WindowPhase.Completed)], done.Commands);
    }

    [Fact]
    public void A_rejection_computes_the_next_version()
    {
        var decision = Apply(AwaitingV1(), new DecisionReceived(1, DecisionAction.Reject, "hr@example.com", T0.AddDays(2), Reason: "Too many from Sales"));
        Assert.Equal(WindowPhase.Drafting, decision.State!.Phase);
        Assert.Equal(2, decision.State.DraftVersion);
        Assert.Equal("Too many from Sales", decision.State.Decisions.Single().Reason);
        Assert.Equal([new ComputeDraft(2, new DraftEditSet())], decision.Commands);
    }

    [Fact]
    public void Forbidding_a_pair_carries_into_every_later_version()
    {
        var pair = new ParticipantPair("p_a", "p_b");
        var v2 = Run(Opened(), new CloseRequested("a", T0), new DraftComputed(1, Summary, T0),
            new DecisionReceived(1, DecisionAction.ForbidPair, "a", T0, Pair: pair), new DraftComputed(2, Summary, T0));
        var decision = Apply(v2, new DecisionReceived(2, DecisionAction.ExcludeParticipant, "a", T0, ParticipantId: "p_c"));

        var compute = Assert.IsType<ComputeDraft>(Assert.Single(decision.Commands));
        Assert.Equal(3, compute.Version);
        Assert.Equal([pair], compute.Edits.ForbiddenPairs);
        Assert.Equal(["p_c"], compute.Edits.ExcludedParticipantIds);
    }

    [Fact]
    public void Pinning_a_forbidden_pair_lifts_the_ban()
    {
        var pair = new ParticipantPair("p_a", "p_b");
        var v2 = Run(Opened(), new CloseRequested("a", T0), new DraftComputed(1, Summary, T0),
            new DecisionReceived(1, DecisionAction.ForbidPair, "a", T0, Pair: pair), new DraftComputed(2, Summary, T0));
        var decision = Apply(v2, new DecisionReceived(2, DecisionAction.PinPair, "a", T0, Pair: new ParticipantPair("p_b", "p_a")));
        Assert.Empty(decision.State!.Edits.ForbiddenPairs);
        Assert.Single(decision.State.Edits.PinnedPairs);
    }

    [Fact]
    public void A_forbid_without_a_pair_is_refused() =>
        Assert.True(Apply(AwaitingV1(), new DecisionReceived(1, DecisionAction.ForbidPair, "a", T0)).Refused);

    [Fact]
    public void A_second_decision_on_the_same_version_is_refused_naming_who_decided()
    {
        var approved = Run(Opened(), new CloseRequested("a", T0), new DraftComputed(1, Summary, T0),
            new DecisionReceived(1, DecisionAction.Reject, "ana@example.com", T0.AddHours(30)));
        var late = Apply(approved, new DecisionReceived(1, DecisionAction.Approve, "bo@example.com", T0.AddHours(31)));
        Assert.True(late.Refused);
        Assert.Contains("ana@example.com", late.Refusal, StringComparison.Ordinal);
        Assert.Contains("2027-03-02 15:00", late.Refusal, StringComparison.Ordinal);
        Assert.Same(approved, late.State);
    }

    [Fact]
    public void A_decision_for_an_older_version_is_refused()
    {
        var v2 = Run(Opened(), new CloseRequested("a", T0), new DraftComputed(1, Summary, T0),
            new DecisionReceived(1, DecisionAction.Rerun, "a", T0), new DraftComputed(2, Summary, T0));
        var stale = Apply(v2, new DecisionReceived(0, DecisionAction.Approve, "b", T0));
        Assert.True(stale.Refused);
        Assert.Contains("replaced by v2", stale.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_decision_while_drafting_is_refused() =>
        Assert.True(Apply(Run(Opened(), new CloseRequested("a", T0)), new DecisionReceived(1, DecisionAction.Approve, "a", T0)).Refused);

    [Fact]
    public void Reminders_go_out_then_the_window_expires()
    {
        var state = AwaitingV1();
        var first = Apply(state, new TimerFired("reminder:v1:1", T0.AddDays(3)));
        Assert.Equal([new MailReminder(1, 1, 2), new ScheduleTimer("reminder:v1:2", T0.AddDays(5))], first.Commands);
        var second = Apply(first.State, new TimerFired("reminder:v1:2", T0.AddDays(5)));
        Assert.Equal([new MailReminder(1, 2, 2), new ScheduleTimer("reminder:v1:3", T0.AddDays(7))], second.Commands);
        var expiry = Apply(second.State, new TimerFired("reminder:v1:3", T0.AddDays(7)));
        Assert.Equal(WindowPhase.Expired, expiry.State!.Phase);
        Assert.Equal([new MailExpiry(1), new CompleteWindow(WindowPhase.Expired)], expiry.Commands);
    }

    [Fact]
    public void A_reminder_timer_superseded_by_a_decision_is_ignored()
    {
        var rejected = Apply(AwaitingV1(), new DecisionReceived(1, DecisionAction.Reject, "a", T0.AddDays(2))).State;
        Assert.True(Apply(rejected, new TimerFired("reminder:v1:1", T0.AddDays(3))).Refused);
    }

    [Fact]
    public void Cancelling_ends_the_window_and_refuses_everything_after()
    {
        var cancelled = Apply(AwaitingV1(), new CancelRequested("hr@example.com", T0.AddDays(2)));
        Assert.Equal(WindowPhase.Cancelled, cancelled.State!.Phase);
        Assert.Equal([new CompleteWindow(WindowPhase.Cancelled)], cancelled.Commands);
        var after = Apply(cancelled.State, new DecisionReceived(1, DecisionAction.Approve, "a", T0.AddDays(3)));
        Assert.True(after.Refused);
        Assert.Contains("cancelled", after.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancelling_after_approval_is_refused()
    {
        var approved = Apply(AwaitingV1(), new DecisionReceived(1, DecisionAction.Approve, "a", T0)).State;
        Assert.True(Apply(approved, new CancelRequested("a", T0)).Refused);
    }

    [Fact]
    public void State_events_and_commands_round_trip_through_json()
    {
        var state = Apply(AwaitingV1(), new DecisionReceived(1, DecisionAction.ForbidPair, "a", T0, Pair: new ParticipantPair("x", "y"))).State!;
        var copy = JsonSerializer.Deserialize<WindowState>(JsonSerializer.Serialize(state, MentoringJson.Options), MentoringJson.Options)!;
        Assert.Equal(JsonSerializer.Serialize(state, MentoringJson.Options), JsonSerializer.Serialize(copy, MentoringJson.Options));

        WindowEvent e = new DecisionReceived(1, DecisionAction.PinPair, "a", T0, Pair: new ParticipantPair("x", "y"));
        Assert.Equal(e, JsonSerializer.Deserialize<WindowEvent>(JsonSerializer.Serialize(e, MentoringJson.Options), MentoringJson.Options));
        WindowCommand c = new ComputeDraft(2, state.Edits);
        var back = (ComputeDraft)JsonSerializer.Deserialize<WindowCommand>(JsonSerializer.Serialize(c, MentoringJson.Options), MentoringJson.Options)!;
        Assert.Equal(state.Edits.ForbiddenPairs, back.Edits.ForbiddenPairs);
    }
}
