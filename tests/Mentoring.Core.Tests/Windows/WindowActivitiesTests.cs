using Mentoring.Core.Mail;
using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Persistence;
using Mentoring.Core.Tests.Registration;
using Mentoring.Core.Tests.Workflow;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Tests.Windows;

/// <summary>What the window's commands do to the store and the mail: drafts, reminders, publishing, intros, later rounds.</summary>
public sealed class WindowActivitiesTests : IDisposable
{
    private const string Spring = EmbeddedProgram.ProgramId;
    private readonly EmbeddedProgram program = new();

    public void Dispose() => program.Dispose();

    private DateTimeOffset Now => program.Clock.GetUtcNow();

    private Task Decide(string windowId, int version, DecisionAction action, string? reason = null, ParticipantPair? pair = null) =>
        program.Host.RaiseAsync(Spring, windowId, new DecisionReceived(version, action, "lead@example.com", Now, reason, pair));

    private const string Waitlist = "\"matching\": { \"oddCount\": \"waitlist\" },";

    private static string Key(string a, string b) => string.CompareOrdinal(a, b) < 0 ? $"{a}|{b}" : $"{b}|{a}";

    private async Task<IReadOnlyList<PublishedMatch>> Matches() =>
        [.. (await program.Store.QueryAllAsync<PublishedMatch>(Spring, WindowDocuments.MatchKind)).Select(m => m.Value)];

