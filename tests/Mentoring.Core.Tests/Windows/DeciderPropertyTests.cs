using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Mentoring.Core.Common;
using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Windows;
using static Mentoring.Core.Tests.Windows.WindowStates;

namespace Mentoring.Core.Tests.Windows;

/// <summary>
/// Random event sequences against the decider: mostly the event that moves the window on, mixed with duplicates,
/// late events, events of other versions, stray timers and cancellations, as at-least-once hosts deliver them.
/// </summary>
public sealed class DeciderPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(500);
    private static readonly ParticipantPair[] SomePairs = [new("p_a", "p_b"), new("p_b", "p_a"), new("p_c", "p_d")];

    /// <summary>Three numbers per step: what kind of event, then two picks that shape it.</summary>
    private static Arbitrary<int[]> Sequences =>
        Gen.Choose(1, 40).SelectMany(steps => Gen.Choose(0, 999).ArrayOf(steps * 3)).ToArbitrary();

    [Fact]
    public void Random_event_sequences_keep_the_window_invariants()
    {
        var reached = new HashSet<WindowPhase>();
        Check.One(Runs, Prop.ForAll(Sequences, (int[] numbers) => Replay(numbers, reached)));

        // The property is only worth something if the sequences reach every phase, the finished ones included.
        Assert.Equal(Enum.GetValues<WindowPhase>().Order(), reached.Order());
    }

    private static void Replay(int[] numbers, HashSet<WindowPhase> reached)
    {
        WindowState? state = null;
        var delivered = new List<WindowEvent>();
        var approved = new HashSet<int>();
        var keys = new HashSet<string>();
        var introsPerVersion = new Dictionary<int, int>();
        for (var i = 0; i + 2 < numbers.Length; i += 3)
        {
            var at = T0.AddHours(i);
            var e = NextEvent(state, delivered, numbers[i], numbers[i + 1], numbers[i + 2], at);
            delivered.Add(e);
            var decision = MatchingWindowDecider.Decide(state, e);
            var trace = $"after {string.Join(" -> ", delivered.Select(d => d.GetType().Name))}";

            if (state is { IsFinished: true })
            {
                Assert.True(decision.Refused, $"a finished window accepted an event, {trace}");
            }
            if (decision.Refused)
            {
                Assert.Same(state, decision.State);
                Assert.Empty(decision.Commands);
                continue;
            }
            Assert.NotNull(decision.State);

            foreach (var command in decision.Commands)
            {
                Assert.True(keys.Add(command.Key), $"command key '{command.Key}' issued twice, {trace}");
                Assert.Equal(command.Key, RoundTrip(command).Key);
                switch (command)
                {
                    case PublishPairs publish:
                        // An admin's approval, or for a user-led program that approves automatically, its computed draft.
                        Assert.True(e is DecisionReceived { Action: DecisionAction.Approve } a && a.Version == publish.Version
                            || e is DraftComputed c && c.Version == publish.Version && state?.Choosing?.Plan.AutoApprove == true,
                            $"pairs of v{publish.Version} published without its approval, {trace}");
                        approved.Add(publish.Version);
                        break;
                    case MailIntros intros:
                        // Intro mails are the first mail participants get: only for a version an admin approved earlier.
                        Assert.Contains(intros.Version, approved);
                        introsPerVersion[intros.Version] = introsPerVersion.GetValueOrDefault(intros.Version) + 1;
                        Assert.Equal(1, introsPerVersion[intros.Version]);
                        break;
                    case CompleteWindow { Outcome: WindowPhase.Completed }:
                        // Completed means introduced: the intros of the approved version went out in an earlier step.
                        Assert.True(decision.State.ApprovedVersion is { } v && introsPerVersion.GetValueOrDefault(v) == 1,
                            $"completed without intros, {trace}");
                        break;
                    case InviteToChoose or MailPairRequest or MailPairFormed or MailRequestLapsed:
                        // The only participant mails before approval: the choosing exchange of a user-led window, and only while it runs.
                        Assert.NotNull(decision.State.Choosing);
                        Assert.True(decision.State.Phase == WindowPhase.Choosing, $"choosing mail outside choosing, {trace}");
                        break;
                    case OpenNextWindow:
                        Assert.Equal(WindowPhase.Completed, decision.State.Phase);
                        break;
                }
            }
            if (decision.State.IsFinished)
            {
                Assert.Contains(decision.Commands, c => c is CompleteWindow complete && complete.Outcome == decision.State.Phase);
            }
            state = decision.State;
            reached.Add(state.Phase);
        }
    }

    private static WindowCommand RoundTrip(WindowCommand command) =>
        JsonSerializer.Deserialize<WindowCommand>(JsonSerializer.Serialize(command, MentoringJson.Options), MentoringJson.Options)!;

    /// <summary>Half the time the event that moves the window on; otherwise any event, stale, early or repeated.</summary>
    private static WindowEvent NextEvent(WindowState? state, List<WindowEvent> delivered, int kind, int x, int y, DateTimeOffset at)
    {
        var version = state?.DraftVersion ?? 1;
        var approved = state?.ApprovedVersion ?? version;
        var off = (x % 3) - 1;
        if (kind < 500)
        {
            return MoveOn(state, delivered, x, y, at);
        }
        return (kind % 10) switch
        {
            0 => Opening(x, at),
            1 => new CloseRequested(Admin, at),
            2 => new TimerFired((x % 4) switch
            {
                0 => y % 2 == 0 ? MatchingWindowDecider.CloseTimer : MatchingWindowDecider.ChoosingTimer,
                1 => state?.Timer?.TimerId ?? MatchingWindowDecider.CloseTimer,
                _ => MatchingWindowDecider.ReminderTimer(version + off, 1 + (y % 3)),
            }, at),
            3 => new DraftComputed(version + off, Summary, at),
            4 => Decision(version + off, y, at),
            5 => new PairsPublished(approved + off, 3, at),
            6 => new IntrosSent(approved + off, 3, at),
            7 => new CancelRequested(Admin, at),
            _ => delivered.Count > 0 ? delivered[y % delivered.Count] : Opening(x, at),
        };
    }

    private static WindowEvent MoveOn(WindowState? state, List<WindowEvent> delivered, int x, int y, DateTimeOffset at) => state switch
    {
        null => Opening(x, at),
        { Phase: WindowPhase.Open } => x % 2 == 0 ? new CloseRequested(Admin, at) : new TimerFired(state.Timer!.TimerId, at),
        { Phase: WindowPhase.Choosing, Choosing.Capacities.Count: 0 } => new ChoosingOpened(People.ToDictionary(p => p, p => 1 + (x % 2), StringComparer.Ordinal), at),
        { Phase: WindowPhase.Choosing } => (x % 4) switch
        {
            0 => new TimerFired(state.Timer!.TimerId, at),
            1 => new PartnerPicked(People[y % People.Length], [.. People.Skip(x % 3).Take(1 + (y % 3))], Fallback: y % 5 != 0, at),
            _ => new RequestAnswered(People[x % People.Length], People[y % People.Length], Accepted: y % 3 != 0, at),
        },
        { Phase: WindowPhase.Drafting } => new DraftComputed(state.DraftVersion, Summary, at),
        { Phase: WindowPhase.AwaitingDecision } => x % 3 == 0 ? new TimerFired(state.Timer!.TimerId, at) : Decision(state.DraftVersion, y, at),
        { Phase: WindowPhase.Publishing } => new PairsPublished(state.ApprovedVersion!.Value, 3, at),
        { Phase: WindowPhase.Introducing } => new IntrosSent(state.ApprovedVersion!.Value, 3, at),
        _ => delivered[y % delivered.Count],
    };

    private static readonly string[] People = ["p_a", "p_b", "p_c", "p_d", "p_e"];

    /// <summary>Admin-led windows, and now and then a user-led one (approving manually or automatically).</summary>
    private static WindowOpened Opening(int x, DateTimeOffset at) =>
        new("spring", "w1", x % 4 == 0 ? at : at.AddDays(1), Timings, Evergreen: x % 2 == 1, at)
        {
            Choosing = (x % 5) switch
            {
                3 => new ChoosingPlan(TimeSpan.FromDays(2), MaxPicks: 3, AutoApprove: false),
                4 => new ChoosingPlan(TimeSpan.FromDays(2), MaxPicks: 3, AutoApprove: true),
                _ => null,
            },
        };

    private static DecisionReceived Decision(int version, int y, DateTimeOffset at)
    {
        var action = (DecisionAction)(y % 6);
        var named = y % 7 != 0; // now and then a forbid, pin or exclusion that names nobody
        return new DecisionReceived(version, action, $"admin{y % 2}@example.com", at,
            Reason: action == DecisionAction.Reject ? "Not this one" : null,
            Pair: named ? SomePairs[y % SomePairs.Length] : null,
            ParticipantId: named ? $"p_{(char)('a' + y % 4)}" : null);
    }
}
