using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Windows;
using static Mentoring.Core.Tests.Windows.WindowStates;

namespace Mentoring.Core.Tests.Windows;

/// <summary>
/// Hosts deliver events at least once and in any order: a redelivered or late event must change nothing and
/// command nothing, in every phase. The refusal says why, since hosts record it in the window's journal.
/// </summary>
public sealed class LateAndDuplicateEventTests
{
    private static void AssertRefused(WindowState state, WindowEvent late, string because)
    {
        var decision = MatchingWindowDecider.Decide(state, late);
        Assert.True(decision.Refused, $"{late} was accepted in phase {state.Phase}");
        Assert.Same(state, decision.State);
        Assert.Empty(decision.Commands);
        Assert.Equal(because, decision.Refusal);
    }

    [Fact]
    public void An_event_for_a_window_that_was_never_opened_is_refused_and_creates_nothing()
    {
        var decision = MatchingWindowDecider.Decide(null, new DraftComputed(1, Summary, T0));
        Assert.True(decision.Refused);
        Assert.Null(decision.State);
        Assert.Empty(decision.Commands);
        Assert.Equal("This window does not exist.", decision.Refusal);
    }

    [Fact]
    public void A_missing_event_is_a_host_bug_and_throws_instead_of_being_refused()
    {
        Assert.Throws<ArgumentNullException>(() => MatchingWindowDecider.Decide(null, null!));
        Assert.Throws<ArgumentNullException>(() => MatchingWindowDecider.Decide(Open(), null!));
    }

    [Fact]
    public void An_open_window_refuses_every_event_of_a_later_phase()
    {
        var open = Open();
        AssertRefused(open, Opened(), "This window is already open.");
        AssertRefused(open, new TimerFired("reminder:v1:1", T0.AddDays(2)), "Timer 'reminder:v1:1' is no longer pending.");
        AssertRefused(open, new DraftComputed(1, Summary, T0.AddDays(1)), "Draft v1 is not the one being computed.");
        AssertRefused(open, new DecisionReceived(1, DecisionAction.Approve, Admin, T0.AddDays(1)), "Draft v1 is not awaiting a decision.");
        AssertRefused(open, new PairsPublished(1, 5, T0.AddDays(1)), "Draft v1 is not being published.");
        AssertRefused(open, new IntrosSent(1, 5, T0.AddDays(1)), "Intros for draft v1 are not expected.");
    }

    [Fact]
    public void A_drafting_window_refuses_a_second_close_a_late_close_timer_and_drafts_of_other_versions()
    {
        var drafting = Drafting();
        AssertRefused(drafting, new CloseRequested(Admin, T0.AddDays(1)), "Registration for this window is already closed.");
        AssertRefused(drafting, new TimerFired("close", T0.AddDays(7)), "Timer 'close' is no longer pending.");
        AssertRefused(drafting, new DraftComputed(2, Summary, T0.AddDays(1)), "Draft v2 is not the one being computed.");
        AssertRefused(drafting, new DraftComputed(0, Summary, T0.AddDays(1)), "Draft v0 is not the one being computed.");
        AssertRefused(drafting, new DecisionReceived(1, DecisionAction.Approve, Admin, T0.AddDays(1)), "Draft v1 is not awaiting a decision.");
        AssertRefused(drafting, new PairsPublished(1, 5, T0.AddDays(1)), "Draft v1 is not being published.");
        AssertRefused(drafting, new IntrosSent(1, 5, T0.AddDays(1)), "Intros for draft v1 are not expected.");
    }

    [Fact]
    public void A_redelivered_computed_draft_does_not_mail_the_admins_twice()
    {
        AssertRefused(AwaitingV1(), new DraftComputed(1, Summary, T0.AddDays(1)), "Draft v1 is not the one being computed.");
    }

    [Fact]
    public void A_window_awaiting_a_decision_publishes_nothing_before_approval()
    {
        var awaiting = AwaitingV1();
        AssertRefused(awaiting, new PairsPublished(1, 5, T0.AddDays(2)), "Draft v1 is not being published.");
        AssertRefused(awaiting, new IntrosSent(1, 5, T0.AddDays(2)), "Intros for draft v1 are not expected.");
    }

