using Mentoring.Core.Windows;

namespace Mentoring.Core.Tests.Windows;

/// <summary>A window driven through the decider to each phase, for tests of what each phase accepts and refuses.</summary>
internal static class WindowStates
{
    public static readonly DateTimeOffset T0 = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    public static readonly WindowTimings Timings = new(TimeSpan.FromHours(48), 2, TimeSpan.FromDays(28));
    public static readonly DraftSummary Summary = new(10, 10, 0, 5, 0, 0, 250, 50, 30, true);
    public const string Admin = "hr@example.com";

    public static WindowOpened Opened(bool evergreen = false) => new("spring", "w1", T0.AddDays(7), Timings, evergreen, T0);

    /// <summary>Applies every event, failing the test if the decider refuses one.</summary>
    public static WindowState Run(params WindowEvent[] events) => Continue(null, events);

    public static WindowState Continue(WindowState? state, params WindowEvent[] events)
    {
        foreach (var e in events)
        {
            var decision = MatchingWindowDecider.Decide(state, e);
            Assert.False(decision.Refused, decision.Refusal);
            state = decision.State;
        }
        return state!;
    }

    public static WindowState Open(bool evergreen = false) => Run(Opened(evergreen));

    public static WindowState Drafting(bool evergreen = false) => Continue(Open(evergreen), new CloseRequested(Admin, T0.AddDays(1)));

    public static WindowState AwaitingV1(bool evergreen = false) => Continue(Drafting(evergreen), new DraftComputed(1, Summary, T0.AddDays(1)));

    /// <summary>v1 rejected by <see cref="Admin"/>, v2 computed and waiting.</summary>
    public static WindowState AwaitingV2() => Continue(AwaitingV1(),
        new DecisionReceived(1, DecisionAction.Reject, Admin, T0.AddDays(2), Reason: "Too many from Sales"),
        new DraftComputed(2, Summary, T0.AddDays(2)));

    public static WindowState Publishing(bool evergreen = false) =>
        Continue(AwaitingV1(evergreen), new DecisionReceived(1, DecisionAction.Approve, Admin, T0.AddDays(2)));

    public static WindowState Introducing(bool evergreen = false) => Continue(Publishing(evergreen), new PairsPublished(1, 5, T0.AddDays(2)));

    public static WindowState Completed(bool evergreen = false) => Continue(Introducing(evergreen), new IntrosSent(1, 5, T0.AddDays(3)));

    public static WindowState Expired() => Continue(AwaitingV1(),
        new TimerFired("reminder:v1:1", T0.AddDays(3)), new TimerFired("reminder:v1:2", T0.AddDays(5)), new TimerFired("reminder:v1:3", T0.AddDays(7)));

    public static WindowState Cancelled() => Continue(AwaitingV1(), new CancelRequested(Admin, T0.AddDays(2), "Postponed"));
}
