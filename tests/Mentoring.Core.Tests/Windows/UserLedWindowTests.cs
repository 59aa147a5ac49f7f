using System.Text.RegularExpressions;
using Mentoring.Core.Choosing;
using Mentoring.Core.Mail;
using Mentoring.Core.Persistence;
using Mentoring.Core.Tests.Workflow;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Tests.Windows;

/// <summary>
/// A user-led peer program on the embedded store and window runner: what people receive while they choose (their
/// invitation, requests, the news of a pair, a request that closed) and what the round publishes.
/// </summary>
public sealed partial class UserLedWindowTests : IDisposable
{
    private const string Spring = EmbeddedProgram.ProgramId;
    /// <summary>Three choosing days from the window's close (Mon 1 Mar 2027, 09:00 UTC), as people read it.</summary>
    private const string Deadline = "Thu 4 Mar 2027, 10:00 (Europe/Berlin)";
    private static readonly DateTimeOffset EndsAt = EmbeddedProgram.T0.AddDays(3);
    private readonly EmbeddedProgram program = new();
    private IReadOnlyList<string> people = [];
    private string windowId = "";

    public void Dispose() => program.Dispose();

    private DateTimeOffset Now => program.Clock.GetUtcNow();

    /// <summary>A user-led program with <paramref name="count"/> people ("Person 00"...), whose window closes now: choosing starts.</summary>
    private async Task OpenAsync(int count, bool autoApprove = false, DateTimeOffset? closesAt = null)
    {
        await program.CreateProgramAsync(extra: $$"""
            "choosing": { "mode": "userLed", "suggestions": 4, "maxPicks": 2, "choosingDays": 3, "autoApprove": {{(autoApprove ? "true" : "false")}} },
            """);
        people = await program.RegisterAsync(count);
        windowId = (await program.Windows.OpenAsync(Spring, closesAt)).View.State.WindowId;
    }

    private static string Email(int i) => $"person{i:D2}@example.com";

    private static string Name(int i) => $"Person {i:D2}";

    private IReadOnlyList<MailMessage> MailsTo(int i) => [.. program.Mailer.OfCategory(ChoosingMail.Category).Where(m => m.To.Single().Email == Email(i))];

    private IReadOnlyList<MailMessage> MailsTo(int i, string subject) => [.. MailsTo(i).Where(m => m.Subject.Contains(subject, StringComparison.Ordinal))];

    [GeneratedRegex(@"/api/(?:choose|pair-requests)/([A-Za-z0-9_\-\.]+)")]
    private static partial Regex LinkToken();

    private static string TokenIn(MailMessage mail) => LinkToken().Match(mail.HtmlBody).Groups[1].Value;

    private Task Pick(int who, bool fallback, params int[] picks) =>
        program.Host.RaiseAsync(Spring, windowId, new PartnerPicked(people[who], [.. picks.Select(p => people[p])], fallback, Now));

    private Task Answer(int from, int to, bool accept) =>
        program.Host.RaiseAsync(Spring, windowId, new RequestAnswered(people[from], people[to], accept, Now));

    private async Task<ChoosingState> Choosing() => (await program.StateAsync(windowId))!.Choosing!;

    private WindowActivities Activities() =>
        new(program.Store, program.Programs, program.Registry, program.Mailer, program.Links, program.Clock, program.ChoosingLinks);

    [Fact]
    public async Task Everyone_is_invited_once_to_their_own_page_of_suggestions_open_until_the_deadline()
    {
        await OpenAsync(8);

        var state = (await program.StateAsync(windowId))!;
        Assert.Equal((WindowPhase.Choosing, EndsAt), (state.Phase, state.Choosing!.EndsAt));
        Assert.Equal(people.Order(StringComparer.Ordinal), state.Choosing.Capacities.Keys.Order(StringComparer.Ordinal));
        Assert.All(state.Choosing.Capacities.Values, capacity => Assert.Equal(1, capacity));
        Assert.Empty(state.Choosing.Roles);
        for (var i = 0; i < people.Count; i++)
        {
            var invite = Assert.Single(MailsTo(i));
            Assert.Equal($"[Spring buddies] Choose your mentoring partner by {Deadline}", invite.Subject);
            Assert.Contains($"Hi {Name(i)},", invite.TextBody, StringComparison.Ordinal);
            var (grant, _) = program.ChoosingLinks.Verify(TokenIn(invite), ChoosingAction.Choose, Now);
            Assert.Equal((Spring, windowId, people[i], EndsAt), (grant!.ProgramId, grant.WindowId, grant.ParticipantId, grant.ExpiresAt));
            var page = await program.Choosing.ViewChoiceAsync(TokenIn(invite));
            Assert.Equal((ChoosingOutcome.Confirm, Name(i), 2, Deadline), (page.Outcome, page.ParticipantName, page.MaxPicks, page.Deadline));
            Assert.Equal(4, page.Suggestions.Count);
            Assert.DoesNotContain(people[i], page.Suggestions.Select(s => s.ParticipantId));
            // Beyond the four shown, the page keeps spares for when people fill up: here everyone else.
            var sheet = (await program.Store.ReadAsync<ChoiceSheet>(ChoiceSheet.KeyOf(Spring, windowId, people[i])))!.Value;
            Assert.Equal((Name(i), EndsAt, 7), (sheet.Name, sheet.EndsAt, sheet.Suggestions.Count));
        }
        Assert.Empty(program.Mailer.OfCategory(MailCategories.Draft)); // no draft while people choose
    }

