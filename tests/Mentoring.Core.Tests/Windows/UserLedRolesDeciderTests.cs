using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Windows;
using static Mentoring.Core.Tests.Windows.WindowStates;

namespace Mentoring.Core.Tests.Windows;

/// <summary>User-led windows of mentor/mentee programs: picks cross sides, mentors fill up to capacity, mentees once.</summary>
public sealed class UserLedRolesDeciderTests
{
    private static readonly ChoosingPlan Plan = new(TimeSpan.FromDays(7), MaxPicks: 3, AutoApprove: false);
    private static readonly DateTimeOffset Closed = T0.AddDays(1);
    private static readonly DateTimeOffset Deadline = Closed.AddDays(7);

    /// <summary>Mentors Mia (capacity 2) and Max (1); mentees Bo, Cy, Di; Eve said either (capacity 2), as did Fay (1).</summary>
    private static WindowState Choosing()
    {
        var state = Continue(Run(Opened() with { Choosing = Plan }), new CloseRequested(Admin, Closed));
        var people = new (string Id, int Capacity, ChooserRole Role)[]
        {
            ("mia", 2, ChooserRole.Mentor), ("max", 1, ChooserRole.Mentor),
            ("bo", 1, ChooserRole.Mentee), ("cy", 1, ChooserRole.Mentee), ("di", 1, ChooserRole.Mentee),
            ("eve", 2, ChooserRole.Either), ("fay", 1, ChooserRole.Either),
        };
        return Continue(state, new ChoosingOpened(people.ToDictionary(p => p.Id, p => p.Capacity, StringComparer.Ordinal), Closed)
        {
            Roles = people.ToDictionary(p => p.Id, p => p.Role, StringComparer.Ordinal),
        });
    }

    private static WindowDecision Decide(WindowState state, WindowEvent e) => MatchingWindowDecider.Decide(state, e);

    private static PartnerPicked Pick(string who, params string[] picks) => new(who, picks, Fallback: true, Closed.AddHours(1));

    private static RequestAnswered Accept(string from, string to, int hour = 2) => new(from, to, Accepted: true, Closed.AddHours(hour));

    [Fact]
    public void A_mentee_asks_a_mentor_and_the_mentors_acceptance_makes_them_the_mentor_and_ends_the_mentees_choosing()
    {
        var state = Continue(Choosing(), Pick("bo", "mia", "max"));
        Assert.Equal(["mia", "max"], state.Choosing!.Requests.Select(r => r.Mentor));

        var accepted = Decide(state, Accept("bo", "mia"));

        // Bo holds one mentor: the request Bo sent to Max closes without a word to Max or to Bo.
        Assert.Equal([new MailPairFormed("bo", "mia", PairFormedBy.AcceptedRequest)], accepted.Commands);
        var pair = Assert.Single(accepted.State!.Choosing!.Pairs);
        Assert.Equal("mia", pair.Mentor);
        Assert.Equal(RequestStatus.Lapsed, accepted.State.Choosing.Requests.Single(r => r.To == "max").Status);
        Assert.True(accepted.State.Choosing.IsFull("bo"));
        Assert.False(accepted.State.Choosing.IsFull("mia"));
    }

    [Fact]
    public void A_mentor_and_a_mentee_who_pick_each_other_are_paired_at_once_with_the_mentor_as_mentor()
    {
        var state = Continue(Choosing(), Pick("mia", "cy"));
        Assert.Equal("mia", Assert.Single(state.Choosing!.Requests).Mentor); // the mentor's pick asks the mentee

        var mutual = Decide(state, Pick("cy", "mia"));

        Assert.Equal([new MailPairFormed("mia", "cy", PairFormedBy.MutualPick)], mutual.Commands);
        var pair = Assert.Single(mutual.State!.Choosing!.Pairs);
        Assert.Equal(("mia", PairFormedBy.MutualPick), (pair.Mentor, pair.By));
    }

    [Fact]
    public void Each_accepted_request_uses_one_unit_of_the_mentors_capacity_and_the_last_unit_lapses_the_rest_kindly()
    {
        // Mia (capacity 2) is asked by three mentees and has herself asked Eve to be her mentee.
        var state = Continue(Choosing(), Pick("bo", "mia"), Pick("cy", "mia"), Pick("di", "mia"), Pick("mia", "eve"), Accept("bo", "mia"));
        Assert.Equal(1, state.Choosing!.PairCount("mia"));
        Assert.Equal(3, state.Choosing.Requests.Count(r => r.Status == RequestStatus.Open));

        var full = Decide(state, Accept("cy", "mia", hour: 3));

        // Di waited on Mia: a kind mail. Mia's own request to Eve closes silently (Eve was asked, not waiting).
        Assert.Equal([new MailPairFormed("cy", "mia", PairFormedBy.AcceptedRequest), new MailRequestLapsed("di", "mia")], full.Commands);
        Assert.Equal(2, full.State!.Choosing!.PairCount("mia"));
        Assert.All(full.State.Choosing.Requests.Where(r => r.From is "di" or "mia"), r => Assert.Equal(RequestStatus.Lapsed, r.Status));
        Assert.Equal("This request is no longer open.", Decide(full.State, Accept("di", "mia", hour: 4)).Refusal);
        Assert.Equal("This request is no longer open.", Decide(full.State, Accept("mia", "eve", hour: 4)).Refusal);
    }