    [Fact]
    public void A_window_awaiting_a_decision_refuses_timers_other_than_the_pending_reminder()
    {
        var awaiting = AwaitingV1();
        AssertRefused(awaiting, new TimerFired("close", T0.AddDays(7)), "Timer 'close' is no longer pending.");
        AssertRefused(awaiting, new TimerFired("reminder:v1:2", T0.AddDays(3)), "Timer 'reminder:v1:2' is no longer pending.");
        AssertRefused(awaiting, new CloseRequested(Admin, T0.AddDays(2)), "Registration for this window is already closed.");
    }

    [Fact]
    public void A_decision_on_a_version_not_yet_drafted_is_refused()
    {
        AssertRefused(AwaitingV1(), new DecisionReceived(2, DecisionAction.Approve, Admin, T0.AddDays(2)), "Draft v2 is not awaiting a decision.");
    }

    [Fact]
    public void Late_events_of_a_replaced_version_are_refused_once_the_next_version_waits()
    {
        var v2 = AwaitingV2();
        AssertRefused(v2, new DecisionReceived(1, DecisionAction.Approve, "bo@example.com", T0.AddDays(3)),
            "Draft v1 was already decided (rejected) by hr@example.com at 2027-03-03 09:00 UTC.");
        AssertRefused(v2, new DraftComputed(1, Summary, T0.AddDays(3)), "Draft v1 is not the one being computed.");
        AssertRefused(v2, new TimerFired("reminder:v1:1", T0.AddDays(3)), "Timer 'reminder:v1:1' is no longer pending.");
    }

    [Fact]
    public void The_reminder_timer_of_a_new_version_starts_again_from_the_first_reminder()
    {
        var v2 = AwaitingV2();
        Assert.Equal(new PendingTimer("reminder:v2:1", T0.AddDays(4)), v2.Timer);
        Assert.Equal(0, v2.RemindersSent);
        var reminded = MatchingWindowDecider.Decide(v2, new TimerFired("reminder:v2:1", T0.AddDays(4)));
        Assert.Equal([new MailReminder(2, 1, 2), new ScheduleTimer("reminder:v2:2", T0.AddDays(6))], reminded.Commands);
    }

    [Fact]
    public void An_approved_window_refuses_a_second_decision_naming_who_approved()
    {
        var publishing = Publishing();
        AssertRefused(publishing, new DecisionReceived(1, DecisionAction.Reject, "bo@example.com", T0.AddDays(2), Reason: "No"),
            "Draft v1 was already decided (approved) by hr@example.com at 2027-03-03 09:00 UTC.");
    }

    [Fact]
    public void A_publishing_window_cannot_complete_before_its_pairs_are_published()
    {
        var publishing = Publishing();
        AssertRefused(publishing, new IntrosSent(1, 5, T0.AddDays(2)), "Intros for draft v1 are not expected.");
        AssertRefused(publishing, new PairsPublished(2, 5, T0.AddDays(2)), "Draft v2 is not being published.");
        AssertRefused(publishing, new DraftComputed(1, Summary, T0.AddDays(2)), "Draft v1 is not the one being computed.");
        AssertRefused(publishing, new TimerFired("reminder:v1:1", T0.AddDays(3)), "Timer 'reminder:v1:1' is no longer pending.");
        AssertRefused(publishing, new CloseRequested(Admin, T0.AddDays(2)), "Registration for this window is already closed.");
        AssertRefused(publishing, new CancelRequested(Admin, T0.AddDays(2)),
            "The draft is already approved and its pairs are being introduced; end pairs individually instead.");
    }

    [Fact]
    public void A_redelivered_pairs_published_does_not_send_the_intros_again()
    {
        var introducing = Introducing();
        AssertRefused(introducing, new PairsPublished(1, 5, T0.AddDays(2)), "Draft v1 is not being published.");
    }

    [Fact]
    public void Intros_of_another_version_do_not_complete_the_window()
    {
        var introducing = Introducing();
        AssertRefused(introducing, new IntrosSent(2, 5, T0.AddDays(3)), "Intros for draft v2 are not expected.");
        AssertRefused(introducing, new IntrosSent(0, 5, T0.AddDays(3)), "Intros for draft v0 are not expected.");
        AssertRefused(introducing, new CancelRequested(Admin, T0.AddDays(3)),
            "The draft is already approved and its pairs are being introduced; end pairs individually instead.");
    }