    /// <summary>What engagement changes on a match after publishing, in match order.</summary>
    private async Task<List<(string Id, MatchStatus Status, DateTimeOffset PublishedAt, DateTimeOffset? IntroducedAt, DateTimeOffset? AtRiskSince,
        DateTimeOffset? EndedAt, string? EndReason)>> Lifecycles() =>
        [.. (await Matches()).OrderBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => (m.Id, m.Status, m.PublishedAt, m.IntroducedAt, m.AtRiskSince, m.EndedAt, m.EndReason))];

    [Fact]
    public async Task Draft_v1_is_computed_from_everyone_registered_at_closing_and_summarised_for_the_window()
    {
        await program.CreateProgramAsync(extra: Waitlist);
        await program.RegisterAsync(7);

        var state = await program.CloseNowAsync();

        var stored = (await program.DraftAsync(state.WindowId, 1))!;
        Assert.Equal((Spring, state.WindowId, 1, Now), (stored.ProgramId, stored.WindowId, stored.Version, stored.ComputedAt));
        Assert.Equal(state.ClosedAt, stored.Draft.At);
        var stats = stored.Draft.Stats;
        Assert.Equal((7, 6, 1, 3), (stats.People, stats.PeopleMatched, stats.PeopleWaitlisted, stats.Pairs));
        Assert.Equal(new DraftSummary(7, 6, 1, 3, 0, 0, stats.TotalScore, stats.MeanScore, stats.MinScore, true), state.Draft);
        Assert.True(stats.TotalScore > 0);
        var snapshot = (await program.Store.ReadAsync<RegistrationSnapshot>(WindowDocuments.Snapshot(Spring, state.WindowId)))!.Value;
        Assert.Equal(7, snapshot.ParticipantIds.Count);
        Assert.Equal(Now, snapshot.TakenAt);
    }

    [Fact]
    public async Task A_groups_draft_found_by_local_search_is_not_summarised_as_proven_optimal()
    {
        await program.CreateProgramAsync("groups", "\"groupSize\": 3,");
        await program.RegisterAsync(6);

        var state = await program.CloseNowAsync();

        Assert.Null((await program.DraftAsync(state.WindowId, 1))!.Draft.Certificate); // groups come from local search: no proof
        Assert.Equal((6, 2, false), (state.Draft!.PeopleMatched, state.Draft.Groups, state.Draft.IsOptimal));
    }

    [Fact]
    public async Task The_draft_mail_goes_to_every_admin_with_their_own_links_and_no_changes_section_for_v1()
    {
        await program.CreateProgramAsync();
        await program.RegisterAsync(4);

        var state = await program.CloseNowAsync();

        var mails = program.Mailer.OfCategory(MailCategories.Draft);
        Assert.Equal(2, mails.Count);
        foreach (var admin in EmbeddedProgram.Admins)
        {
            var mail = Assert.Single(mails, m => m.To[0].Email == admin);
            Assert.Contains("/api/decisions/", mail.TextBody, StringComparison.Ordinal);
            Assert.DoesNotContain("WHAT CHANGED", mail.TextBody, StringComparison.Ordinal);
            Assert.Contains(state.WindowId, mail.TextBody, StringComparison.Ordinal);
        }
        Assert.NotEqual(mails[0].TextBody, mails[1].TextBody); // each admin signs with their own links
    }

    [Fact]
    public async Task A_rejected_draft_is_followed_by_v2_whose_mail_says_what_changed_and_why()
    {
        await program.CreateProgramAsync();
        await program.RegisterAsync(6);
        var state = await program.CloseNowAsync();
        var first = (await program.DraftAsync(state.WindowId, 1))!.Draft.Pairs[0];

        await Decide(state.WindowId, 1, DecisionAction.ForbidPair, "they work together", new ParticipantPair(first.A.Id, first.B.Id));

        var v2 = program.Mailer.OfCategory(MailCategories.Draft).Where(m => m.Subject.Contains("v2", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, v2.Count);
        var text = v2[0].TextBody;
        Assert.Contains("WHAT CHANGED SINCE V1", text, StringComparison.Ordinal);
        Assert.Contains($"{first.A.Name} & {first.B.Name} was forbidden by lead@example.com", text, StringComparison.Ordinal);
        Assert.Contains("\"they work together\"", text, StringComparison.Ordinal);
        Assert.Contains($"No longer matched: {first.A.Name} & {first.B.Name}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Later_versions_work_from_the_closing_snapshot_minus_people_who_withdrew()
    {
        await program.CreateProgramAsync();
        var ids = await program.RegisterAsync(6);
        var state = await program.CloseNowAsync();
        await program.RegisterAsync(2, from: 6); // too late for this window
        await program.Registry.WithdrawAsync(Spring, ids[0]);

        await Decide(state.WindowId, 1, DecisionAction.Rerun);

        var v2 = (await program.DraftAsync(state.WindowId, 2))!.Draft;
        Assert.Equal(5, v2.Stats.People);
        var everyone = v2.Pairs.SelectMany(p => new[] { p.A.Id, p.B.Id }).Concat(v2.Waitlist.Select(w => w.Person.Id)).ToList();
        Assert.DoesNotContain(ids[0], everyone);
        Assert.All(everyone, id => Assert.Contains(id, ids));
    }

    [Fact]
    public async Task Of_two_runs_taking_the_closing_snapshot_at_once_both_draft_from_the_one_stored_first()
    {
        await program.CreateProgramAsync();
        var ids = await program.RegisterAsync(6);
        var state = await program.CloseNowAsync();
        var key = WindowDocuments.Snapshot(Spring, state.WindowId);
        var first = (await program.Store.ReadAsync<RegistrationSnapshot>(key))!.Value;
        await program.Store.DeleteAsync(key); // as before either run had stored it
        await program.RegisterAsync(2, from: 6);

        // This run reads no snapshot and takes its own of eight; the other run stores its six just before this one does.
        var rival = new RivalWritesFirst(program.Store);
        rival.Before(key.Kind, Write.Create, () => program.Store.CreateAsync(key, first));
        var activities = new WindowActivities(rival, program.Programs, program.Registry, program.Mailer, program.Links, program.Clock, program.ChoosingLinks);
        await activities.ExecuteAsync(state, new ComputeDraft(1, new DraftEditSet()));

        Assert.Equal(1, rival.Turns);
        var v1 = (await program.DraftAsync(state.WindowId, 1))!.Draft;
        Assert.Equal(6, v1.Stats.People);
        Assert.All(v1.Pairs.SelectMany(p => new[] { p.A.Id, p.B.Id }).Concat(v1.Waitlist.Select(w => w.Person.Id)), id => Assert.Contains(id, ids));
        Assert.Equal(first.ParticipantIds, (await program.Store.ReadAsync<RegistrationSnapshot>(key))!.Value.ParticipantIds);
    }

    [Fact]
    public async Task Admins_are_reminded_while_a_draft_waits_and_told_when_the_window_expires()
    {
        await program.CreateProgramAsync(extra: "\"windows\": { \"reminderIntervalHours\": 24, \"remindersBeforeExpiry\": 2 },");
        await program.RegisterAsync(4);
        var state = await program.CloseNowAsync();

        await program.PassAsync(TimeSpan.FromHours(24));
        var firstReminders = program.Mailer.OfCategory(MailCategories.Reminder);
        Assert.Equal(EmbeddedProgram.Admins, firstReminders.Select(m => m.To[0].Email).Order());
        Assert.All(firstReminders, m => Assert.Equal("1", m.CustomArgs["reminder"]));

        await program.PassAsync(TimeSpan.FromHours(24));
        Assert.Equal(4, program.Mailer.OfCategory(MailCategories.Reminder).Count);
        Assert.Empty(program.Mailer.OfCategory(MailCategories.Expiry));

        await program.PassAsync(TimeSpan.FromHours(24));
        var expiry = program.Mailer.OfCategory(MailCategories.Expiry);
        Assert.Equal(EmbeddedProgram.Admins, expiry.Select(m => m.To[0].Email).Order());
        Assert.Contains("expired on Thu 4 Mar 2027, 10:00 (Europe/Berlin) without a decision on pair draft v1", expiry[0].TextBody, StringComparison.Ordinal);
        Assert.Equal(WindowPhase.Expired, (await program.StateAsync(state.WindowId))!.Phase);
        Assert.Empty(program.Mailer.OfCategory(MailCategories.Intro));
        Assert.Empty(await Matches());
    }

    [Fact]
    public async Task Approval_publishes_every_pair_tells_every_admin_who_approved_and_introduces_each_pair_once()
    {
        await program.CreateProgramAsync(extra: Waitlist);
        await program.RegisterAsync(7);
        var state = await program.CloseNowAsync();
        var draft = (await program.DraftAsync(state.WindowId, 1))!.Draft;
        program.Clock.Advance(TimeSpan.FromHours(2));

        await Decide(state.WindowId, 1, DecisionAction.Approve, "fine by me");

        var matches = await Matches();
        Assert.Equal(3, matches.Count);
        for (var i = 0; i < 3; i++)
        {
            var match = matches.Single(m => m.Id == WindowDocuments.Match(Spring, state.WindowId, i).Id);
            var pair = draft.Pairs[i];
            Assert.Equal([pair.A.Id, pair.B.Id], match.Members.Select(m => m.ParticipantId));
            Assert.Equal([pair.A.Email, pair.B.Email], match.Members.Select(m => m.Email));
            Assert.Equal([pair.A.Name, pair.B.Name], match.Members.Select(m => m.Name));
            Assert.Equal((pair.Score, pair.Sentence, 1, state.WindowId, Spring), (match.Score, match.Sentence, match.Version, match.WindowId, match.ProgramId));
            Assert.Equal((Now, Now, MatchStatus.Active), (match.PublishedAt, match.IntroducedAt, match.Status));
        }
        var round = (await program.Store.ReadAsync<RoundResult>(WindowDocuments.Round(Spring, state.WindowId)))!.Value;
        Assert.Equal((state.WindowId, 1, Now), (round.WindowId, round.Version, round.PublishedAt));
        Assert.Equal([draft.Waitlist[0].Person.Id], round.WaitlistedParticipantIds);

        var decided = program.Mailer.OfCategory(MailCategories.Decided);
        Assert.Equal(EmbeddedProgram.Admins, decided.Select(m => m.To[0].Email).Order());
        Assert.Contains("Pair draft v1 was approved by lead@example.com on Mon 1 Mar 2027, 12:00 (Europe/Berlin).", decided[0].TextBody, StringComparison.Ordinal);
        Assert.Contains("Reason: fine by me", decided[0].TextBody, StringComparison.Ordinal);

        var intros = program.Mailer.OfCategory(MailCategories.Intro);
        Assert.Equal(6, intros.Count); // one per member of the 3 pairs
        Assert.All(draft.Pairs.SelectMany(p => new[] { p.A.Email, p.B.Email }), email => Assert.Single(intros, m => m.To.Single().Email == email));
        Assert.Equal(WindowPhase.Completed, (await program.StateAsync(state.WindowId))!.Phase);
    }

    [Fact]
    public async Task Intros_run_again_after_a_crash_send_nothing_twice_and_keeps_the_first_introduction_time()
    {
        await program.CreateProgramAsync();
        await program.RegisterAsync(4);
        var state = await program.CloseNowAsync();
        await Decide(state.WindowId, 1, DecisionAction.Approve);
        var introducedAt = Now;
        var mails = program.Mailer.Sent.Count;
        program.Clock.Advance(TimeSpan.FromHours(1));
        var activities = new WindowActivities(program.Store, program.Programs, program.Registry, program.Mailer, program.Links, program.Clock);
        var done = (await program.StateAsync(state.WindowId))!;

        var sentAgain = await activities.ExecuteAsync(done, new MailIntros(1));

        Assert.Equal((1, 2, Now), (((IntrosSent)sentAgain!).Version, ((IntrosSent)sentAgain).Sent, sentAgain.At));
        Assert.Equal(mails, program.Mailer.Sent.Count);
        Assert.All(await Matches(), m => Assert.Equal(introducedAt, m.IntroducedAt));
    }

    [Fact]
    public async Task Publishing_run_again_after_the_pairs_moved_on_keeps_every_match_as_it_is_and_sends_no_mail()
    {
        await program.CreateProgramAsync(extra: Waitlist);
        await program.RegisterAsync(5);
        var state = await program.CloseNowAsync();
        await Decide(state.WindowId, 1, DecisionAction.Approve);
        var publishedAt = Now;
        program.Clock.Advance(TimeSpan.FromDays(20));
        // Engagement moved on: one pair ended, the other is at risk.
        await program.Store.UpdateAsync<PublishedMatch>(WindowDocuments.Match(Spring, state.WindowId, 0),
            m => m with { Status = MatchStatus.Ended, EndedAt = Now, EndReason = "rematch" });
        await program.Store.UpdateAsync<PublishedMatch>(WindowDocuments.Match(Spring, state.WindowId, 1), m => m with { AtRiskSince = Now });
        var before = await Lifecycles();
        var mails = program.Mailer.Sent.Count;
        program.Clock.Advance(TimeSpan.FromHours(1));
        var activities = new WindowActivities(program.Store, program.Programs, program.Registry, program.Mailer, program.Links, program.Clock);

        var again = (PairsPublished)(await activities.ExecuteAsync((await program.StateAsync(state.WindowId))!, new PublishPairs(1)))!;

        Assert.Equal((1, 2), (again.Version, again.Published));
        Assert.Equal(before, await Lifecycles());
        Assert.Equal((MatchStatus.Ended, "rematch"), (before[0].Status, before[0].EndReason));
        Assert.Equal((MatchStatus.Active, publishedAt, publishedAt), (before[1].Status, before[1].PublishedAt, before[1].IntroducedAt));
        var round = (await program.Store.ReadAsync<RoundResult>(WindowDocuments.Round(Spring, state.WindowId)))!.Value;
        Assert.Equal(publishedAt, round.PublishedAt);
        Assert.Equal(mails, program.Mailer.Sent.Count);
    }

    [Fact]
    public async Task Publishing_interrupted_after_some_matches_completes_the_rest_when_run_again()
    {
        await program.CreateProgramAsync();
        await program.RegisterAsync(6);
        var state = await program.CloseNowAsync();
        var activities = new WindowActivities(program.Store, program.Programs, program.Registry, program.Mailer, program.Links, program.Clock);
        await activities.ExecuteAsync(state, new PublishPairs(1));
        // The crash: only the first match and no round record made it to the store.
        await program.Store.DeleteAsync(WindowDocuments.Match(Spring, state.WindowId, 1));
        await program.Store.DeleteAsync(WindowDocuments.Match(Spring, state.WindowId, 2));
        await program.Store.DeleteAsync(WindowDocuments.Round(Spring, state.WindowId));

        await activities.ExecuteAsync(state, new PublishPairs(1));

        var draft = (await program.DraftAsync(state.WindowId, 1))!.Draft;
        Assert.Equal(draft.Pairs.Select(p => new[] { p.A.Id, p.B.Id }),
            (await Matches()).OrderBy(m => m.Id, StringComparer.Ordinal).Select(m => m.Members.Select(x => x.ParticipantId).ToArray()));
        Assert.NotNull(await program.Store.ReadAsync<RoundResult>(WindowDocuments.Round(Spring, state.WindowId)));
    }

    [Fact]
    public async Task A_command_for_a_draft_that_was_never_stored_fails_loudly()
    {
        await program.CreateProgramAsync();
        await program.RegisterAsync(4);
        var state = await program.CloseNowAsync();
        var activities = new WindowActivities(program.Store, program.Programs, program.Registry, program.Mailer, program.Links, program.Clock);

        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => activities.ExecuteAsync(state, new PublishPairs(5)));

        Assert.Equal($"Draft v5 of window {state.WindowId} is missing.", missing.Message);
        Assert.Null(await activities.ExecuteAsync(state, new ScheduleTimer("x", Now)));
    }

    [Fact]
    public async Task The_next_round_does_not_repeat_earlier_pairs_and_does_not_waitlist_the_same_person_twice()
    {
        await program.CreateProgramAsync(extra: Waitlist);
        await program.RegisterAsync(5);
        var first = await program.CloseNowAsync();
        await Decide(first.WindowId, 1, DecisionAction.Approve);
        var round1 = (await program.DraftAsync(first.WindowId, 1))!.Draft;
        program.Clock.Advance(TimeSpan.FromDays(30));

        var second = await program.CloseNowAsync();

        var round2 = (await program.DraftAsync(second.WindowId, 1))!.Draft;
        var earlier = round1.Pairs.Select(p => Key(p.A.Id, p.B.Id)).ToHashSet();
        Assert.Equal(2, round2.Pairs.Count);
        Assert.All(round2.Pairs, p => Assert.DoesNotContain(Key(p.A.Id, p.B.Id), earlier));
        Assert.NotEqual(round1.Waitlist[0].Person.Id, round2.Waitlist[0].Person.Id);
        Assert.True(round2.Waitlist.All(w => !w.WaitlistedLastRound));
    }

    [Fact]
    public async Task An_evergreen_round_opens_the_next_one_which_matches_only_people_without_an_active_pair()
    {
        await program.CreateProgramAsync(kind: "evergreen", extra: "\"windows\": { \"evergreenRoundDays\": 14 },");
        var firstFour = await program.RegisterAsync(4);
        var first = await program.CloseNowAsync();
        await Decide(first.WindowId, 1, DecisionAction.Approve);
        var completedAt = Now;

        var windows = await program.Windows.ListAsync(Spring);
        var next = Assert.Single(windows, w => w.WindowId != first.WindowId);
        Assert.Equal((WindowPhase.Open, completedAt.AddDays(14), true), (next.Phase, next.ClosesAt, next.Evergreen));
        Assert.Equal(WindowOpening.WindowIdFor(completedAt.AddDays(14)), next.WindowId);

        var newcomers = await program.RegisterAsync(2, from: 4);
        var ended = (await Matches())[0];
        await program.Store.UpdateAsync<PublishedMatch>(WindowDocuments.Match(Spring, first.WindowId, 0), m => m with { Status = MatchStatus.Ended });
        await program.PassAsync(TimeSpan.FromDays(14));

        var draft = (await program.DraftAsync(next.WindowId, 1))!.Draft;
        var people = draft.Pairs.SelectMany(p => new[] { p.A.Id, p.B.Id }).Concat(draft.Waitlist.Select(w => w.Person.Id)).Order().ToList();
        Assert.Equal(newcomers.Concat(ended.Members.Select(m => m.ParticipantId)).Order(), people);
        Assert.All(firstFour.Except(ended.Members.Select(m => m.ParticipantId)), id => Assert.DoesNotContain(id, people));
    }

    [Fact]
    public async Task An_intro_the_relay_refuses_is_recorded_for_that_member_and_retried_until_it_goes_while_everyone_else_gets_theirs_once()
    {
        await program.CreateProgramAsync();
        var ids = await program.RegisterAsync(4);
        var state = await program.CloseNowAsync();
        var refused = new HashSet<string>(["person01@example.com", "person02@example.com"]);
        program.Mailer.Refuses = m => m.Category == MailCategories.Intro && refused.Contains(m.To[0].Email);
        var approvedAt = Now;

        await Decide(state.WindowId, 1, DecisionAction.Approve);

        Assert.Equal(WindowPhase.Introducing, (await program.StateAsync(state.WindowId))!.Phase);
        Assert.Equal(2, program.Mailer.OfCategory(MailCategories.Intro).Count);
        var pending = Assert.Single(await program.PendingCommandsAsync(state.WindowId));
        Assert.Equal("intros:v1", pending.Key);
        Assert.StartsWith("The intro mail of 2 member(s) failed and will be retried: ", pending.LastError, StringComparison.Ordinal);
        Assert.Contains(ids[1], pending.LastError, StringComparison.Ordinal);
        Assert.Contains(ids[2], pending.LastError, StringComparison.Ordinal);
        var match = (await Matches()).Single(m => m.Members.Any(x => x.ParticipantId == ids[1]));
        var index = Enumerable.Range(0, 2).Single(i => WindowDocuments.Match(Spring, state.WindowId, i).Id == match.Id);
        var key = WindowDocuments.IntroDelivery(Spring, state.WindowId, index, ids[1]);
        var failed = (await program.Store.ReadAsync<IntroDelivery>(key))!.Value;
        Assert.Equal((match.Id, 1, "IOException: 550 mailbox unavailable: person01@example.com", approvedAt, (DateTimeOffset?)null),
            (failed.MatchId, failed.FailedAttempts, failed.LastError, failed.LastAttemptAt, failed.SentAt));
        Assert.All(await Matches(), m => Assert.Equal(approvedAt, m.IntroducedAt)); // check-ins count from the first run

        await program.PassAsync(TimeSpan.FromMinutes(1));
        var again = (await program.Store.ReadAsync<IntroDelivery>(key))!.Value;
        Assert.Equal((2, Now), (again.FailedAttempts, again.LastAttemptAt));

        // Person 01's relay recovers first; Person 02's a day later.
        refused.Remove("person01@example.com");
        await program.PassAsync(TimeSpan.FromMinutes(5));
        var sentAt = Now;
        Assert.Equal(sentAt, (await program.Store.ReadAsync<IntroDelivery>(key))!.Value.SentAt);
        refused.Clear();
        await program.PassAsync(TimeSpan.FromDays(2));

        var intros = program.Mailer.OfCategory(MailCategories.Intro);
        Assert.Equal(4, intros.Count);
        Assert.Equal(4, intros.Select(m => m.To[0].Email).Distinct().Count());
        var sent = (await program.Store.ReadAsync<IntroDelivery>(key))!.Value;
        Assert.Equal((2, (DateTimeOffset?)sentAt), (sent.FailedAttempts, sent.SentAt)); // sent once, when it went
        // Days late, the retried intro still suggests the same first meeting as the partner's: after the approval.
        var pairMails = intros.Where(m => match.Members.Any(x => x.Email == m.To[0].Email)).ToList();
        Assert.Equal(2, pairMails.Count);
        Assert.Equal(FirstMeeting(pairMails[0]), FirstMeeting(pairMails[1]));
        Assert.All(await Matches(), m => Assert.Equal(approvedAt, m.IntroducedAt));
        Assert.Equal(WindowPhase.Completed, (await program.StateAsync(state.WindowId))!.Phase);
    }

    [Theory]
    [InlineData("cohort", "\"matching\": { \"oddCount\": \"trio\" },", 5, new[] { 2, 3 })]
    [InlineData("groups", "\"groupSize\": 3,", 6, new[] { 3, 3 })]
    public async Task Approval_publishes_trios_and_groups_whole_and_introduces_every_member(string kind, string extra, int people, int[] sizes)
    {
        await program.CreateProgramAsync(kind, extra);
        var ids = await program.RegisterAsync(people);
        var state = await program.CloseNowAsync();

        await Decide(state.WindowId, 1, DecisionAction.Approve);

        var matches = await Matches();
        Assert.Equal(sizes, matches.Select(m => m.Members.Count).Order());
        Assert.Equal(ids.Order(), matches.SelectMany(m => m.Members).Select(m => m.ParticipantId).Order());
        var intros = program.Mailer.OfCategory(MailCategories.Intro);
        Assert.Equal(Enumerable.Range(0, people).Select(i => $"person{i:D2}@example.com"), intros.Select(m => m.To.Single().Email).Order());
        Assert.Equal(WindowPhase.Completed, (await program.StateAsync(state.WindowId))!.Phase);
    }

    private static string FirstMeeting(MailMessage intro)
    {
        var text = intro.HtmlBody;
        var at = text.IndexOf("Suggested first meeting: ", StringComparison.Ordinal);
        Assert.True(at >= 0);
        return text[at..text.IndexOf('.', at)];
    }

    [Fact]
    public async Task The_approval_mail_sent_on_a_retry_names_the_approval_time_not_the_retry_time()
    {
        await program.CreateProgramAsync();
        await program.RegisterAsync(4);
        var state = await program.CloseNowAsync();
        program.Activities.Fails = c => c is PublishPairs;
        program.Clock.Advance(TimeSpan.FromHours(2));
        await Decide(state.WindowId, 1, DecisionAction.Approve, "fine by me");
        Assert.Empty(program.Mailer.OfCategory(MailCategories.Decided));

        program.Activities.Fails = _ => false;
        await program.PassAsync(TimeSpan.FromHours(3));

        var decided = program.Mailer.OfCategory(MailCategories.Decided);
        Assert.Equal(2, decided.Count);
        Assert.Contains("Pair draft v1 was approved by lead@example.com on Mon 1 Mar 2027, 12:00 (Europe/Berlin).", decided[0].TextBody, StringComparison.Ordinal);
        Assert.Equal(WindowPhase.Completed, (await program.StateAsync(state.WindowId))!.Phase);
    }

    [Fact]
    public async Task The_expiry_mail_sent_on_a_retry_still_says_when_the_window_expired()
    {
        await program.CreateProgramAsync(extra: "\"windows\": { \"reminderIntervalHours\": 24, \"remindersBeforeExpiry\": 0 },");
        await program.RegisterAsync(4);
        await program.CloseNowAsync();
        program.Activities.Fails = c => c is MailExpiry;
        await program.PassAsync(TimeSpan.FromHours(24));
        Assert.Empty(program.Mailer.OfCategory(MailCategories.Expiry));

        program.Activities.Fails = _ => false;
        await program.PassAsync(TimeSpan.FromHours(5));

        var expiry = program.Mailer.OfCategory(MailCategories.Expiry);
        Assert.Equal(2, expiry.Count);
        Assert.Contains("expired on Tue 2 Mar 2027, 10:00 (Europe/Berlin) without a decision on pair draft v1", expiry[0].TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_window_that_closes_later_drafts_as_of_its_closing_instant()
    {
        await program.CreateProgramAsync();
        await program.RegisterAsync(4);
        var closes = EmbeddedProgram.T0.AddHours(6);
        var (view, _) = await program.Windows.OpenAsync(Spring, closes);

        await program.PassAsync(TimeSpan.FromHours(6));

        Assert.Equal(closes, (await program.DraftAsync(view.State.WindowId, 1))!.Draft.At);
    }
}
