using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Windows;
using static Mentoring.Core.Tests.Windows.WindowStates;

namespace Mentoring.Core.Tests.Windows;

/// <summary>User-led windows in the decider: choosing, requests, capacity, the deadline fallback and both approvals.</summary>
public sealed class UserLedDeciderTests
{
    private static readonly ChoosingPlan Plan = new(TimeSpan.FromDays(7), MaxPicks: 3, AutoApprove: false);
    private static readonly DateTimeOffset Closed = T0.AddDays(1);
    private static readonly DateTimeOffset Deadline = Closed.AddDays(7);

    private static WindowState Choosing(ChoosingPlan? plan = null, params (string Id, int Capacity)[] people)
    {
        var opened = Opened() with { Choosing = plan ?? Plan };
        var state = Continue(Run(opened), new CloseRequested(Admin, Closed));
        var capacities = (people.Length == 0 ? new[] { ("ana", 1), ("bo", 1), ("cy", 1), ("di", 1) } : people)
            .ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);
        return Continue(state, new ChoosingOpened(capacities, Closed));
    }

    private static WindowDecision Decide(WindowState state, WindowEvent e) => MatchingWindowDecider.Decide(state, e);

    private static PartnerPicked Pick(string who, params string[] picks) => new(who, picks, Fallback: true, Closed.AddHours(1));

    [Fact]
    public void Closing_a_user_led_window_invites_everyone_to_choose_until_the_deadline_instead_of_drafting()
    {
        var state = Continue(Run(Opened() with { Choosing = Plan }), new CloseRequested(Admin, Closed));
        var decision = Decide(Run(Opened() with { Choosing = Plan }), new CloseRequested(Admin, Closed));

        Assert.Equal(WindowPhase.Choosing, state.Phase);
        Assert.Equal(Deadline, state.Choosing!.EndsAt);
        Assert.Equal([new InviteToChoose(Deadline), new ScheduleTimer(MatchingWindowDecider.ChoosingTimer, Deadline)], decision.Commands);
        Assert.Equal(WindowPhase.Drafting, Drafting().Phase); // admin-led windows draft at once, as before
    }

    [Fact]
    public void A_pick_asks_the_other_person_and_their_acceptance_forms_the_pair()
    {
        var asked = Decide(Choosing(), Pick("ana", "bo"));
        Assert.Equal([new MailPairRequest("ana", "bo")], asked.Commands);

        var accepted = Decide(asked.State!, new RequestAnswered("ana", "bo", Accepted: true, Closed.AddHours(2)));

        Assert.Equal([new MailPairFormed("ana", "bo", PairFormedBy.AcceptedRequest)], accepted.Commands);
        var pair = Assert.Single(accepted.State!.Choosing!.Pairs);
        Assert.Equal(("ana", "bo", PairFormedBy.AcceptedRequest), (pair.A, pair.B, pair.By));
        Assert.Equal(RequestStatus.Accepted, Assert.Single(accepted.State.Choosing.Requests).Status);
    }

    [Fact]
    public void Two_people_who_pick_each_other_are_paired_at_once_without_a_request_mail()
    {
        var state = Continue(Choosing(), Pick("ana", "bo"));

        var mutual = Decide(state, Pick("bo", "cy", "ana"));

        // Bo's first pick, Cy, is asked; Ana had already picked Bo, so that pair forms; Bo is then full and the
        // request Bo just sent to Cy lapses without a word to Cy's inbox beyond the request already sent.
        Assert.Equal([new MailPairRequest("bo", "cy"), new MailPairFormed("ana", "bo", PairFormedBy.MutualPick)], mutual.Commands);
        Assert.Equal(PairFormedBy.MutualPick, Assert.Single(mutual.State!.Choosing!.Pairs).By);
        Assert.Equal(RequestStatus.Lapsed, mutual.State.Choosing.Requests.Single(r => r.From == "bo").Status);
        Assert.Equal("This request is no longer open.", Decide(mutual.State, new RequestAnswered("bo", "cy", true, Closed.AddHours(3))).Refusal);
    }

    [Fact]
    public void A_decline_closes_the_request_without_telling_the_requester()
    {
        var state = Continue(Choosing(), Pick("ana", "bo"));

        var declined = Decide(state, new RequestAnswered("ana", "bo", Accepted: false, Closed.AddHours(2)));

        Assert.Empty(declined.Commands);
        Assert.Empty(declined.State!.Choosing!.Pairs);
        Assert.Equal(RequestStatus.Declined, Assert.Single(declined.State.Choosing.Requests).Status);
        Assert.Equal("This request is no longer open.", Decide(declined.State, new RequestAnswered("ana", "bo", true, Closed.AddHours(3))).Refusal);
    }

    [Fact]
    public void Someone_who_reaches_capacity_closes_the_requests_waiting_on_them_with_a_kind_mail_to_each_requester()
    {
        var state = Continue(Choosing(), Pick("ana", "cy"), Pick("bo", "cy"), Pick("di", "cy"));

        var accepted = Decide(state, new RequestAnswered("bo", "cy", Accepted: true, Closed.AddHours(2)));

        Assert.Equal(
            [new MailPairFormed("bo", "cy", PairFormedBy.AcceptedRequest), new MailRequestLapsed("ana", "cy"), new MailRequestLapsed("di", "cy")],
            accepted.Commands);
        Assert.All(accepted.State!.Choosing!.Requests.Where(r => r.From != "bo"), r => Assert.Equal(RequestStatus.Lapsed, r.Status));
        // Ana can no longer be paired with Cy, not even by picking again or by Cy's late click.
        Assert.Equal("This request is no longer open.", Decide(accepted.State, new RequestAnswered("ana", "cy", true, Closed.AddHours(3))).Refusal);
    }

    [Fact]
    public void A_mentor_with_capacity_two_takes_two_requests_and_then_fills_up()
    {
        var state = Continue(Choosing(null, ("mentor", 2), ("a", 1), ("b", 1), ("c", 1)), Pick("a", "mentor"), Pick("b", "mentor"), Pick("c", "mentor"));

        state = Continue(state, new RequestAnswered("a", "mentor", true, Closed.AddHours(2)));
        Assert.Equal(RequestStatus.Open, state.Choosing!.OpenRequest("b", "mentor")!.Status);
        var second = Decide(state, new RequestAnswered("c", "mentor", true, Closed.AddHours(3)));

        Assert.Equal([new MailPairFormed("c", "mentor", PairFormedBy.AcceptedRequest), new MailRequestLapsed("b", "mentor")], second.Commands);
        Assert.Equal(2, second.State!.Choosing!.PairCount("mentor"));
    }

    [Fact]
    public void At_the_deadline_unanswered_requests_lapse_and_the_engine_drafts_around_the_pairs_formed()
    {
        var state = Continue(Choosing(), Pick("ana", "bo"), Pick("cy", "di"),
            new RequestAnswered("ana", "bo", true, Closed.AddHours(2)),
            new PartnerPicked("di", [], Fallback: false, Closed.AddHours(3)));

        var ended = Decide(state, new TimerFired(MatchingWindowDecider.ChoosingTimer, Deadline));

        var edits = new DraftEditSet { PinnedPairs = [new ParticipantPair("ana", "bo")], ExcludedParticipantIds = ["di"] };
        var compute = Assert.IsType<ComputeDraft>(Assert.Single(ended.Commands));
        Assert.Equal(1, compute.Version);
        Assert.Equal(edits.PinnedPairs, compute.Edits.PinnedPairs);
        Assert.Equal(edits.ExcludedParticipantIds, compute.Edits.ExcludedParticipantIds);
        Assert.Equal(WindowPhase.Drafting, ended.State!.Phase);
        Assert.Equal(RequestStatus.Lapsed, ended.State.Choosing!.Requests.Single(r => r.From == "cy").Status);
        Assert.Equal("Choosing is over for this window.", Decide(ended.State, Pick("bo", "cy")).Refusal);
        Assert.Equal("Choosing is over for this window.", Decide(ended.State, new RequestAnswered("cy", "di", true, Deadline.AddMinutes(1))).Refusal);
    }

    [Fact]
    public void A_declined_pair_is_never_drafted_by_the_engine_at_the_deadline_but_an_admin_may_still_pin_it()
    {
        var state = Continue(Choosing(), Pick("ana", "bo"), new RequestAnswered("ana", "bo", Accepted: false, Closed.AddHours(2)),
            Pick("cy", "di"), new RequestAnswered("cy", "di", Accepted: false, Closed.AddHours(3)), Pick("di", "cy"),
            new RequestAnswered("di", "cy", Accepted: true, Closed.AddHours(4)));

        var ended = Decide(state, new TimerFired(MatchingWindowDecider.ChoosingTimer, Deadline));

        // Bo said no to Ana: excluded. Cy said no to Di, then Di asked Cy and Cy said yes: a pair they chose, kept.
        var compute = Assert.IsType<ComputeDraft>(Assert.Single(ended.Commands));
        Assert.Equal([new ParticipantPair("ana", "bo")], compute.Edits.ForbiddenPairs);
        Assert.Equal([new ParticipantPair("di", "cy")], compute.Edits.PinnedPairs);
        var pinned = Continue(ended.State!, new DraftComputed(1, Summary, Deadline));
        var again = Decide(pinned, new DecisionReceived(1, DecisionAction.PinPair, "hr@example.com", Deadline.AddHours(1), Pair: new ParticipantPair("bo", "ana")));
        var recompute = Assert.IsType<ComputeDraft>(Assert.Single(again.Commands));
        Assert.Empty(recompute.Edits.ForbiddenPairs);
        Assert.Contains(new ParticipantPair("bo", "ana"), recompute.Edits.PinnedPairs);
    }

    [Fact]
    public void The_user_led_draft_waits_for_an_admin_unless_the_program_approves_automatically()
    {
        var manual = Continue(Choosing(), new TimerFired(MatchingWindowDecider.ChoosingTimer, Deadline), new DraftComputed(1, Summary, Deadline));
        Assert.Equal(WindowPhase.AwaitingDecision, manual.Phase);

        var auto = Continue(Choosing(Plan with { AutoApprove = true }), new TimerFired(MatchingWindowDecider.ChoosingTimer, Deadline));
        var published = Decide(auto, new DraftComputed(1, Summary, Deadline));

        Assert.Equal(WindowPhase.Publishing, published.State!.Phase);
        Assert.Equal(1, published.State.ApprovedVersion);
        Assert.Equal(MatchingWindowDecider.AutoApprover, Assert.Single(published.State.Decisions).By);
        Assert.Equal("The program approves user-led drafts automatically.", published.State.Decisions[0].Reason);
        Assert.Equal([new PublishPairs(1)], published.Commands);
    }

    [Fact]
    public void Choices_that_break_the_rules_are_refused_and_change_nothing()
    {
        var state = Continue(Choosing(), Pick("ana", "bo"));

        Assert.Equal("Only people invited to this window can choose.", Decide(state, Pick("zed", "bo")).Refusal);
        Assert.Equal("You already sent your choice for this window.", Decide(state, Pick("ana", "cy")).Refusal);
        Assert.Equal("Pick at most 3 people.", Decide(state, Pick("bo", "ana", "cy", "di", "zed")).Refusal);
        Assert.Equal("Pick from the people suggested to you in this window.", Decide(state, Pick("bo", "bo")).Refusal);
        Assert.Equal("Pick from the people suggested to you in this window.", Decide(state, Pick("bo", "zed")).Refusal);
        Assert.Equal("This request is no longer open.", Decide(state, new RequestAnswered("bo", "ana", true, Closed)).Refusal);
        Assert.Equal("The invitations to choose already went out.", Decide(state, new ChoosingOpened(new Dictionary<string, int> { ["x"] = 1 }, Closed)).Refusal);
        Assert.Equal("Choosing is over for this window.", Decide(AwaitingV1(), Pick("ana", "bo")).Refusal);
        var beforeInvites = Continue(Run(Opened() with { Choosing = Plan }), new CloseRequested(Admin, Closed));
        Assert.Equal("Choosing is over for this window.", Decide(beforeInvites, Pick("ana", "bo")).Refusal);
    }

    [Fact]
    public void A_redelivered_pick_or_answer_sends_no_second_mail()
    {
        var pick = Pick("ana", "bo");
        var answer = new RequestAnswered("ana", "bo", true, Closed.AddHours(2));
        var state = Continue(Choosing(), pick, answer);

        Assert.True(Decide(state, pick).Refused);
        Assert.True(Decide(state, answer).Refused);
        Assert.Empty(Decide(state, answer).Commands);
    }

    [Fact]
    public void Every_user_led_command_has_a_stable_key()
    {
        Assert.Equal("choose-invite", new InviteToChoose(Deadline).Key);
        Assert.Equal("request:ana>bo", new MailPairRequest("ana", "bo").Key);
        Assert.Equal("formed:ana+bo", new MailPairFormed("bo", "ana", PairFormedBy.MutualPick).Key);
        Assert.Equal("lapsed:ana>bo", new MailRequestLapsed("ana", "bo").Key);
    }

    [Fact]
    public void Someone_with_no_room_left_is_not_among_the_people_who_may_choose()
    {
        var full = Choosing(Plan, ("ana", 1), ("bo", 0), ("cy", 1));

        Assert.Equal(["ana", "cy"], full.Choosing!.Capacities.Keys.Order(StringComparer.Ordinal));
        Assert.True(Decide(full, Pick("bo", "ana")).Refused);
    }
}