    [Fact]
    public async Task Invitations_sent_again_after_a_crash_reach_nobody_twice()
    {
        await OpenAsync(4);
        var state = (await program.StateAsync(windowId))!;
        program.Clock.Advance(TimeSpan.FromMinutes(5));

        var again = (ChoosingOpened)(await Activities().ExecuteAsync(state, new InviteToChoose(EndsAt)))!;

        Assert.Equal(4, program.Mailer.OfCategory(ChoosingMail.Category).Count);
        Assert.Equal(state.Choosing!.Capacities.OrderBy(c => c.Key, StringComparer.Ordinal), again.Capacities.OrderBy(c => c.Key, StringComparer.Ordinal));
        Assert.Null(again.Roles);
        Assert.Equal(Now, again.At);
    }

    [Fact]
    public async Task A_host_without_choosing_links_fails_loudly_instead_of_inviting_people_without_a_link()
    {
        await OpenAsync(2);
        var state = (await program.StateAsync(windowId))!;
        var withoutLinks = new WindowActivities(program.Store, program.Programs, program.Registry, program.Mailer, program.Links, program.Clock);

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => withoutLinks.ExecuteAsync(state, new InviteToChoose(EndsAt)));

        Assert.Equal("User-led windows need ChoosingLinks registered.", failed.Message);
    }

    [Fact]
    public async Task A_pick_asks_the_person_picked_once_with_what_they_have_in_common_and_until_when()
    {
        await OpenAsync(5);
        program.Clock.Advance(TimeSpan.FromHours(5));

        var chosen = await program.Choosing.ChooseAsync(TokenIn(MailsTo(0)[0]), [people[1]], fallback: true);

        Assert.Equal(ChoosingOutcome.Applied, chosen.Outcome);
        var request = Assert.Single(MailsTo(1, "would like"));
        Assert.Equal("[Spring buddies] Person 00 would like to be your mentoring partner", request.Subject);
        Assert.Contains("Person 00 picked you as a partner in Spring buddies.", request.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Unanswered requests close {Deadline}.", request.TextBody, StringComparison.Ordinal);
        var (grant, _) = program.ChoosingLinks.Verify(TokenIn(request), ChoosingAction.Answer, Now);
        Assert.Equal((people[0], people[1], EndsAt), (grant!.From, grant.ParticipantId, grant.ExpiresAt));
        var page = await program.Choosing.ViewRequestAsync(TokenIn(request));
        Assert.Equal((ChoosingOutcome.Confirm, "Person 00", "Person 01"), (page.Outcome, page.FromName, page.ParticipantName));
        // What the two have in common, worded as Person 01's own page words it (their side first).
        var sheet = (await program.Store.ReadAsync<ChoiceSheet>(ChoiceSheet.KeyOf(Spring, windowId, people[1])))!.Value;
        var reasons = sheet.Suggestions.Single(s => s.ParticipantId == people[0]).Reasons;
        Assert.Equal(["department: different department (Engineering and Sales)", "level: level one step apart (2 and 1)"], reasons);
        Assert.Contains("WHAT YOU HAVE IN COMMON\n\n" + string.Concat(reasons.Select(r => $"  - {r}\n")), request.TextBody, StringComparison.Ordinal);

        // The same choice delivered again (a double click, a redelivery) asks nobody twice.
        await Pick(0, fallback: true, 1);
        Assert.Single(MailsTo(1, "would like"));
        Assert.Empty(MailsTo(0, "would like"));
        Assert.Empty(await program.PendingCommandsAsync(windowId));
    }

    [Fact]
    public async Task Accepting_a_request_pairs_both_people_and_kindly_closes_the_requests_still_waiting_on_the_one_now_full()
    {
        await OpenAsync(5);
        await Pick(0, fallback: true, 1);
        await Pick(2, fallback: false, 1);
        await Pick(3, fallback: true, 1, 4);
        await Pick(1, fallback: true, 4); // Person 01's own request closes silently once they are full
        program.Clock.Advance(TimeSpan.FromHours(2));

        var page = await program.Choosing.AnswerAsync(TokenIn(MailsTo(1, "Person 00 would like")[0]), accept: true);

        Assert.Equal(ChoosingOutcome.Applied, page.Outcome);
        foreach (var (to, partner) in new[] { (0, 1), (1, 0) })
        {
            var formed = Assert.Single(MailsTo(to, "are a pair"));
            Assert.Equal($"[Spring buddies] You and {Name(partner)} are a pair", formed.Subject);
            Assert.Contains($"Hi {Name(to)},", formed.TextBody, StringComparison.Ordinal);
            Assert.Contains("follows once the program team has approved this round's pairs", formed.TextBody, StringComparison.Ordinal);
        }
        var onlyPicks = Assert.Single(MailsTo(2, "fully matched"));
        Assert.Equal("[Spring buddies] Person 01 is fully matched", onlyPicks.Subject);
        Assert.Contains("You asked to be paired only with people you picked.", onlyPicks.TextBody, StringComparison.Ordinal);
        var withFallback = Assert.Single(MailsTo(3, "fully matched"));
        Assert.Contains($"we will match you with someone who fits you well when choosing closes, {Deadline}.", withFallback.TextBody, StringComparison.Ordinal);
        Assert.Empty(MailsTo(0, "fully matched"));
        Assert.Empty(MailsTo(1, "fully matched"));
        Assert.Empty(MailsTo(4, "fully matched"));
        var requests = (await Choosing()).Requests.ToDictionary(r => r.Id, r => r.Status, StringComparer.Ordinal);
        Assert.Equal(RequestStatus.Accepted, requests[PairRequest.RequestId(people[0], people[1])]);
        Assert.Equal(RequestStatus.Lapsed, requests[PairRequest.RequestId(people[2], people[1])]);
        Assert.Equal(RequestStatus.Lapsed, requests[PairRequest.RequestId(people[1], people[4])]);
        Assert.Equal(RequestStatus.Open, requests[PairRequest.RequestId(people[3], people[4])]);
        Assert.Empty(await program.PendingCommandsAsync(windowId));
    }

    [Fact]
    public async Task Two_people_who_pick_each_other_are_a_pair_at_once_and_hear_that_the_intro_comes_when_choosing_closes()
    {
        await OpenAsync(4, autoApprove: true);
        program.Clock.Advance(TimeSpan.FromHours(1));
        await Pick(0, fallback: true, 1);
        program.Clock.Advance(TimeSpan.FromHours(1));

        await Pick(1, fallback: true, 0);

        Assert.Single(MailsTo(1, "would like")); // Person 00 picked first, so Person 01 was asked
        Assert.Empty(MailsTo(0, "would like"));
        foreach (var (to, partner) in new[] { (0, 1), (1, 0) })
        {
            var formed = Assert.Single(MailsTo(to, "are a pair"));
            Assert.Equal($"[Spring buddies] You and {Name(partner)} are a pair", formed.Subject);
            Assert.Contains("follows when choosing closes", formed.TextBody, StringComparison.Ordinal);
        }
        var pair = Assert.Single((await Choosing()).Pairs);
        Assert.Equal((PairFormedBy.MutualPick, Now), (pair.By, pair.At));
    }

    [Fact]
    public async Task Nobody_is_asked_for_or_told_about_a_pair_with_someone_who_withdrew_before_the_mail_went()
    {
        await OpenAsync(6);
        program.Activities.Fails = c => c is MailPairRequest or MailPairFormed;
        await Pick(0, fallback: true, 1); // the request to Person 01 is held up
        await Pick(2, fallback: true, 3);
        await Pick(3, fallback: true, 2); // a pair: the news to both is held up
        await Pick(4, fallback: true, 5);
        await program.Registry.WithdrawAsync(Spring, people[0]);
        await program.Registry.WithdrawAsync(Spring, people[3]);
        await program.Registry.WithdrawAsync(Spring, people[5]);
        program.Activities.Fails = _ => false;

        await program.PassAsync(TimeSpan.FromMinutes(1));

        Assert.Empty(MailsTo(1, "would like"));
        Assert.Empty(MailsTo(2, "are a pair"));
        Assert.Empty(MailsTo(3, "are a pair"));
        Assert.Empty(MailsTo(5, "would like"));
        // The commands completed: nothing is left for admins as failed work.
        Assert.Empty(await program.PendingCommandsAsync(windowId));
    }

    [Fact]
    public async Task A_closed_request_is_not_mailed_about_when_either_person_has_withdrawn()
    {
        await OpenAsync(4);
        await Pick(0, fallback: true, 1);
        await Pick(2, fallback: true, 3);
        await program.Registry.WithdrawAsync(Spring, people[0]);
        await program.Registry.WithdrawAsync(Spring, people[3]);
        var state = (await program.StateAsync(windowId))!;
        var sent = program.Mailer.Sent.Count;

        Assert.Null(await Activities().ExecuteAsync(state, new MailRequestLapsed(people[0], people[1])));
        Assert.Null(await Activities().ExecuteAsync(state, new MailRequestLapsed(people[2], people[3])));

        Assert.Equal(sent, program.Mailer.Sent.Count);
    }

    [Fact]
    public async Task Published_matches_say_how_each_pair_formed_and_the_round_counts_requests_by_outcome()
    {
        await OpenAsync(8);
        program.Clock.Advance(TimeSpan.FromHours(1));
        await Pick(0, fallback: true, 1);
        program.Clock.Advance(TimeSpan.FromHours(1));
        var mutualAt = Now;
        await Pick(1, fallback: true, 0);
        await Pick(2, fallback: true, 3);
        program.Clock.Advance(TimeSpan.FromHours(1));
        var acceptedAt = Now;
        await Answer(2, 3, accept: true);
        await Pick(4, fallback: true, 5);
        await Answer(4, 5, accept: false); // Person 04 is never told
        await Pick(6, fallback: true, 7); // never answered: lapses at the deadline

        await program.PassAsync(TimeSpan.FromDays(3));
        Assert.Equal(WindowPhase.AwaitingDecision, (await program.StateAsync(windowId))!.Phase);
        await program.Host.RaiseAsync(Spring, windowId, new DecisionReceived(1, DecisionAction.Approve, "hr@example.com", Now));

        var matches = (await program.Store.QueryAllAsync<PublishedMatch>(Spring, WindowDocuments.MatchKind)).Select(m => m.Value)
            .ToDictionary(m => string.Join("+", m.Members.Select(x => people.ToList().IndexOf(x.ParticipantId)).Order()), StringComparer.Ordinal);
        Assert.Equal((PairOrigin.MutualPick, mutualAt), (matches["0+1"].FormedBy, matches["0+1"].FormedAt));
        Assert.Equal((PairOrigin.AcceptedRequest, acceptedAt), (matches["2+3"].FormedBy, matches["2+3"].FormedAt));
        Assert.Equal(4, matches.Count);
        Assert.DoesNotContain("4+5", matches.Keys); // a decline is a "no" to the engine too
        Assert.All(matches.Where(m => m.Key is not ("0+1" or "2+3")).Select(m => m.Value), m => Assert.Equal((PairOrigin.Fallback, EndsAt), (m.FormedBy, m.FormedAt)));
        Assert.Empty(MailsTo(4, "fully matched"));
        var round = (await program.Store.ReadAsync<RoundResult>(WindowDocuments.Round(Spring, windowId)))!.Value;
        Assert.Equal(new ChoosingRound(EmbeddedProgram.T0, EndsAt, Requests: 4, Accepted: 2, Declined: 1, Lapsed: 1), round.Choosing);
    }

    [Fact]
    public async Task A_window_that_closes_later_counts_its_choosing_round_from_the_close_and_cannot_be_closed_twice()
    {
        var closes = EmbeddedProgram.T0.AddHours(6);
        await OpenAsync(4, closesAt: closes);
        await program.PassAsync(TimeSpan.FromHours(6));

        var conflict = await Assert.ThrowsAsync<Mentoring.Core.Common.ConflictException>(() => program.Windows.CloseAsync(Spring, windowId, "hr@example.com"));
        Assert.Equal("The window is open for participants to choose partners; only an open window can be closed.", conflict.Message);

        await program.PassAsync(TimeSpan.FromDays(3));
        await program.Host.RaiseAsync(Spring, windowId, new DecisionReceived(1, DecisionAction.Approve, "hr@example.com", Now));
        var round = (await program.Store.ReadAsync<RoundResult>(WindowDocuments.Round(Spring, windowId)))!.Value;
        Assert.Equal((closes, closes.AddDays(3)), (round.Choosing!.OpenedAt, round.Choosing.EndsAt));
        Assert.Equal(closes, (await program.DraftAsync(windowId, 1))!.Draft.At); // the fallback is drafted as of the close too
    }
}
