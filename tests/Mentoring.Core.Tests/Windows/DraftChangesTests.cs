using Mentoring.Core.Matching;
using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Windows;
using static Mentoring.Core.Tests.Mail.MailFixtures;

namespace Mentoring.Core.Tests.Windows;

/// <summary>What the draft mail and the dashboard say changed from one version to the next.</summary>
public sealed class DraftChangesTests
{
    private static readonly DraftMember Hal = Member("Hal");
    private static readonly DraftMember Ivy = Member("Ivy");
    private static readonly DraftMember Jo = Member("Jo");
    private static readonly DraftMember Kim = Member("Kim");

    private static DraftGroup Group(params DraftMember[] members) => new(members, 20 * members.Length, [], "They share goals.");

    private static WaitlistEntry Waiting(DraftMember person) => new(person, WaitlistReason.OddCount, $"{person.Name} waits.", false);

    private static StoredDraft Version(int version, IReadOnlyList<DraftPair> pairs, IReadOnlyList<DraftGroup>? trios = null,
        IReadOnlyList<DraftGroup>? groups = null, params DraftMember[] waiting) =>
        new("spring", "w-20270301-0900", version, Draft() with { Pairs = pairs, Trios = trios ?? [], Groups = groups ?? [], Waitlist = [.. waiting.Select(Waiting)] },
            new DraftEditSet(), At.AddHours(version));

    private static WindowState Decided(params DecisionRecord[] decisions) => new()
    {
        ProgramId = "spring",
        WindowId = "w-20270301-0900",
        Phase = WindowPhase.AwaitingDecision,
        Timings = new WindowTimings(TimeSpan.FromHours(48), 3, TimeSpan.FromDays(30)),
        DraftVersion = 2,
        Decisions = decisions,
    };

    [Fact]
    public void Matches_that_went_and_came_are_listed_by_name_and_a_pair_kept_in_another_order_is_not_a_change()
    {
        var v1 = Version(1, [Pair(Ana, Bo, 38, "sql"), Pair(Cy, Di, 34, "sql")], trios: [Group(Ed, Fay, Gus)], waiting: Hal);
        var v2 = Version(2, [Pair(Bo, Ana, 38, "sql"), Pair(Hal, Cy, 31, "sql")], trios: [Group(Di, Ed, Fay)], groups: [Group(Ivy, Jo, Kim, Member("Lu"))], Gus);

        var changes = DraftChanges.Between(v1, v2, state: null);

        Assert.Equal((1, 2), (changes.FromVersion, changes.ToVersion));
        Assert.Equal(["Cy & Di", "Ed, Fay & Gus"], changes.Removed.Select(u => u.Names));
        Assert.Equal([("Hal & Cy", 31), ("Di, Ed & Fay", 60), ("Ivy, Jo, Kim & Lu", 80)], changes.Added.Select(u => (u.Names, u.Score)));
        Assert.Equal(["Gus"], changes.NowWaitlisted.Select(p => p.Name));
        Assert.Equal(["Hal"], changes.NoLongerWaitlisted.Select(p => p.Name));
        Assert.False(changes.Nothing);
        Assert.Null(changes.Cause);
    }

    [Fact]
    public void Two_versions_with_the_same_matches_and_waitlist_change_nothing()
    {
        var v1 = Version(1, [Pair(Ana, Bo, 38, "sql")], trios: [Group(Ed, Fay, Gus)], waiting: Hal);
        var v2 = Version(2, [Pair(Ana, Bo, 38, "sql")], trios: [Group(Gus, Ed, Fay)], waiting: Hal);

        Assert.True(DraftChanges.Between(v1, v2, state: null).Nothing);
    }

    [Fact]
    public void A_pair_gone_because_both_withdrew_is_a_change_even_when_nobody_else_moved()
    {
        var v1 = Version(1, [Pair(Ana, Bo, 38, "sql"), Pair(Cy, Di, 34, "sql")]);
        var v2 = Version(2, [Pair(Ana, Bo, 38, "sql")]);

        var changes = DraftChanges.Between(v1, v2, state: null);

        Assert.Equal(["Cy & Di"], changes.Removed.Select(u => u.Names));
        Assert.False(changes.Nothing);
    }

    [Fact]
    public void People_waiting_in_both_versions_are_not_news_whoever_else_joins_or_leaves_the_waitlist()
    {
        var v1 = Version(1, [Pair(Ana, Bo, 38, "sql")], waiting: [Hal, Ivy, Jo]);
        var v2 = Version(2, [Pair(Ana, Bo, 38, "sql")], waiting: [Ivy, Jo, Kim]);

        var changes = DraftChanges.Between(v1, v2, state: null);

        Assert.Equal(["Kim"], changes.NowWaitlisted.Select(p => p.Name));
        Assert.Equal(["Hal"], changes.NoLongerWaitlisted.Select(p => p.Name));
    }

    [Fact]
    public void A_waitlisted_person_left_out_by_an_admin_is_a_change_even_when_every_match_stayed()
    {
        var v1 = Version(1, [Pair(Ana, Bo, 38, "sql")], waiting: Hal);
        var v2 = Version(2, [Pair(Ana, Bo, 38, "sql")]);

        var changes = DraftChanges.Between(v1, v2, state: null);

        Assert.Equal(["Hal"], changes.NoLongerWaitlisted.Select(p => p.Name));
        Assert.False(changes.Nothing);
    }

    [Fact]
    public void The_cause_is_the_decision_on_the_previous_version_naming_its_pair_as_that_version_knew_them()
    {
        var v1 = Version(1, [Pair(Ana, Bo, 38, "sql")], waiting: Hal);
        var v2 = Version(2, [Pair(Ana, Hal, 36, "sql")], waiting: Bo);
        var forbid = new DecisionRecord(1, DecisionAction.ForbidPair, "lead@example.com", At, "same team", new ParticipantPair(Hal.Id, Ana.Id), null);
        var later = new DecisionRecord(2, DecisionAction.Approve, "hr@example.com", At.AddHours(3), null, null, null);

        var changes = DraftChanges.Between(v1, v2, Decided(forbid, later));

        Assert.Equal(forbid, changes.Cause);
        Assert.Equal("Hal & Ana", changes.CausePair); // Hal was waitlisted in v1 and is still named
    }

    [Fact]
    public void A_pair_with_someone_no_longer_in_the_draft_is_named_by_id_and_a_decision_without_a_pair_names_none()
    {
        var v1 = Version(1, [Pair(Ana, Bo, 38, "sql")]);
        var v2 = Version(2, [Pair(Ana, Bo, 38, "sql")]);
        var pin = new DecisionRecord(1, DecisionAction.PinPair, "lead@example.com", At, null, new ParticipantPair(Ana.Id, "p_gone"), null);
        var rerun = new DecisionRecord(1, DecisionAction.Rerun, "lead@example.com", At, null, null, null);

        Assert.Equal("Ana & p_gone", DraftChanges.Between(v1, v2, Decided(pin)).CausePair);
        var rerunChanges = DraftChanges.Between(v1, v2, Decided(rerun));
        Assert.Equal((rerun, (string?)null), (rerunChanges.Cause, rerunChanges.CausePair));
    }
}
