using Mentoring.Core.Windows;
using Mentoring.Functions.Windows;

namespace Mentoring.Functions.Tests.Windows;

/// <summary>What Durable hands the window's activities: the step's JSON must carry the whole state the shared activities read.</summary>
public sealed class WindowWireTests
{
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static WindowState Apply(WindowState? state, WindowEvent e)
    {
        var decision = MatchingWindowDecider.Decide(state, e);
        Assert.False(decision.Refused, decision.Refusal);
        return decision.State!;
    }

    [Fact]
    public void A_step_carries_how_and_when_each_chosen_pair_formed_and_how_requests_ended_to_the_activity()
    {
        var state = Apply(null, new WindowOpened("prog", "w1", T0, ScriptedOrchestration.Timings, false, T0)
        {
            Choosing = new ChoosingPlan(TimeSpan.FromDays(3), MaxPicks: 2, AutoApprove: false),
        });
        state = Apply(state, new ChoosingOpened(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1, ["c"] = 1, ["d"] = 1 }, T0));
        state = Apply(state, new PartnerPicked("a", ["b"], true, T0.AddHours(1)));
        state = Apply(state, new PartnerPicked("b", ["a"], true, T0.AddHours(3)));
        state = Apply(state, new PartnerPicked("c", ["d"], true, T0.AddHours(4)));
        state = Apply(state, new RequestAnswered("c", "d", false, T0.AddHours(5)));

        var step = WindowWire.ReadStep(WindowWire.Write(new WindowStep(state, new PublishPairs(1))));

        var choosing = step.State.Choosing!;
        Assert.Equal([new FormedPair("a", "b", PairFormedBy.MutualPick, T0.AddHours(3))], choosing.Pairs);
        Assert.Equal(state.Choosing!.Requests, choosing.Requests);
        Assert.Equal(RequestStatus.Declined, choosing.Requests.Single(r => r.From == "c").Status);
        Assert.Equal((T0, T0.AddDays(3)), (step.State.ClosedAt!.Value, choosing.EndsAt!.Value));
    }

    [Fact]
    public void A_step_of_a_mentor_mentee_window_carries_the_sides_and_who_mentors_whom()
    {
        var state = Apply(null, new WindowOpened("prog", "w1", T0, ScriptedOrchestration.Timings, false, T0)
        {
            Choosing = new ChoosingPlan(TimeSpan.FromDays(3), MaxPicks: 2, AutoApprove: false),
        });
        state = Apply(state, new ChoosingOpened(new Dictionary<string, int> { ["mia"] = 2, ["bo"] = 1, ["eve"] = 1 }, T0)
        {
            Roles = new Dictionary<string, ChooserRole> { ["mia"] = ChooserRole.Mentor, ["bo"] = ChooserRole.Mentee, ["eve"] = ChooserRole.Either },
        });
        state = Apply(state, new PartnerPicked("bo", ["mia"], true, T0.AddHours(1)));
        state = Apply(state, new RequestAnswered("bo", "mia", true, T0.AddHours(2)));
        state = Apply(state, new PartnerPicked("mia", ["eve"], true, T0.AddHours(3)));

        var step = WindowWire.ReadStep(WindowWire.Write(new WindowStep(state, new MailPairRequest("mia", "eve"))));

        var choosing = step.State.Choosing!;
        Assert.Equal(state.Choosing!.Roles, choosing.Roles);
        Assert.Equal("mia", Assert.Single(choosing.Pairs).Mentor);
        Assert.Equal(["mia", "mia"], choosing.Requests.Select(r => r.Mentor));
    }
}
