using Mentoring.Core.Common;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;
using Mentoring.Core.Registration;
using Mentoring.Core.Tests.Workflow;

namespace Mentoring.Core.Tests.Registration;

/// <summary>
/// Signups from the JSON API and from forms tools (submission id, edits, retries), withdrawals and listing, on the
/// embedded SQLite store.
/// </summary>
public sealed class ParticipantRegistryTests : IAsyncLifetime, IDisposable
{
    private const string Spring = EmbeddedProgram.ProgramId;
    private const string Tally = "tally";
    private static readonly DateTimeOffset Sent = EmbeddedProgram.T0.AddMinutes(-5);
    private readonly EmbeddedProgram program = new();

    public async Task InitializeAsync() => await program.CreateProgramAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => program.Dispose();

    private ParticipantRegistry Registry => program.Registry;
    private DateTimeOffset Now => program.Clock.GetUtcNow();

    private static RegistrationRequest Request(string email = "ada@example.com", string department = "Sales", string name = "Ada",
        RegistrationSource? source = null, DateTimeOffset? submittedAt = null) => new()
        {
            Email = email,
            Name = name,
            Consent = true,
            Answers = new Dictionary<string, IReadOnlyList<string>> { ["department"] = [department] },
            Source = source ?? new RegistrationSource(RegistrationSource.Api),
            SubmittedAt = submittedAt,
        };

    private static RegistrationRequest Form(string email = "ada@example.com", string department = "Sales", string submission = "sub-1",
        DateTimeOffset? submittedAt = null) =>
        Request(email, department, source: new RegistrationSource(Tally, submission), submittedAt: submittedAt);

    private async Task<SubmissionOutcome> Submit(RegistrationRequest request) =>
        await Registry.ApplySubmissionAsync(Registry.Prepare((await program.Programs.GetAsync(Spring)).Value, request));