    [Fact]
    public void Someone_who_said_either_plays_the_side_of_their_first_pair_and_requests_for_the_other_side_lapse()
    {
        // Bo asks Eve to mentor him; Max asks to mentor Eve. Eve accepts Max: she is a mentee now, with one mentor.
        var state = Continue(Choosing(), Pick("bo", "eve"), Pick("max", "eve"));
        Assert.Equal(["eve", "max"], state.Choosing!.Requests.Select(r => r.Mentor));

        var accepted = Decide(state, Accept("max", "eve"));

        Assert.Equal([new MailPairFormed("max", "eve", PairFormedBy.AcceptedRequest), new MailRequestLapsed("bo", "eve") { OtherSide = true }], accepted.Commands);
        var choosing = accepted.State!.Choosing!;
        Assert.Equal(ChooserRole.Mentee, choosing.RoleOf("eve"));
        Assert.True(choosing.IsFull("eve")); // capacity 2 as a mentor, but a mentee holds one mentor
        Assert.Null(choosing.MentorOf("cy", "eve")); // nor can another mentee pick her any more
    }

    [Fact]
    public void An_either_person_who_mentors_can_no_longer_be_mentored_but_keeps_their_remaining_capacity()
    {
        var state = Continue(Choosing(), Pick("bo", "eve"), Pick("mia", "eve"), Pick("cy", "eve"));

        var accepted = Decide(state, Accept("bo", "eve"));

        // Eve mentors Bo: Mia's offer to mentor her can no longer be taken, and Mia, who waited on Eve, gets the kind mail.
        // Cy's request to Eve stays open: Eve has room for one more mentee.
        Assert.Equal([new MailPairFormed("bo", "eve", PairFormedBy.AcceptedRequest), new MailRequestLapsed("mia", "eve") { OtherSide = true }], accepted.Commands);
        var choosing = accepted.State!.Choosing!;
        Assert.Equal(ChooserRole.Mentor, choosing.RoleOf("eve"));
        Assert.Equal(RequestStatus.Open, choosing.OpenRequest("cy", "eve")!.Status);
        Assert.Equal("eve", choosing.MentorOf("di", "eve"));
    }

    [Fact]
    public void Picks_must_cross_sides_and_two_people_who_both_said_either_cannot_pick_each_other()
    {
        var state = Choosing();
        const string Refusal = "Pick from the people suggested to you in this window.";

        Assert.Equal(Refusal, Decide(state, Pick("bo", "cy")).Refusal); // two mentees
        Assert.Equal(Refusal, Decide(state, Pick("mia", "max")).Refusal); // two mentors
        Assert.Equal(Refusal, Decide(state, Pick("eve", "fay")).Refusal); // who would mentor whom?
        Assert.False(Decide(state, Pick("eve", "max", "bo")).Refused); // either picks a mentor and a mentee
    }

    [Fact]
    public void Invitations_in_a_roles_program_must_give_everyone_a_role()
    {
        var state = Continue(Run(Opened() with { Choosing = Plan }), new CloseRequested(Admin, Closed));
        var capacities = new Dictionary<string, int>(StringComparer.Ordinal) { ["mia"] = 2, ["bo"] = 1 };

        var decision = Decide(state, new ChoosingOpened(capacities, Closed) { Roles = new Dictionary<string, ChooserRole> { ["mia"] = ChooserRole.Mentor } });

        Assert.Equal("In a mentor/mentee program everyone invited needs a role.", decision.Refusal);
    }

    [Fact]
    public void At_the_deadline_the_pairs_are_pinned_mentor_first_and_a_mentor_who_opted_out_keeps_only_their_own_mentees()
    {
        var state = Continue(Choosing(),
            Pick("bo", "mia"), Accept("bo", "mia"),
            Pick("max", "cy"), Accept("max", "cy"),
            new PartnerPicked("mia", [], Fallback: false, Closed.AddHours(3)), // Mia has Bo and wants nobody else
            new PartnerPicked("di", [], Fallback: false, Closed.AddHours(3)), // Di wants no engine match at all
            Pick("fay", "mia"));

        var ended = Decide(state, new TimerFired(MatchingWindowDecider.ChoosingTimer, Deadline));

        var compute = Assert.IsType<ComputeDraft>(Assert.Single(ended.Commands));
        Assert.Equal([new ParticipantPair("mia", "bo"), new ParticipantPair("max", "cy")], compute.Edits.PinnedPairs);
        Assert.Equal(["di"], compute.Edits.ExcludedParticipantIds);
        Assert.Equal(["mia"], compute.Edits.PinnedOnlyParticipantIds);
        Assert.Equal(RequestStatus.Lapsed, ended.State!.Choosing!.Requests.Single(r => r.From == "fay").Status);
    }
}