    [Fact]
    public void A_completed_evergreen_window_opens_the_next_round_only_once()
    {
        var completed = Completed(evergreen: true);
        Assert.Equal(T0.AddDays(3), completed.FinishedAt);
        AssertRefused(completed, new IntrosSent(1, 5, T0.AddDays(4)), "This window is completed; nothing more can change.");
    }

    public static TheoryData<string> FinishedPhases => ["completed", "expired", "cancelled"];

    [Theory]
    [MemberData(nameof(FinishedPhases))]
    public void A_finished_window_refuses_every_event(string phase)
    {
        var (finished, description) = phase switch
        {
            "completed" => (Completed(), "completed"),
            "expired" => (Expired(), "expired without a decision"),
            _ => (Cancelled(), "cancelled"),
        };
        var because = $"This window is {description}; nothing more can change.";
        WindowEvent[] late =
        [
            new CloseRequested(Admin, T0.AddDays(8)),
            new TimerFired("close", T0.AddDays(8)),
            new TimerFired("reminder:v1:3", T0.AddDays(8)),
            new DraftComputed(1, Summary, T0.AddDays(8)),
            new DraftComputed(2, Summary, T0.AddDays(8)),
            new DecisionReceived(1, DecisionAction.Approve, Admin, T0.AddDays(8)),
            new DecisionReceived(2, DecisionAction.Approve, Admin, T0.AddDays(8)),
            new PairsPublished(1, 5, T0.AddDays(8)),
            new IntrosSent(1, 5, T0.AddDays(8)),
            new CancelRequested(Admin, T0.AddDays(8)),
        ];
        foreach (var e in late)
        {
            AssertRefused(finished, e, because);
        }
        AssertRefused(finished, Opened(), "This window is already open.");
    }

    [Fact]
    public void An_expired_window_records_when_it_expired_and_refuses_a_late_approval()
    {
        var expired = Expired();
        Assert.Equal(WindowPhase.Expired, expired.Phase);
        Assert.Equal(T0.AddDays(7), expired.FinishedAt);
        Assert.Null(expired.Timer);
        Assert.Null(expired.ApprovedVersion);
    }

    [Fact]
    public void Cancelling_an_open_window_drops_its_close_timer()
    {
        var cancelled = MatchingWindowDecider.Decide(Open(), new CancelRequested(Admin, T0.AddDays(1)));
        Assert.Equal(WindowPhase.Cancelled, cancelled.State!.Phase);
        Assert.Null(cancelled.State.Timer);
        Assert.Equal(T0.AddDays(1), cancelled.State.FinishedAt);
        Assert.Equal([new CompleteWindow(WindowPhase.Cancelled)], cancelled.Commands);
    }

    [Fact]
    public void A_timer_that_fires_after_its_phase_ended_is_refused_even_when_still_recorded()
    {
        // A host that restores an older state with a stale timer must not send reminders for a window that is not waiting.
        var drafting = Drafting() with { Timer = new PendingTimer("reminder:v1:1", T0.AddDays(3)) };
        AssertRefused(drafting, new TimerFired("reminder:v1:1", T0.AddDays(3)), "Timer 'reminder:v1:1' fired while the window is computing a draft.");
    }

    [Fact]
    public void Closing_early_records_when_and_cancels_the_close_timer()
    {
        var drafting = Drafting();
        Assert.Equal(WindowPhase.Drafting, drafting.Phase);
        Assert.Equal(T0.AddDays(1), drafting.ClosedAt);
        Assert.Null(drafting.Timer);
        Assert.Equal(1, drafting.DraftVersion);
    }

    [Fact]
    public void Pinning_a_pair_keeps_other_forbidden_pairs_forbidden()
    {
        var forbidden = new ParticipantPair("p_a", "p_b");
        var pinned = new ParticipantPair("p_c", "p_d");
        var v2 = Continue(AwaitingV1(), new DecisionReceived(1, DecisionAction.ForbidPair, Admin, T0, Pair: forbidden), new DraftComputed(2, Summary, T0));
        var decision = MatchingWindowDecider.Decide(v2, new DecisionReceived(2, DecisionAction.PinPair, Admin, T0, Pair: pinned));

        var compute = Assert.IsType<ComputeDraft>(Assert.Single(decision.Commands));
        Assert.Equal([forbidden], compute.Edits.ForbiddenPairs);
        Assert.Equal([pinned], compute.Edits.PinnedPairs);
    }

