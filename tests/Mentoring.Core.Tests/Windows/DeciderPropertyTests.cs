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

    [Fact]
    public void Random_choosing_exchanges_of_a_mentor_mentee_window_keep_capacities_and_sides()
    {
        // Only picks and answers, so that long exchanges happen: mentors fill up, "either" people take a side.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Check.One(Runs, Prop.ForAll(Sequences, (int[] numbers) =>
        {
            var state = Continue(Run(Opening(3, T0)), new CloseRequested(Admin, T0.AddDays(1)));
            state = Continue(state, MoveOn(state, [], x: 1 + 2 * (numbers[0] % 2), y: 1, T0.AddDays(1)));
            for (var i = 0; i + 2 < numbers.Length; i += 3)
            {
                var e = MoveOn(state, [], x: 1 + numbers[i + 1] - (numbers[i + 1] % 8) + (numbers[i] % 7), numbers[i + 2], T0.AddDays(1).AddMinutes(i));
                var decision = MatchingWindowDecider.Decide(state, e);
                if (!decision.Refused)
                {
                    state = decision.State!;
                    AssertChoosingHolds(state.Choosing!, state.Phase, $"after {e}");
                }
            }
            var choosing = state.Choosing!;
            if (choosing.Pairs.Any(p => choosing.Roles.GetValueOrDefault(p.Other(p.Mentor!)) == ChooserRole.Either))
            {
                seen.Add("either mentored");
            }
            if (choosing.Capacities.Any(c => c.Value == 2 && choosing.PairCount(c.Key) == 2))
            {
                seen.Add("mentor full at two");
            }
            if (choosing.Requests.Any(r => r.Status == RequestStatus.Lapsed))
            {
                seen.Add("request lapsed");
            }
        }));

        Assert.Equal(["either mentored", "mentor full at two", "request lapsed"], seen.Order(StringComparer.Ordinal));
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
                    case ComputeDraft compute when decision.State.Choosing is { } asked:
                        // No declined pair in the deadline draft (or any later version) unless they paired after all or an admin pinned it.
                        Assert.All(asked.Requests.Where(r => r.Status == RequestStatus.Declined && !asked.Paired(r.From, r.To)), r => Assert.True(
                            compute.Edits.ForbiddenPairs.Concat(compute.Edits.PinnedPairs).Any(p => (p.A, p.B) == (r.From, r.To) || (p.A, p.B) == (r.To, r.From)),
                            $"declined {r.Id} open to the engine, {trace}"));
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
            if (decision.State.Choosing is { Capacities.Count: > 0 } choosing)
            {
                AssertChoosingHolds(choosing, decision.State.Phase, trace);
            }
            state = decision.State;
            reached.Add(state.Phase);
        }
    }

    /// <summary>Nobody past their capacity, no pair twice, no open request that could no longer become a pair, and (roles) every pair a mentor and a mentee.</summary>
    private static void AssertChoosingHolds(ChoosingState choosing, WindowPhase phase, string trace)
    {
        foreach (var (id, capacity) in choosing.Capacities)
        {
            var limit = choosing.RoleOf(id) == ChooserRole.Mentee ? 1 : capacity;
            Assert.True(choosing.PairCount(id) <= limit, $"{id} holds {choosing.PairCount(id)} pairs, more than {limit}, {trace}");
        }
        var pairs = choosing.Pairs.Select(p => string.Join("+", new[] { p.A, p.B }.Order(StringComparer.Ordinal))).ToList();
        Assert.True(pairs.Count == pairs.Distinct(StringComparer.Ordinal).Count(), $"a pair formed twice, {trace}");
        if (phase == WindowPhase.Choosing)
        {
            Assert.All(choosing.Requests.Where(r => r.Status == RequestStatus.Open), r => Assert.True(choosing.StillPossible(r), $"request {r.Id} open but impossible, {trace}"));
        }
        if (choosing.Roles.Count > 0)
        {
            var mentors = choosing.Pairs.Select(p => p.Mentor!).ToHashSet(StringComparer.Ordinal);
            var mentees = choosing.Pairs.Select(p => p.Other(p.Mentor!)).ToList();
            Assert.True(mentees.Count == mentees.Distinct(StringComparer.Ordinal).Count(), $"a mentee with two mentors, {trace}");
            Assert.All(mentees, m => Assert.True(!mentors.Contains(m) && choosing.Roles[m] != ChooserRole.Mentor, $"{m} is both mentor and mentee, {trace}"));
            Assert.All(mentors, m => Assert.NotEqual(ChooserRole.Mentee, choosing.Roles[m]));
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
        // Peer windows, and now and then a mentor/mentee one (two mentors, a mentee, two who said either).
        { Phase: WindowPhase.Choosing, Choosing.Capacities.Count: 0 } => new ChoosingOpened(People.ToDictionary(p => p, p => 1 + (x % 2), StringComparer.Ordinal), at)
        {
            Roles = y % 2 == 0 ? null : new Dictionary<string, ChooserRole>(StringComparer.Ordinal)
            {
                ["p_a"] = ChooserRole.Mentor, ["p_b"] = ChooserRole.Mentee, ["p_c"] = ChooserRole.Either, ["p_d"] = ChooserRole.Mentor, ["p_e"] = ChooserRole.Either,
            },
        },
        // The deadline now and then; mostly picks and answers, so that pairs form and capacities fill up.
        { Phase: WindowPhase.Choosing } => (x % 8) switch
        {
            0 => new TimerFired(state.Timer!.TimerId, at),
            1 or 2 or 3 => new PartnerPicked(People[y % People.Length], [.. People.Where(p => x % 7 == 0 || p != People[y % People.Length]).Skip(x % 3).Take(1 + (y % 3))],
                Fallback: y % 5 != 0, at),
            // Mostly an answer to a request that is open (so pairs form and capacities fill), sometimes to any two people.
            _ when state.Choosing!.Requests.Where(r => r.Status == RequestStatus.Open).ToList() is { Count: > 0 } open && x % 5 != 0 =>
                new RequestAnswered(open[y % open.Count].From, open[y % open.Count].To, Accepted: y % 3 != 0, at),
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
