using Mentoring.Core.Decisions;
using Mentoring.Core.Links;
using Mentoring.Core.Mail;
using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Persistence;
using Mentoring.Core.Tests.Workflow;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Tests.Decisions;

/// <summary>The decision links of a draft mail, from opening the page to the workflow acting on the decision.</summary>
public sealed class DecisionDeskTests : IAsyncLifetime, IDisposable
{
    private readonly EmbeddedProgram program = new();
    private string windowId = "";

    public async Task InitializeAsync()
    {
        await program.CreateProgramAsync();
        await program.RegisterAsync(6);
        windowId = (await program.CloseNowAsync()).WindowId;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => program.Dispose();

    private DecisionDesk Desk => program.Decisions;

    private string Token(DecisionAction action, int version = 1, string admin = "hr@example.com", TimeSpan? lifetime = null,
        ParticipantPair? pair = null, string? participantId = null) =>
        program.Token(windowId, version, action, admin, lifetime, pair, participantId);

    private async Task<WindowState> State() => (await program.StateAsync(windowId))!;

    private Task<StoredDocument<DecisionClaim>?> Claim(int version) =>
        program.Store.ReadAsync<DecisionClaim>(WindowDocuments.Decision(EmbeddedProgram.ProgramId, windowId, version));

    [Fact]
    public async Task Opening_an_approve_link_describes_the_approval_and_changes_nothing()
    {
        var page = await Desk.ReviewAsync(Token(DecisionAction.Approve));

        Assert.Equal(DecisionOutcome.Confirm, page.Outcome);
        Assert.Equal("Approve pair draft v1 of Spring buddies: the pairs are published and every pair gets its intro email.", page.Message);
        Assert.Equal(1, page.Draft!.Version);
        Assert.Equal(3, page.Draft.Draft.Pairs.Count);
        Assert.Equal(WindowPhase.AwaitingDecision, page.Window!.Phase);
        Assert.Equal("Spring buddies", page.Program!.Name);
        Assert.Null(page.Claim);
        Assert.Null(await Claim(1));
        Assert.Equal(WindowPhase.AwaitingDecision, (await State()).Phase);
        Assert.Empty(program.Mailer.OfCategory(MailCategories.Intro));
    }

    [Theory]
    [InlineData(DecisionAction.Reject, "Reject pair draft v1 of Spring buddies: a new draft is computed and mailed to the admins.")]
    [InlineData(DecisionAction.ForbidPair, "Forbid one pair in draft v1 of Spring buddies: a new draft without that pair is computed.")]
    [InlineData(DecisionAction.PinPair, "Keep one pair in every later draft of Spring buddies: a new draft is computed.")]
    [InlineData(DecisionAction.ExcludeParticipant, "Leave one person out of Spring buddies's next draft: a new draft is computed.")]
    [InlineData(DecisionAction.Rerun, "Re-run the matching for Spring buddies: a new draft is computed (people who withdrew since are left out).")]
    public async Task Every_kind_of_link_says_what_confirming_it_will_do(DecisionAction action, string message)
    {
        var page = await Desk.ReviewAsync(Token(action));

        Assert.Equal((DecisionOutcome.Confirm, message), (page.Outcome, page.Message));
    }

    [Fact]
    public async Task Approving_publishes_the_pairs_and_introduces_every_pair()
    {
        var page = await Desk.DecideAsync(Token(DecisionAction.Approve), "  looks good  ");

        Assert.Equal(DecisionOutcome.Applied, page.Outcome);
        Assert.Equal("Approved. The pairs are published and the intro emails are on their way.", page.Message);
        Assert.Equal(("hr@example.com", DecisionAction.Approve, "looks good", EmbeddedProgram.T0), (page.Claim!.By, page.Claim.Action, page.Claim.Reason, page.Claim.At));
        var state = await State();
        Assert.Equal((WindowPhase.Completed, 1), (state.Phase, state.ApprovedVersion));
        var decision = Assert.Single(state.Decisions);
        Assert.Equal(("hr@example.com", "looks good"), (decision.By, decision.Reason));
        Assert.Equal(6, program.Mailer.OfCategory(MailCategories.Intro).Count); // one per member of the 3 pairs
        Assert.Equal((await Claim(1))!.Value, page.Claim);
        Assert.Equal(LinkSigner.Digest(Token(DecisionAction.Approve)), page.Claim.TokenHash);
    }

    [Fact]
    public async Task Posting_the_same_link_again_after_a_timeout_is_answered_as_applied_and_sends_nothing_twice()
    {
        var token = Token(DecisionAction.Approve);
        await Desk.DecideAsync(token, null);
        var mails = program.Mailer.Sent.Count;

        var again = await Desk.DecideAsync(token, null);

        Assert.Equal(DecisionOutcome.Applied, again.Outcome);
        Assert.Equal("Approved. The pairs are published and the intro emails are on their way.", again.Message);
        Assert.Equal(mails, program.Mailer.Sent.Count);
        Assert.Single((await State()).Decisions);
    }

    [Fact]
    public async Task A_repeated_post_of_a_decision_the_workflow_never_got_is_delivered_again()
    {
        // The claim was stored but the host was down before the event reached the window.
        var token = Token(DecisionAction.Reject);
        await program.Store.CreateAsync(WindowDocuments.Decision(EmbeddedProgram.ProgramId, windowId, 1),
            new DecisionClaim(windowId, 1, DecisionAction.Reject, "hr@example.com", EmbeddedProgram.T0, LinkSigner.Digest(token), "too many sales pairs"));

        var page = await Desk.DecideAsync(token, "too many sales pairs");

        Assert.Equal(DecisionOutcome.Applied, page.Outcome);
        Assert.Equal("Recorded. A new draft is being computed and will be mailed to the admins.", page.Message);
        var state = await State();
        Assert.Equal((WindowPhase.AwaitingDecision, 2), (state.Phase, state.DraftVersion));
        Assert.Equal("too many sales pairs", state.DecisionOn(1)!.Reason);
    }

    [Fact]
    public async Task The_second_admin_is_told_who_decided_and_when_in_the_programs_time_zone()
    {
        program.Clock.Advance(TimeSpan.FromMinutes(30));
        await Desk.DecideAsync(Token(DecisionAction.Approve, admin: "lead@example.com"), null);
        var mails = program.Mailer.Sent.Count;

        var page = await Desk.DecideAsync(Token(DecisionAction.Reject), "no");

        Assert.Equal(DecisionOutcome.AlreadyDecided, page.Outcome);
        Assert.Equal("Draft v1 was already decided: approved by lead@example.com on Mon 1 Mar 2027, 10:30 (Europe/Berlin).", page.Message);
        Assert.Equal("lead@example.com", page.Claim!.By);
        Assert.Equal(mails, program.Mailer.Sent.Count);
        Assert.Equal(DecisionAction.Approve, Assert.Single((await State()).Decisions).Action);
    }

    [Fact]
    public async Task A_decided_version_points_to_the_newest_draft_waiting_for_a_decision()
    {
        await Desk.DecideAsync(Token(DecisionAction.Rerun), null);

        var page = await Desk.ReviewAsync(Token(DecisionAction.Approve));

        Assert.Equal(DecisionOutcome.AlreadyDecided, page.Outcome);
        Assert.EndsWith("re-run by hr@example.com on Mon 1 Mar 2027, 10:00 (Europe/Berlin). Draft v2 is the newest and waits for a decision: use its email or the program dashboard.",
            page.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejecting_needs_a_reason_and_stores_nothing_without_one()
    {
        foreach (var reason in new[] { null, "", "   " })
        {
            var page = await Desk.DecideAsync(Token(DecisionAction.Reject), reason);

            Assert.Equal(DecisionOutcome.Incomplete, page.Outcome);
            Assert.Equal("Please say why you reject this draft; the reason is kept with the decision.", page.Message);
        }
        Assert.Null(await Claim(1));
        Assert.Equal((WindowPhase.AwaitingDecision, 1), ((await State()).Phase, (await State()).DraftVersion));
    }

    [Fact]
    public async Task A_reason_of_up_to_two_thousand_characters_is_kept_and_a_longer_one_is_refused()
    {
        var tooLong = await Desk.DecideAsync(Token(DecisionAction.Reject), new string('x', DecisionDesk.MaxReasonLength + 1));
        Assert.Equal(DecisionOutcome.Incomplete, tooLong.Outcome);
        Assert.Equal("Please keep the reason under 2000 characters.", tooLong.Message);
        Assert.Null(await Claim(1));

        var longest = await Desk.DecideAsync(Token(DecisionAction.Reject), " " + new string('x', DecisionDesk.MaxReasonLength) + " ");
        Assert.Equal(DecisionOutcome.Applied, longest.Outcome);
        Assert.Equal(DecisionDesk.MaxReasonLength, (await State()).DecisionOn(1)!.Reason!.Length);
    }

    [Fact]
    public async Task An_approval_needs_no_reason_and_keeps_none()
    {
        var page = await Desk.DecideAsync(Token(DecisionAction.Approve), "   ");

        Assert.Equal(DecisionOutcome.Applied, page.Outcome);
        Assert.Null(page.Claim!.Reason);
    }

    [Fact]
    public async Task A_forbid_link_carries_its_pair_to_the_next_draft()
    {
        var first = (await program.DraftAsync(windowId, 1))!.Draft.Pairs[0];
        var pair = new ParticipantPair(first.A.Id, first.B.Id);

        var page = await Desk.DecideAsync(Token(DecisionAction.ForbidPair, pair: pair), null);

        Assert.Equal(DecisionOutcome.Applied, page.Outcome);
        var state = await State();
        Assert.Equal(pair, state.DecisionOn(1)!.Pair);
        Assert.Contains(pair, state.Edits.ForbiddenPairs);
        var next = (await program.DraftAsync(windowId, 2))!.Draft;
        Assert.DoesNotContain(next.Pairs, p => new ParticipantPair(p.A.Id, p.B.Id) == pair);
    }

    [Fact]
    public async Task A_leave_out_link_carries_its_person_to_the_next_draft()
    {
        var person = (await program.DraftAsync(windowId, 1))!.Draft.Pairs[0].A.Id;

        await Desk.DecideAsync(Token(DecisionAction.ExcludeParticipant, participantId: person), null);

        Assert.Contains(person, (await State()).Edits.ExcludedParticipantIds);
        var next = (await program.DraftAsync(windowId, 2))!.Draft;
        Assert.DoesNotContain(next.Pairs, p => p.A.Id == person || p.B.Id == person);
    }

    [Fact]
    public async Task An_expired_link_says_when_it_expired_in_the_programs_time_zone_and_decides_nothing()
    {
        var token = Token(DecisionAction.Approve, lifetime: TimeSpan.FromHours(1));
        program.Clock.Advance(TimeSpan.FromHours(1));

        var page = await Desk.DecideAsync(token, null);

        Assert.Equal(DecisionOutcome.Expired, page.Outcome);
        Assert.Equal("This link expired on Mon 1 Mar 2027, 11:00 (Europe/Berlin).", page.Message);
        Assert.Null(await Claim(1));
        Assert.Equal(WindowPhase.AwaitingDecision, (await State()).Phase);
    }

    [Fact]
    public async Task An_expired_link_to_a_replaced_draft_points_to_the_newest_one()
    {
        var old = Token(DecisionAction.Approve, lifetime: TimeSpan.FromHours(1));
        // The dashboard decides without a claim document: the window moves to v2 while v1 has no claim.
        await program.Host.RaiseAsync(EmbeddedProgram.ProgramId, windowId,
            new DecisionReceived(1, DecisionAction.Rerun, "lead@example.com", program.Clock.GetUtcNow()));
        program.Clock.Advance(TimeSpan.FromHours(2));

        var page = await Desk.ReviewAsync(old);

        Assert.Equal(DecisionOutcome.Expired, page.Outcome);
        Assert.Equal("This link expired on Mon 1 Mar 2027, 11:00 (Europe/Berlin). Draft v2 is the newest and waits for a decision: use its email or the program dashboard.",
            page.Message);
    }

    [Fact]
    public async Task A_link_to_a_draft_replaced_without_a_claim_is_stale_and_names_the_newer_version()
    {
        await program.Host.RaiseAsync(EmbeddedProgram.ProgramId, windowId,
            new DecisionReceived(1, DecisionAction.Rerun, "lead@example.com", program.Clock.GetUtcNow()));

        var page = await Desk.DecideAsync(Token(DecisionAction.Approve), null);

        Assert.Equal(DecisionOutcome.Stale, page.Outcome);
        Assert.Equal("Draft v1 was replaced by v2; use the newest email or the program dashboard.", page.Message);
        Assert.Null(await Claim(1));
        Assert.Equal((WindowPhase.AwaitingDecision, 2), ((await State()).Phase, (await State()).DraftVersion));
    }

    [Fact]
    public async Task A_link_to_a_version_that_was_never_drafted_is_not_waiting_for_a_decision()
    {
        var page = await Desk.DecideAsync(Token(DecisionAction.Approve, version: 2), null);

        Assert.Equal(DecisionOutcome.Stale, page.Outcome);
        Assert.Equal("Draft v2 is not waiting for a decision.", page.Message);
        Assert.Null(await Claim(2));
        Assert.Equal(WindowPhase.AwaitingDecision, (await State()).Phase);
    }

    [Fact]
    public async Task A_link_to_a_cancelled_window_says_so_and_decides_nothing()
    {
        await program.Windows.CancelAsync(EmbeddedProgram.ProgramId, windowId, "hr@example.com", "wrong date");

        var page = await Desk.DecideAsync(Token(DecisionAction.Approve), null);

        Assert.Equal((DecisionOutcome.Stale, "This matching window is cancelled."), (page.Outcome, page.Message));
        Assert.Null(await Claim(1));
    }

    [Fact]
    public async Task While_pairs_are_being_published_a_link_to_the_approved_window_says_so()
    {
        program.Activities.Fails = c => c is PublishPairs;
        // The approval arrives from the dashboard (no claim), and publishing fails for now: the window stays in Publishing.
        await program.Host.RaiseAsync(EmbeddedProgram.ProgramId, windowId,
            new DecisionReceived(1, DecisionAction.Approve, "lead@example.com", program.Clock.GetUtcNow()));
        Assert.Equal(WindowPhase.Publishing, (await State()).Phase);

        var page = await Desk.ReviewAsync(Token(DecisionAction.Reject));

        Assert.Equal((DecisionOutcome.Stale, "This matching window is publishing its pairs."), (page.Outcome, page.Message));
    }

    [Fact]
    public async Task While_intros_go_out_a_link_to_the_approved_window_says_so()
    {
        program.Activities.Fails = c => c is MailIntros;
        await program.Host.RaiseAsync(EmbeddedProgram.ProgramId, windowId,
            new DecisionReceived(1, DecisionAction.Approve, "lead@example.com", program.Clock.GetUtcNow()));
        Assert.Equal(WindowPhase.Introducing, (await State()).Phase);

        var page = await Desk.ReviewAsync(Token(DecisionAction.Reject));

        Assert.Equal((DecisionOutcome.Stale, "This matching window is sending intros."), (page.Outcome, page.Message));
    }

    [Fact]
    public async Task A_link_to_the_draft_still_being_computed_is_not_waiting_for_a_decision()
    {
        program.Activities.Fails = c => c is ComputeDraft;
        await program.Host.RaiseAsync(EmbeddedProgram.ProgramId, windowId,
            new DecisionReceived(1, DecisionAction.Rerun, "lead@example.com", program.Clock.GetUtcNow()));
        Assert.Equal((WindowPhase.Drafting, 2), ((await State()).Phase, (await State()).DraftVersion));

        var page = await Desk.DecideAsync(Token(DecisionAction.Approve, version: 2), null);

        Assert.Equal((DecisionOutcome.Stale, "Draft v2 is not waiting for a decision."), (page.Outcome, page.Message));
        Assert.Null(await Claim(2));
    }

    [Fact]
    public async Task While_the_approved_draft_is_published_a_late_admin_is_told_who_decided_and_pointed_nowhere_else()
    {
        program.Activities.Fails = c => c is PublishPairs;
        await Desk.DecideAsync(Token(DecisionAction.Approve, admin: "lead@example.com"), null);
        Assert.Equal(WindowPhase.Publishing, (await State()).Phase);

        var page = await Desk.ReviewAsync(Token(DecisionAction.Reject));

        Assert.Equal(DecisionOutcome.AlreadyDecided, page.Outcome);
        Assert.Equal("Draft v1 was already decided: approved by lead@example.com on Mon 1 Mar 2027, 10:00 (Europe/Berlin).", page.Message);
    }

    [Fact]
    public async Task Forged_damaged_and_unknown_key_links_are_invalid_and_decide_nothing()
    {
        var good = Token(DecisionAction.Approve);
        var otherKey = new DecisionTokens(new LinkSigner([new SigningKey("k2", new byte[32])])).Sign(new DecisionGrant
        {
            ProgramId = EmbeddedProgram.ProgramId, WindowId = windowId, Version = 1, Approver = "x@example.com",
            Action = DecisionAction.Approve, ExpiresAtUnix = EmbeddedProgram.T0.AddDays(1).ToUnixTimeSeconds(),
        });
        var forged = new DecisionTokens(new LinkSigner([new SigningKey("k1", new byte[32])])).Sign(new DecisionGrant
        {
            ProgramId = EmbeddedProgram.ProgramId, WindowId = windowId, Version = 1, Approver = "x@example.com",
            Action = DecisionAction.Approve, ExpiresAtUnix = EmbeddedProgram.T0.AddDays(1).ToUnixTimeSeconds(),
        });

        foreach (var token in new[] { good[..^4], forged, otherKey, "nonsense" })
        {
            var page = await Desk.DecideAsync(token, null);
            Assert.Equal(DecisionOutcome.Invalid, page.Outcome);
            Assert.Equal("This link is not valid. Use the newest email about this draft, or ask another admin.", page.Message);
            Assert.Null(page.Grant);
        }
        Assert.Null(await Claim(1));
        Assert.Equal(WindowPhase.AwaitingDecision, (await State()).Phase);
    }

    [Fact]
    public async Task A_link_to_a_program_that_does_not_exist_is_invalid()
    {
        var token = program.Token(windowId, 1, DecisionAction.Approve, programId: "autumn");

        var page = await Desk.DecideAsync(token, null);

        Assert.Equal((DecisionOutcome.Invalid, "The program of this link no longer exists."), (page.Outcome, page.Message));
        Assert.Equal("autumn", page.Grant!.ProgramId);
    }

    [Fact]
    public async Task A_link_to_a_window_that_does_not_exist_is_invalid()
    {
        var token = program.Token("w-20270101-0000", 1, DecisionAction.Approve);

        var page = await Desk.DecideAsync(token, null);

        Assert.Equal((DecisionOutcome.Invalid, "The matching window of this link does not exist."), (page.Outcome, page.Message));
        Assert.Equal("Spring buddies", page.Program!.Name);
    }

    [Fact]
    public async Task Of_two_admins_deciding_at_once_the_loser_is_told_who_won()
    {
        using var racing = new EmbeddedProgram(store => new RivalClaimsFirst(store, "lead@example.com"));
        await racing.CreateProgramAsync();
        await racing.RegisterAsync(4);
        var window = (await racing.CloseNowAsync()).WindowId;

        var page = await racing.Decisions.DecideAsync(racing.Token(window, 1, DecisionAction.Reject), "not like this");

        Assert.Equal(DecisionOutcome.AlreadyDecided, page.Outcome);
        Assert.StartsWith("Draft v1 was already decided: approved by lead@example.com on ", page.Message, StringComparison.Ordinal);
        var claim = (await racing.Store.ReadAsync<DecisionClaim>(WindowDocuments.Decision(EmbeddedProgram.ProgramId, window, 1)))!.Value;
        Assert.Equal(("lead@example.com", DecisionAction.Approve), (claim.By, claim.Action));
        // The loser's decision never reached the window.
        Assert.DoesNotContain((await racing.StateAsync(window))!.Decisions, d => d.By == "hr@example.com");
    }

    /// <summary>Another admin's claim lands between this admin's check and their write.</summary>
    private sealed class RivalClaimsFirst(IDocumentStore inner, string rival) : IDocumentStore
    {
        public async Task<StoredDocument<T>> CreateAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default)
        {
            if (value is DecisionClaim mine && mine.By != rival)
            {
                await inner.CreateAsync(key, mine with { By = rival, Action = DecisionAction.Approve, TokenHash = "rival", Reason = null }, cancellationToken);
            }
            return await inner.CreateAsync(key, value, cancellationToken);
        }

        public Task<StoredDocument<T>?> ReadAsync<T>(DocumentKey key, CancellationToken cancellationToken = default) => inner.ReadAsync<T>(key, cancellationToken);
        public Task<StoredDocument<T>> ReplaceAsync<T>(DocumentKey key, T value, string ifMatch, CancellationToken cancellationToken = default) =>
            inner.ReplaceAsync(key, value, ifMatch, cancellationToken);
        public Task<StoredDocument<T>> UpsertAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default) => inner.UpsertAsync(key, value, cancellationToken);
        public Task<bool> DeleteAsync(DocumentKey key, string? ifMatch = null, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, ifMatch, cancellationToken);
        public Task<DocumentPage<T>> QueryAsync<T>(DocumentQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync<T>(query, cancellationToken);
    }
}