    [Fact]
    public void Forbidding_a_pinned_pair_unpins_it_and_keeps_the_other_pins()
    {
        var kept = new ParticipantPair("p_a", "p_b");
        var dropped = new ParticipantPair("p_c", "p_d");
        var v3 = Continue(AwaitingV1(),
            new DecisionReceived(1, DecisionAction.PinPair, Admin, T0, Pair: kept), new DraftComputed(2, Summary, T0),
            new DecisionReceived(2, DecisionAction.PinPair, Admin, T0, Pair: dropped), new DraftComputed(3, Summary, T0));
        var decision = MatchingWindowDecider.Decide(v3, new DecisionReceived(3, DecisionAction.ForbidPair, Admin, T0, Pair: new ParticipantPair("p_d", "p_c")));

        var compute = Assert.IsType<ComputeDraft>(Assert.Single(decision.Commands));
        Assert.Equal([kept], compute.Edits.PinnedPairs);
        Assert.Equal([new ParticipantPair("p_d", "p_c")], compute.Edits.ForbiddenPairs);
    }

    [Fact]
    public void A_pair_sharing_one_person_with_a_forbidden_pair_is_a_different_pair()
    {
        var forbidden = new ParticipantPair("p_a", "p_b");
        var v2 = Continue(AwaitingV1(), new DecisionReceived(1, DecisionAction.ForbidPair, Admin, T0, Pair: forbidden), new DraftComputed(2, Summary, T0));
        var sameFirst = MatchingWindowDecider.Decide(v2, new DecisionReceived(2, DecisionAction.PinPair, Admin, T0, Pair: new ParticipantPair("p_a", "p_c")));
        Assert.Equal([forbidden], sameFirst.State!.Edits.ForbiddenPairs);
        var crossed = MatchingWindowDecider.Decide(v2, new DecisionReceived(2, DecisionAction.PinPair, Admin, T0, Pair: new ParticipantPair("p_c", "p_a")));
        Assert.Equal([forbidden], crossed.State!.Edits.ForbiddenPairs);
        var sameSecond = MatchingWindowDecider.Decide(v2, new DecisionReceived(2, DecisionAction.PinPair, Admin, T0, Pair: new ParticipantPair("p_b", "p_c")));
        Assert.Equal([forbidden], sameSecond.State!.Edits.ForbiddenPairs);
    }

    [Fact]
    public void A_pin_without_a_pair_or_an_exclusion_without_a_person_is_refused()
    {
        AssertRefused(AwaitingV1(), new DecisionReceived(1, DecisionAction.PinPair, Admin, T0.AddDays(2)),
            "A keep a pair decision must name the pair or participant.");
        AssertRefused(AwaitingV1(), new DecisionReceived(1, DecisionAction.ExcludeParticipant, Admin, T0.AddDays(2)),
            "A leave someone out decision must name the pair or participant.");
        AssertRefused(AwaitingV1(), new DecisionReceived(1, DecisionAction.ForbidPair, Admin, T0.AddDays(2)),
            "A forbid a pair decision must name the pair or participant.");
    }

    [Fact]
    public void A_rerun_keeps_the_edits_and_resets_the_reminders()
    {
        var pair = new ParticipantPair("p_a", "p_b");
        var v2 = Continue(AwaitingV1(), new DecisionReceived(1, DecisionAction.ForbidPair, Admin, T0, Pair: pair), new DraftComputed(2, Summary, T0),
            new TimerFired("reminder:v2:1", T0.AddDays(2)));
        Assert.Equal(1, v2.RemindersSent);
        var rerun = MatchingWindowDecider.Decide(v2, new DecisionReceived(2, DecisionAction.Rerun, Admin, T0.AddDays(3)));
        Assert.Equal(0, rerun.State!.RemindersSent);
        Assert.Null(rerun.State.Draft);
        Assert.Null(rerun.State.Timer);
        Assert.Equal([pair], Assert.IsType<ComputeDraft>(Assert.Single(rerun.Commands)).Edits.ForbiddenPairs);
    }

