using Mentoring.Core.Windows;
using Mentoring.Functions.Windows;

namespace Mentoring.Functions.Tests.Windows;

public sealed class MatchingWindowOrchestrationTests
{
    private static DateTimeOffset At(ScriptedOrchestration run) => new(run.Now);

    /// <summary>Opened, closed by an admin, draft v1 computed and mailed: waiting for a decision.</summary>
    private static ScriptedOrchestration AwaitingDecision(WindowTimings? timings = null)
    {
        var run = new ScriptedOrchestration(ScriptedOrchestration.Start(timings));
        run.Raise(new CloseRequested("admin", At(run)));
        return run;
    }

    /// <summary>Continue-as-new: a new generation of the same instance, from the input the last one handed over.</summary>
    private static ScriptedOrchestration NextGeneration(ScriptedOrchestration run)
    {
        Assert.True(run.Run.IsCompletedSuccessfully);
        Assert.NotNull(run.ContinuedWith);
        return new ScriptedOrchestration(run.ContinuedWith!);
    }

    [Fact]
    public void An_opened_window_waits_for_an_event_or_its_closing_time()
    {
        var run = new ScriptedOrchestration(ScriptedOrchestration.Start());

        Assert.False(run.Run.IsCompleted);
        Assert.Equal(WindowPhase.Open, run.Status!.Phase);
        Assert.Equal(ScriptedOrchestration.T0.AddDays(7), run.PendingTimer);
        Assert.Empty(run.Executed);
    }

    [Fact]
    public void Closing_computes_the_draft_then_mails_it_and_waits_for_the_decision()
    {
        var run = AwaitingDecision();

        Assert.Equal([new ComputeDraft(1, new DraftEditSet()).Key, new MailDraft(1).Key], run.Executed.Select(c => c.Key));
        Assert.Equal(WindowPhase.AwaitingDecision, run.Status!.Phase);
        Assert.Equal(1, run.Status.DraftVersion);
        Assert.False(run.Run.IsCompleted);
    }

    [Fact]
    public void An_event_that_wins_the_race_cancels_the_timer()
    {
        var run = new ScriptedOrchestration(ScriptedOrchestration.Start());
        var closingTimer = run.PendingTimerToken!.Value;

        run.Raise(new CloseRequested("admin", At(run)));

        Assert.True(closingTimer.IsCancellationRequested);
    }

    [Fact]
    public async Task Approval_publishes_then_introduces_then_completes()
    {
        var run = AwaitingDecision();

        run.Raise(new DecisionReceived(1, DecisionAction.Approve, "hr@example.com", At(run)));
        // The decision ends this generation (short history); the next one carries the pending report on.
        Assert.Equal(new PublishPairs(1).Key, run.Executed[^1].Key);
        var next = NextGeneration(run);

        Assert.True(next.Run.IsCompletedSuccessfully);
        Assert.Equal([new MailIntros(1).Key], next.Executed.Select(c => c.Key));
        Assert.Equal(WindowPhase.Completed, WindowWire.ReadStatus(await next.Run)!.Phase);
        Assert.Equal(WindowPhase.Completed, next.Status!.Phase);
        Assert.Null(next.ContinuedWith);
    }

    [Fact]
    public void A_late_decision_on_a_replaced_draft_is_ignored()
    {
        var run = AwaitingDecision();
        run.Raise(new DecisionReceived(1, DecisionAction.Reject, "hr@example.com", At(run), "Too many pairs from sales"));
        Assert.Equal(new ComputeDraft(2, new DraftEditSet()).Key, run.Executed[^1].Key);
        var next = NextGeneration(run);
        Assert.Equal([new MailDraft(2).Key], next.Executed.Select(c => c.Key));

        next.Raise(new DecisionReceived(1, DecisionAction.Approve, "other@example.com", At(next)));

        Assert.Equal([new MailDraft(2).Key], next.Executed.Select(c => c.Key));
        Assert.Equal(WindowPhase.AwaitingDecision, next.Status!.Phase);
        Assert.Equal(2, next.Status.DraftVersion);
        Assert.False(next.Run.IsCompleted);
        Assert.Null(next.ContinuedWith);
    }

    [Fact]
    public void Without_a_decision_the_timers_send_the_reminders_then_expire_the_draft()
    {
        var run = AwaitingDecision(new WindowTimings(TimeSpan.FromHours(48), RemindersBeforeExpiry: 1, TimeSpan.FromDays(28)));
        var firstReminder = run.Now.AddHours(48);
        Assert.Equal(firstReminder, run.PendingTimer);
        var waitBeforeTimer = run.EventWaitTokens[^1];

        run.FireTimer();

        Assert.True(waitBeforeTimer.IsCancellationRequested); // that wait must not swallow the next raised event
        Assert.Equal(new MailReminder(1, 1, 1).Key, run.Executed[^1].Key);
        Assert.Equal(firstReminder.AddHours(48), run.PendingTimer);

        run.FireTimer();

        Assert.True(run.Run.IsCompletedSuccessfully);
        Assert.Equal(new MailExpiry(1).Key, run.Executed[^1].Key);
        Assert.Equal(WindowPhase.Expired, run.Status!.Phase);
        Assert.Equal(new DateTimeOffset(firstReminder.AddHours(48)), run.Status.FinishedAt);
    }

    [Fact]
    public void An_evergreen_round_starts_the_next_window_as_its_own_instance()
    {
        var opened = new WindowOpened("prog", "w1", new DateTimeOffset(ScriptedOrchestration.T0), ScriptedOrchestration.Timings, true,
            new DateTimeOffset(ScriptedOrchestration.T0));
        var run = new ScriptedOrchestration(WindowWire.Write(new WindowRun(null, [opened]))); // closes at once
        run.Raise(new DecisionReceived(1, DecisionAction.Approve, "hr@example.com", At(run)));
        var next = NextGeneration(run);

        var (activity, nextWindow) = Assert.Single(next.StartedWindows);

        Assert.Equal(MatchingWindowOrchestration.StartWindowActivity, activity);
        Assert.Equal(new DateTimeOffset(ScriptedOrchestration.T0).AddDays(28), ((WindowOpened)nextWindow).ClosesAt);
        Assert.True(next.Run.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_payload_that_is_no_window_event_is_ignored_and_the_wait_goes_on()
    {
        var run = AwaitingDecision();
        var executed = run.Executed.Count;
        var waits = run.EventWaitTokens.Count;

        run.RaiseRaw("{\"type\":\"nonsense\"}");

        Assert.Equal(executed, run.Executed.Count);
        Assert.Equal(waits + 1, run.EventWaitTokens.Count);
        Assert.False(run.Run.IsCompleted);
    }

    [Fact]
    public void An_event_that_no_longer_applies_changes_nothing()
    {
        var run = AwaitingDecision();
        var executed = run.Executed.Count;

        run.Raise(new CloseRequested("admin", At(run)));

        Assert.Equal(executed, run.Executed.Count);
        Assert.Equal(WindowPhase.AwaitingDecision, run.Status!.Phase);
        Assert.False(run.Run.IsCompleted);
    }
}