    private async Task<Participant> Read(string id) => (await program.Store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(Spring, id)))!.Value;

    private async Task<Participant> SelfWithdraw(string id)
    {
        program.Clock.Advance(TimeSpan.FromMinutes(1));
        return (await program.Store.UpdateAsync<Participant>(ParticipantRegistry.KeyOf(Spring, id), p => p.Withdraw(Withdrawal.Self, Now)))!.Value;
    }

    [Fact]
    public async Task A_new_address_is_registered_once_and_the_same_address_again_updates_that_participant()
    {
        var first = await Registry.RegisterAsync(Spring, Request());
        program.Clock.Advance(TimeSpan.FromHours(1));

        var second = await Registry.RegisterAsync(Spring, Request(email: "  ADA@Example.com ", department: "Finance", name: "Ada L."));

        Assert.True(first.Created);
        Assert.False(first.Redelivery);
        Assert.False(second.Created);
        Assert.False(second.Redelivery);
        var ada = second.Participant.Value;
        Assert.Equal(first.Participant.Value.Id, ada.Id);
        Assert.Equal(("ada@example.com", "Ada L.", "Finance"), (ada.Email, ada.Name, ada.SingleAnswer("department")));
        Assert.Equal((EmbeddedProgram.T0, EmbeddedProgram.T0, Now), (ada.CreatedAt, ada.ConsentedAt, ada.UpdatedAt));
        Assert.Single((await Registry.ListAsync(Spring, null, 10, null)).Items);
    }

    [Fact]
    public async Task Registration_is_open_from_its_opening_instant_until_just_before_it_closes()
    {
        var program2 = new EmbeddedProgram();
        using var _ = program2;
        await program2.Programs.CreateAsync(new ProgramDefinition
        {
            Id = "autumn", Name = "Autumn", Kind = ProgramKind.Cohort, AdminEmails = ["hr@example.com"],
            Registration = new RegistrationWindow { OpensAt = EmbeddedProgram.T0.AddHours(1), ClosesAt = EmbeddedProgram.T0.AddHours(2) },
        });
        var registry = program2.Registry;
        var request = Request() with { Answers = new Dictionary<string, IReadOnlyList<string>>() };

        var autumn = (await program2.Programs.GetAsync("autumn")).Value;
        var early = await Assert.ThrowsAsync<ConflictException>(() => registry.RegisterAsync("autumn", request));
        Assert.Equal(ParticipantRegistry.NotOpen, early.Message); // the public route says no more than for a program that does not exist
        Assert.Equal("Registration for 'Autumn' opens at 2027-03-01 10:00 UTC (2027-03-01T10:00:00.0000000+00:00).",
            Assert.Throws<ConflictException>(() => registry.Prepare(autumn, request)).Message); // forms webhooks, authenticated, say when
        program2.Clock.Advance(TimeSpan.FromHours(1));
        Assert.True((await registry.RegisterAsync("autumn", request)).Created);
        program2.Clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromTicks(1));
        Assert.False((await registry.RegisterAsync("autumn", request)).Created);
        program2.Clock.Advance(TimeSpan.FromTicks(1));
        var late = await Assert.ThrowsAsync<ConflictException>(() => registry.RegisterAsync("autumn", request with { Email = "bo@example.com" }));
        Assert.Equal(ParticipantRegistry.NotOpen, late.Message);
        Assert.Equal("Registration for 'Autumn' closed at 2027-03-01 11:00 UTC (2027-03-01T11:00:00.0000000+00:00).",
            Assert.Throws<ConflictException>(() => registry.Prepare(autumn, request)).Message);
        Assert.Single((await registry.ListAsync("autumn", null, 10, null)).Items);
    }

    [Fact]
    public async Task An_admins_removal_sticks_and_removing_twice_changes_nothing_more()
    {
        var ada = (await Registry.RegisterAsync(Spring, Request())).Participant.Value;
        program.Clock.Advance(TimeSpan.FromMinutes(3));

        var removed = await Registry.WithdrawAsync(Spring, ada.Id);
        program.Clock.Advance(TimeSpan.FromMinutes(3));
        var again = await Registry.WithdrawAsync(Spring, ada.Id);
        var signup = await Registry.RegisterAsync(Spring, Request(department: "Finance"));
        var form = await Submit(Form());

        Assert.Equal((ParticipantStatus.Withdrawn, Withdrawal.Admin, EmbeddedProgram.T0.AddMinutes(3)), (removed.Value.Status, removed.Value.WithdrawnBy, removed.Value.WithdrawnAt));
        Assert.Equal(removed.ETag, again.ETag);
        Assert.Equal((false, true), (signup.Created, signup.Redelivery));
        Assert.Equal("Sales", signup.Participant.Value.SingleAnswer("department"));
        Assert.Equal(SubmissionEffect.IgnoredRemovedByAdmin, form.Effect);
        Assert.True(form.Ignored);
        Assert.Equal(ParticipantStatus.Withdrawn, (await Read(ada.Id)).Status);
    }

    [Fact]
    public async Task An_admin_may_remove_someone_who_had_left_by_themselves_and_then_it_sticks()
    {
        var ada = (await Registry.RegisterAsync(Spring, Request())).Participant.Value;
        await SelfWithdraw(ada.Id);

        var removed = await Registry.WithdrawAsync(Spring, ada.Id);

        Assert.Equal(Withdrawal.Admin, removed.Value.WithdrawnBy);
        Assert.True((await Registry.RegisterAsync(Spring, Request())).Redelivery);
    }

    [Fact]
    public async Task Someone_who_left_by_themselves_can_sign_up_again_through_the_api()
    {
        var ada = (await Registry.RegisterAsync(Spring, Request())).Participant.Value;
        await SelfWithdraw(ada.Id);

        var back = await Registry.RegisterAsync(Spring, Request(department: "Finance"));

        Assert.Equal((false, false), (back.Created, back.Redelivery));
        var p = back.Participant.Value;
        Assert.Equal((ParticipantStatus.Registered, null, null, "Finance"), (p.Status, p.WithdrawnAt, p.WithdrawnBy, p.SingleAnswer("department")));
    }

    [Fact]
    public async Task A_forms_submission_registers_once_and_an_identical_retry_changes_nothing()
    {
        var first = await Submit(Form(submittedAt: Sent));
        program.Clock.Advance(TimeSpan.FromMinutes(1));

        var retry = await Submit(Form(submittedAt: Sent));

        Assert.Equal(SubmissionEffect.Created, first.Effect);
        Assert.Equal(SubmissionEffect.Unchanged, retry.Effect);
        Assert.False(retry.Ignored);
        Assert.Equal(first.Participant!.ETag, retry.Participant!.ETag);
        var p = retry.Participant.Value;
        Assert.Equal((new RegistrationSource(Tally, "sub-1"), 1), (p.Source, p.SourceRevision));
        var ledger = (await Registry.SubmissionAsync(Spring, new RegistrationSource(Tally, "sub-1")))!.Value;
        Assert.Equal((p.Id, 1, Sent, EmbeddedProgram.T0, EmbeddedProgram.T0), (ledger.ParticipantId, ledger.Revision, ledger.SubmittedAt, ledger.FirstReceivedAt, ledger.ReceivedAt));
        Assert.Null(await Registry.SubmissionAsync(Spring, new RegistrationSource(RegistrationSource.Api)));
    }

    [Fact]
    public async Task An_edit_updates_the_same_participant_and_a_late_retry_of_the_first_version_is_ignored()
    {
        var first = await Submit(Form(submittedAt: Sent));
        program.Clock.Advance(TimeSpan.FromMinutes(1));
        var edit = await Submit(Form(department: "Finance", submittedAt: Sent.AddMinutes(2)));
        program.Clock.Advance(TimeSpan.FromMinutes(1));

        var late = await Submit(Form(submittedAt: Sent));

        Assert.Equal(SubmissionEffect.Updated, edit.Effect);
        Assert.Equal(first.Participant!.Value.Id, edit.Participant!.Value.Id);
        Assert.Null(edit.MovedFrom); // the same address: nobody moved
        Assert.Equal(SubmissionEffect.IgnoredOlderVersion, late.Effect);
        var p = await Read(edit.Participant.Value.Id);
        Assert.Equal(("Finance", 2, EmbeddedProgram.T0.AddMinutes(1)), (p.SingleAnswer("department"), p.SourceRevision, p.UpdatedAt));
        var ledger = (await Registry.SubmissionAsync(Spring, new RegistrationSource(Tally, "sub-1")))!.Value;
        Assert.Equal((2, Sent.AddMinutes(2)), (ledger.Revision, ledger.SubmittedAt));
        Assert.Single(ledger.PreviousHashes);
        Assert.Empty(ledger.Moves);
    }

    [Fact]
    public async Task Without_the_providers_time_a_late_retry_of_an_earlier_version_is_recognised_by_its_content()
    {
        await Submit(Form());
        await Submit(Form(department: "Finance"));

        var late = await Submit(Form());
        var newest = await Submit(Form(department: "Finance"));

        Assert.Equal(SubmissionEffect.IgnoredOlderVersion, late.Effect);
        Assert.Equal(SubmissionEffect.Unchanged, newest.Effect);
        Assert.Equal("Finance", (await Read(late.Participant!.Value.Id)).SingleAnswer("department"));
    }

    [Fact]
    public async Task Two_versions_sent_in_the_same_second_are_ordered_by_arrival_unless_one_came_before()
    {
        await Submit(Form(submittedAt: Sent));
        var sameSecond = await Submit(Form(department: "Finance", submittedAt: Sent));
        var backAgain = await Submit(Form(submittedAt: Sent));

        Assert.Equal(SubmissionEffect.Updated, sameSecond.Effect);
        Assert.Equal(SubmissionEffect.IgnoredOlderVersion, backAgain.Effect);
    }

    [Fact]
    public async Task An_edit_to_another_address_moves_the_participant_and_an_edit_back_brings_the_first_record_back()
    {
        var ada = (await Submit(Form(submittedAt: Sent))).Participant!.Value;
        program.Clock.Advance(TimeSpan.FromMinutes(1));

        var moved = await Submit(Form(email: "ada.l@example.com", submittedAt: Sent.AddMinutes(1)));

        Assert.Equal(SubmissionEffect.Created, moved.Effect);
        Assert.Equal(ada.Id, moved.MovedFrom);
        var there = moved.Participant!.Value;
        Assert.Equal(("ada.l@example.com", ada.Id, 2), (there.Email, there.MovedFrom, there.SourceRevision));
        var left = await Read(ada.Id);
        Assert.Equal((ParticipantStatus.Withdrawn, Withdrawal.Moved, there.Id, 2, Now), (left.Status, left.WithdrawnBy, left.MovedTo, left.SourceRevision, left.WithdrawnAt));
        Assert.Single((await Registry.ListAsync(Spring, ParticipantStatus.Registered, 10, null)).Items);

        program.Clock.Advance(TimeSpan.FromMinutes(1));
        var back = await Submit(Form(submittedAt: Sent.AddMinutes(2)));

        Assert.Equal(SubmissionEffect.Updated, back.Effect);
        Assert.Equal(there.Id, back.MovedFrom);
        var home = await Read(ada.Id);
        Assert.Equal((ParticipantStatus.Registered, null, null, 3), (home.Status, home.WithdrawnBy, home.MovedTo, home.SourceRevision));
        Assert.Equal(there.Id, home.MovedFrom); // where the person came back from
        var away = await Read(there.Id);
        Assert.Equal((ParticipantStatus.Withdrawn, Withdrawal.Moved, ada.Id), (away.Status, away.WithdrawnBy, away.MovedTo));
        var ledger = (await Registry.SubmissionAsync(Spring, new RegistrationSource(Tally, "sub-1")))!.Value;
        Assert.Equal([(ada.Id, there.Id, 2), (there.Id, ada.Id, 3)], ledger.Moves.Select(m => (m.From, m.To, m.Revision)));
    }

    [Fact]
    public async Task Someone_who_left_is_not_brought_back_by_an_edit_of_their_old_submission()
    {
        var ada = (await Submit(Form(submittedAt: Sent))).Participant!.Value;
        await SelfWithdraw(ada.Id);

        var edit = await Submit(Form(department: "Finance", submittedAt: Sent.AddMinutes(1)));
        var editToNewAddress = await Submit(Form(email: "ada.l@example.com", submittedAt: Sent.AddMinutes(2)));
        var editSentAfterLeaving = await Submit(Form(department: "Engineering", submittedAt: Now.AddSeconds(1))); // only a new submission brings them back

        Assert.Equal(SubmissionEffect.IgnoredWithdrawn, edit.Effect);
        Assert.Equal(SubmissionEffect.IgnoredWithdrawn, editToNewAddress.Effect);
        Assert.Equal(SubmissionEffect.IgnoredWithdrawn, editSentAfterLeaving.Effect);
        Assert.Equal(ParticipantStatus.Withdrawn, (await Read(ada.Id)).Status);
        Assert.Empty((await Registry.ListAsync(Spring, ParticipantStatus.Registered, 10, null)).Items);
    }

    [Fact]
    public async Task A_removed_person_is_not_brought_back_by_an_edit_to_a_new_address()
    {
        var ada = (await Submit(Form(submittedAt: Sent))).Participant!.Value;
        await Registry.WithdrawAsync(Spring, ada.Id);

        var edit = await Submit(Form(email: "ada.l@example.com", submittedAt: Sent.AddMinutes(2)));

        Assert.Equal(SubmissionEffect.IgnoredRemovedByAdmin, edit.Effect);
        Assert.Empty((await Registry.ListAsync(Spring, ParticipantStatus.Registered, 10, null)).Items);
    }

    [Fact]
    public async Task A_new_submission_sent_after_someone_left_registers_them_again_but_one_sent_before_or_as_they_left_does_not()
    {
        var ada = (await Submit(Form(submittedAt: Sent))).Participant!.Value;
        var leftAt = (await SelfWithdraw(ada.Id)).WithdrawnAt!.Value;

        var sentBefore = await Submit(Form(submission: "sub-0", department: "Engineering", submittedAt: Sent.AddSeconds(30)));
        var sentAsTheyLeft = await Submit(Form(submission: "sub-3", department: "Engineering", submittedAt: leftAt));
        var sentAfter = await Submit(Form(submission: "sub-2", department: "Finance", submittedAt: Now.AddSeconds(1)));

        Assert.Equal(SubmissionEffect.IgnoredWithdrawn, sentBefore.Effect);
        Assert.Equal(SubmissionEffect.IgnoredWithdrawn, sentAsTheyLeft.Effect);
        Assert.Equal(SubmissionEffect.Updated, sentAfter.Effect);
        var p = await Read(ada.Id);
        Assert.Equal((ParticipantStatus.Registered, "Finance", new RegistrationSource(Tally, "sub-2")), (p.Status, p.SingleAnswer("department"), p.Source));
    }

    [Fact]
    public async Task A_redelivered_move_changes_neither_record()
    {
        var ada = (await Submit(Form(submittedAt: Sent))).Participant!.Value;
        program.Clock.Advance(TimeSpan.FromMinutes(1));
        var moved = (await Submit(Form(email: "ada.l@example.com", submittedAt: Sent.AddMinutes(1)))).Participant!;
        var left = await program.Store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(Spring, ada.Id));
        program.Clock.Advance(TimeSpan.FromMinutes(1));

        var retry = await Submit(Form(email: "ada.l@example.com", submittedAt: Sent.AddMinutes(1)));

        Assert.Equal(SubmissionEffect.Unchanged, retry.Effect);
        Assert.Equal(moved.ETag, retry.Participant!.ETag);
        Assert.Equal(left!.ETag, (await program.Store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(Spring, ada.Id)))!.ETag);
    }

    [Fact]
    public async Task A_retry_of_an_old_move_does_not_move_someone_who_signed_up_again_at_the_old_address()
    {
        var ada = (await Submit(Form(submittedAt: Sent))).Participant!.Value;
        await Submit(Form(email: "ada.l@example.com", submittedAt: Sent.AddMinutes(1)));
        program.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await Registry.RegisterAsync(Spring, Request());

        var retry = await Submit(Form(email: "ada.l@example.com", submittedAt: Sent.AddMinutes(1)));

        Assert.Equal((false, false), (again.Created, again.Redelivery));
        Assert.Equal(SubmissionEffect.Unchanged, retry.Effect);
        var home = await Read(ada.Id);
        Assert.Equal((ParticipantStatus.Registered, RegistrationSource.Api, null), (home.Status, home.Source.Channel, home.MovedTo));
    }

    [Fact]
    public async Task Moving_away_and_back_keeps_when_each_address_was_left_and_where_the_person_last_came_from()
    {
        var a = (await Submit(Form(submittedAt: Sent))).Participant!.Value.Id;
        program.Clock.Advance(TimeSpan.FromMinutes(1));
        var leftA = Now;
        var b = (await Submit(Form(email: "ada.b@example.com", submittedAt: Sent.AddMinutes(1)))).Participant!.Value.Id;
        program.Clock.Advance(TimeSpan.FromMinutes(1));
        var c = (await Submit(Form(email: "ada.c@example.com", submittedAt: Sent.AddMinutes(2)))).Participant!.Value.Id;
        program.Clock.Advance(TimeSpan.FromMinutes(1));

        var backToB = await Submit(Form(email: "ada.b@example.com", submittedAt: Sent.AddMinutes(3)));

        Assert.Equal((SubmissionEffect.Updated, c), (backToB.Effect, backToB.MovedFrom));
        var first = await Read(a);
        Assert.Equal((ParticipantStatus.Withdrawn, Withdrawal.Moved, b, leftA), (first.Status, first.WithdrawnBy, first.MovedTo, first.WithdrawnAt));
        Assert.Equal((ParticipantStatus.Registered, c), ((await Read(b)).Status, (await Read(b)).MovedFrom));
        Assert.Equal((ParticipantStatus.Withdrawn, b), ((await Read(c)).Status, (await Read(c)).MovedTo));
        Assert.Equal([b], (await Registry.ActiveAsync(Spring)).Select(p => p.Id));

        // A signup through the API at that address changes the answers, not where the person came from.
        var api = await Registry.RegisterAsync(Spring, Request(email: "ada.b@example.com", department: "Finance"));
        Assert.Equal(("Finance", c), (api.Participant.Value.SingleAnswer("department"), api.Participant.Value.MovedFrom));
    }

    [Fact]
    public async Task A_version_sent_before_the_newest_known_time_is_ignored_even_after_an_edit_that_came_without_a_time()
    {
        await Submit(Form(submittedAt: Sent.AddMinutes(2)));
        await Submit(Form(department: "Finance"));

        var sentEarlier = await Submit(Form(department: "Engineering", submittedAt: Sent));

        Assert.Equal(SubmissionEffect.IgnoredOlderVersion, sentEarlier.Effect);
        Assert.Equal("Finance", (await Read(sentEarlier.Participant!.Value.Id)).SingleAnswer("department"));
    }

    [Fact]
    public async Task A_late_retry_of_the_version_just_replaced_is_recognised_even_after_more_than_a_hundred_edits()
    {
        var tally = new RegistrationSource(Tally, "sub-1");
        RegistrationRequest Version(int n) => Request(name: $"Ada {n:D3}", source: tally);
        var last = SubmissionRecord.MaxPreviousVersions + 2;
        for (var n = 1; n <= last; n++)
        {
            await Submit(Version(n));
        }

        var lateRetry = await Submit(Version(last - 1));

        Assert.Equal(SubmissionEffect.IgnoredOlderVersion, lateRetry.Effect);
        Assert.Equal($"Ada {last:D3}", (await Read(lateRetry.Participant!.Value.Id)).Name);
    }

    [Fact]
    public async Task An_edit_of_a_submission_stored_before_the_ledger_existed_is_applied()
    {
        var ada = (await Submit(Form())).Participant!.Value;
        // As the intake stored a submission before the ledger: its id in the participant's memory, no ledger entry.
        await program.Store.DeleteAsync(SubmissionRecord.KeyOf(Spring, Tally, "sub-1"));
        await program.Store.UpdateAsync<Participant>(ParticipantRegistry.KeyOf(Spring, ada.Id), p => p with { Submissions = ["tally:sub-1"], SourceRevision = 0 });

        var edit = await Submit(Form(department: "Finance"));

        Assert.Equal(SubmissionEffect.Updated, edit.Effect);
        Assert.Equal("Finance", (await Read(ada.Id)).SingleAnswer("department"));
    }

    [Fact]
    public async Task An_edit_that_moves_an_answer_to_another_question_is_stored()
    {
        await program.Programs.CreateAsync(new ProgramDefinition
        {
            Id = "skills", Name = "Skills exchange", Kind = ProgramKind.Cohort, AdminEmails = ["hr@example.com"],
            Questionnaire = new Questionnaire
            {
                Questions =
                [
                    new() { Key = "offers", Type = QuestionType.MultiChoice, Options = ["SQL", "Speaking"], Role = MatchingRole.Overlap, Weight = 5 },
                    new() { Key = "wants", Type = QuestionType.MultiChoice, Options = ["SQL", "Speaking"], Role = MatchingRole.Overlap, Weight = 5 },
                ],
            },
        });
        var skills = (await program.Programs.GetAsync("skills")).Value;
        RegistrationRequest Answering(string question) => Request(source: new RegistrationSource(Tally, "sub-1")) with
        {
            Answers = new Dictionary<string, IReadOnlyList<string>> { [question] = ["SQL"] },
        };
        await Registry.ApplySubmissionAsync(Registry.Prepare(skills, Answering("offers")));

        var edit = await Registry.ApplySubmissionAsync(Registry.Prepare(skills, Answering("wants")));

        Assert.Equal(SubmissionEffect.Updated, edit.Effect);
        Assert.Equal(["SQL"], edit.Participant!.Value.Answer("wants"));
        Assert.Empty(edit.Participant.Value.Answer("offers"));
    }

    [Fact]
    public async Task Whether_a_new_submission_came_after_someone_left_is_judged_by_when_they_left_not_by_a_later_change_to_their_record()
    {
        var ada = (await Submit(Form(submittedAt: Sent))).Participant!.Value;
        await SelfWithdraw(ada.Id);
        var sentAfterLeaving = Now.AddMinutes(5);
        program.Clock.Advance(TimeSpan.FromMinutes(10));
        await program.Store.UpdateAsync<Participant>(ParticipantRegistry.KeyOf(Spring, ada.Id), p => p with { UnsubscribedAt = Now, UpdatedAt = Now });

        var back = await Submit(Form(submission: "sub-2", department: "Finance", submittedAt: sentAfterLeaving));

        Assert.Equal(SubmissionEffect.Updated, back.Effect);
        Assert.Equal((ParticipantStatus.Registered, "Finance"), ((await Read(ada.Id)).Status, (await Read(ada.Id)).SingleAnswer("department")));
    }

    [Fact]
    public async Task An_edit_that_changes_only_the_name_is_stored()
    {
        await Submit(Form());
        var tally = new RegistrationSource(Tally, "sub-1");

        var renamed = await Submit(Request(name: "Ada Lovelace", source: tally));
        var again = await Submit(Request(name: "Ada Lovelace", source: tally));

        Assert.Equal((SubmissionEffect.Updated, SubmissionEffect.Unchanged), (renamed.Effect, again.Effect));
        Assert.Equal("Ada Lovelace", (await Read(renamed.Participant!.Value.Id)).Name);
    }

    [Fact]
    public async Task An_erased_address_cannot_sign_up_again_and_a_retry_of_its_submission_is_acknowledged_only()
    {
        var ada = (await Submit(Form(submittedAt: Sent))).Participant!.Value;
        await program.Store.UpdateAsync<Participant>(ParticipantRegistry.KeyOf(Spring, ada.Id),
            p => p.Withdraw(Withdrawal.Self, Now) with { ErasedAt = Now, SourceRevision = 0 });

        var signup = await Assert.ThrowsAsync<ConflictException>(() => Registry.RegisterAsync(Spring, Request()));
        var retry = await Submit(Form(submittedAt: Sent));

        Assert.Equal("This address asked for its data to be erased from this program; please contact the program's admins to join again.", signup.Message);
        Assert.Equal(SubmissionEffect.IgnoredWithdrawn, retry.Effect);
        Assert.NotNull((await Read(ada.Id)).ErasedAt);
    }

    [Fact]
    public async Task A_submission_applied_before_the_ledger_existed_is_recognised_as_a_redelivery()
    {
        var ada = (await Registry.RegisterAsync(Spring, Request())).Participant.Value;
        await program.Store.UpdateAsync<Participant>(ParticipantRegistry.KeyOf(Spring, ada.Id), p => p with { Submissions = ["tally:sub-1"] });

        var outcome = await Submit(Form(department: "Finance"));

        Assert.Equal(SubmissionEffect.Unchanged, outcome.Effect);
        Assert.Equal("Sales", (await Read(ada.Id)).SingleAnswer("department"));
    }

    [Fact]
    public async Task A_forms_submission_through_the_registration_call_reports_created_then_redelivery()
    {
        var programValue = (await program.Programs.GetAsync(Spring)).Value;

        var first = await Registry.RegisterAsync(programValue, Form());
        var again = await Registry.RegisterAsync(programValue, Form());
        var edit = await Registry.RegisterAsync(programValue, Form(department: "Finance"));

        Assert.Equal((true, false), (first.Created, first.Redelivery));
        Assert.Equal((false, true), (again.Created, again.Redelivery));
        Assert.Equal((false, false), (edit.Created, edit.Redelivery));
    }

    [Fact]
    public async Task Participants_are_listed_by_status_a_page_at_a_time()
    {
        for (var i = 0; i < 5; i++)
        {
            await Registry.RegisterAsync(Spring, Request(email: $"p{i}@example.com"));
        }
        var gone = (await Registry.ListAsync(Spring, null, 10, null)).Items[0].Value.Id;
        await Registry.WithdrawAsync(Spring, gone);

        var page1 = await Registry.ListAsync(Spring, ParticipantStatus.Registered, 3, null);
        var page2 = await Registry.ListAsync(Spring, ParticipantStatus.Registered, 3, page1.ContinuationToken);
        var withdrawn = await Registry.ListAsync(Spring, ParticipantStatus.Withdrawn, 10, null);

        Assert.Equal(3, page1.Items.Count);
        Assert.Single(page2.Items);
        Assert.Null(page2.ContinuationToken);
        Assert.DoesNotContain(page1.Items.Concat(page2.Items), p => p.Value.Id == gone);
        Assert.Equal(gone, Assert.Single(withdrawn.Items).Value.Id);
        Assert.Equal(4, (await Registry.ActiveAsync(Spring)).Count);
        var bad = await Assert.ThrowsAsync<ValidationFailedException>(() => Registry.ListAsync(Spring, null, 3, "not-a-token"));
        Assert.Equal(("continuationToken", Rules.Format, "The continuation token is not one this server issued."),
            (bad.Errors[0].Field, bad.Errors[0].Rule, bad.Errors[0].Detail));
    }

    [Fact]
    public async Task Unknown_programs_and_participants_are_not_found()
    {
        Assert.Equal("Participant 'p_nobody' was not found.", (await Assert.ThrowsAsync<NotFoundException>(() => Registry.GetAsync(Spring, "p_nobody"))).Message);
        Assert.Equal("Participant 'p_nobody' was not found.", (await Assert.ThrowsAsync<NotFoundException>(() => Registry.WithdrawAsync(Spring, "p_nobody"))).Message);
        await Assert.ThrowsAsync<NotFoundException>(() => Registry.ListAsync("autumn", null, 10, null));
        // Signing up to a program that does not exist is answered as to a closed one (program ids cannot be probed).
        Assert.Equal(ParticipantRegistry.NotOpen, (await Assert.ThrowsAsync<ConflictException>(() => Registry.RegisterAsync("autumn", Request()))).Message);
        var ada = (await Registry.RegisterAsync(Spring, Request())).Participant.Value;
        Assert.Equal((ada.Id, ada.Email), ((await Registry.GetAsync(Spring, ada.Id)).Value.Id, (await Registry.GetAsync(Spring, ada.Id)).Value.Email));
        // Another program's participant is not looked up at all: the answer names the missing program.
        Assert.Equal("Program 'autumn' was not found.", (await Assert.ThrowsAsync<NotFoundException>(() => Registry.GetAsync("autumn", ada.Id))).Message);
        Assert.Equal("Program 'autumn' was not found.", (await Assert.ThrowsAsync<NotFoundException>(() => Registry.WithdrawAsync("autumn", ada.Id))).Message);
    }

    [Fact]
    public async Task A_broken_address_is_answered_with_its_field_before_the_program_is_looked_up()
    {
        var unknownProgram = await Assert.ThrowsAsync<ValidationFailedException>(() => Registry.RegisterAsync("autumn", Request(email: "ada at example")));

        Assert.Equal(("email", Rules.InvalidEmail), (unknownProgram.Errors[0].Field, unknownProgram.Errors[0].Rule));
    }

    [Fact]
    public async Task A_prepared_registration_knows_its_participant_before_anything_is_stored()
    {
        var programValue = (await program.Programs.GetAsync(Spring)).Value;

        var pending = Registry.Prepare(programValue, Form(email: "Ada@Example.com", submittedAt: Sent));

        Assert.Equal(ParticipantRegistry.KeyOf(Spring, ParticipantIdentity.For(Spring, "ada@example.com")), pending.Key);
        Assert.Equal(("tally:sub-1", Sent, Now), (pending.SubmissionKey, pending.SentAt, pending.At));
        Assert.Equal(Now, (pending with { SubmittedAt = null }).SentAt);
        var participant = pending.ToParticipant();
        Assert.Equal((pending.Key.Id, Spring, "ada@example.com", "Ada", Now, Now, Now), (participant.Id, participant.ProgramId, participant.Email, participant.Name, participant.ConsentedAt, participant.CreatedAt, participant.UpdatedAt));
        Assert.Empty((await Registry.ListAsync(Spring, null, 10, null)).Items);
        await Assert.ThrowsAsync<ArgumentException>(() => Registry.ApplySubmissionAsync(Registry.Prepare(programValue, Request())));
    }
}