    [Fact]
    public void A_window_without_reminders_expires_at_the_first_timer()
    {
        var awaiting = Run(new WindowOpened("spring", "w1", T0, Timings with { RemindersBeforeExpiry = 0 }, false, T0),
            new DraftComputed(1, Summary, T0));
        var expired = MatchingWindowDecider.Decide(awaiting, new TimerFired("reminder:v1:1", T0.AddDays(2)));
        Assert.Equal(WindowPhase.Expired, expired.State!.Phase);
        Assert.Equal([new MailExpiry(1), new CompleteWindow(WindowPhase.Expired)], expired.Commands);
    }

    [Fact]
    public void A_pin_of_a_pair_sharing_only_the_second_person_keeps_the_forbidden_pair()
    {
        var forbidden = new ParticipantPair("p_a", "p_b");
        var v2 = Continue(AwaitingV1(), new DecisionReceived(1, DecisionAction.ForbidPair, Admin, T0, Pair: forbidden), new DraftComputed(2, Summary, T0));

        var pinned = MatchingWindowDecider.Decide(v2, new DecisionReceived(2, DecisionAction.PinPair, Admin, T0, Pair: new ParticipantPair("p_c", "p_b")));

        Assert.Equal([forbidden], pinned.State!.Edits.ForbiddenPairs);
    }

    [Fact]
    public void Including_a_waitlisted_person_gives_them_priority_in_the_next_version_and_lifts_their_exclusion()
    {
        var v3 = Continue(AwaitingV1(),
            new DecisionReceived(1, DecisionAction.ExcludeParticipant, Admin, T0, ParticipantId: "p_a"), new DraftComputed(2, Summary, T0),
            new DecisionReceived(2, DecisionAction.ExcludeParticipant, Admin, T0, ParticipantId: "p_c"), new DraftComputed(3, Summary, T0),
            new DecisionReceived(3, DecisionAction.IncludeParticipant, Admin, T0, ParticipantId: "p_b"), new DraftComputed(4, Summary, T0));

        var included = MatchingWindowDecider.Decide(v3, new DecisionReceived(4, DecisionAction.IncludeParticipant, Admin, T0, ParticipantId: "p_a"));

        var edits = Assert.IsType<ComputeDraft>(Assert.Single(included.Commands)).Edits;
        Assert.Equal(["p_b", "p_a"], edits.IncludedParticipantIds);
        Assert.Equal(["p_c"], edits.ExcludedParticipantIds);
        AssertRefused(v3, new DecisionReceived(4, DecisionAction.IncludeParticipant, Admin, T0),
            "A include someone waitlisted decision must name the pair or participant.");
    }

    [Fact]
    public void A_second_decision_on_a_version_that_was_re_run_names_the_re_run()
    {
        var rerun = Continue(AwaitingV1(), new DecisionReceived(1, DecisionAction.Rerun, Admin, T0.AddDays(2)));

        AssertRefused(rerun, new DecisionReceived(1, DecisionAction.Approve, "lead@example.com", T0.AddDays(2)),
            "Draft v1 was already decided (re-run) by hr@example.com at 2027-03-03 09:00 UTC.");
    }

    [Fact]
    public void A_reminder_timer_that_fires_while_the_window_is_still_open_is_refused_naming_the_phase()
    {
        var open = Open() with { Timer = new PendingTimer("reminder:v1:1", T0.AddDays(2)) };

        AssertRefused(open, new TimerFired("reminder:v1:1", T0.AddDays(2)), "Timer 'reminder:v1:1' fired while the window is open for registration.");
    }

    private sealed record UnknownEvent(DateTimeOffset At) : WindowEvent(At);

    [Fact]
    public void An_event_the_decider_does_not_know_is_refused_by_name()
    {
        AssertRefused(AwaitingV1(), new UnknownEvent(T0), "Unknown event UnknownEvent.");
    }

    [Fact]
    public void Invitations_to_choose_reported_to_a_window_that_is_not_choosing_are_refused()
    {
        AssertRefused(AwaitingV1(), new ChoosingOpened(new Dictionary<string, int> { ["p_a"] = 1 }, T0), "This window is not open for choosing.");
    }
}
