using Mentoring.Core.Common;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Registration;
using Mentoring.Core.Tests.Workflow;

namespace Mentoring.Core.Tests.Registration;

/// <summary>
/// Signups that race: another delivery, signup or admin writes between the registry's read and its write, on the embedded
/// SQLite store. The rival's write is real, so the registry's write meets a real ETag or key conflict and has to look again.
/// </summary>
public sealed class ParticipantRegistryRaceTests : IAsyncLifetime, IDisposable
{
    private const string Spring = EmbeddedProgram.ProgramId;
    private const string Tally = "tally";
    private static readonly DateTimeOffset Sent = EmbeddedProgram.T0.AddMinutes(-5);
    private readonly EmbeddedProgram program;
    private RivalWritesFirst rival = null!;

    public ParticipantRegistryRaceTests() => program = new EmbeddedProgram(sqlite => rival = new RivalWritesFirst(sqlite));

    public async Task InitializeAsync() => await program.CreateProgramAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => program.Dispose();

    private ParticipantRegistry Registry => program.Registry;

    private static RegistrationRequest Request(string department, RegistrationSource source, DateTimeOffset? submittedAt = null,
        string email = "ada@example.com") => new()
    {
        Email = email,
        Name = "Ada",
        Consent = true,
        Answers = new Dictionary<string, IReadOnlyList<string>> { ["department"] = [department] },
        Source = source,
        SubmittedAt = submittedAt,
    };

    private async Task<SubmissionOutcome> Submit(string department, DateTimeOffset sent, string email = "ada@example.com") =>
        await Registry.ApplySubmissionAsync(Registry.Prepare((await program.Programs.GetAsync(Spring)).Value,
            Request(department, new RegistrationSource(Tally, "sub-1"), sent, email)));

    private async Task<Participant> Read(string id) => (await program.Store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(Spring, id)))!.Value;

    private Task<RegistrationOutcome> SignUp(string department) =>
        Registry.RegisterAsync(Spring, Request(department, new RegistrationSource(RegistrationSource.Api)));

    private Task<StoredDocument<SubmissionRecord>?> Ledger() => Registry.SubmissionAsync(Spring, new RegistrationSource(Tally, "sub-1"));

    private async Task<Participant> OnlyParticipant() => Assert.Single((await Registry.ListAsync(Spring, null, 10, null)).Items).Value;

    [Fact]
    public async Task A_newer_version_that_loses_the_race_to_record_the_submission_is_applied_as_the_edit_it_is()
    {
        rival.Before(DocumentKinds.Submission, Write.Create, () => Submit("Sales", Sent));

        var newer = await Submit("Finance", Sent.AddMinutes(2));

        Assert.Equal(1, rival.Turns);
        Assert.Equal(SubmissionEffect.Updated, newer.Effect);
        var ada = await OnlyParticipant();
        Assert.Equal(("Finance", 2), (ada.SingleAnswer("department"), ada.SourceRevision));
        Assert.Equal((2, Sent.AddMinutes(2)), ((await Ledger())!.Value.Revision, (await Ledger())!.Value.SubmittedAt));
    }

    [Fact]
    public async Task An_older_version_that_loses_the_race_to_record_the_submission_is_ignored()
    {
        rival.Before(DocumentKinds.Submission, Write.Create, () => Submit("Finance", Sent.AddMinutes(2)));

        var older = await Submit("Sales", Sent);

        Assert.Equal(SubmissionEffect.IgnoredOlderVersion, older.Effect);
        Assert.Equal("Finance", older.Participant!.Value.SingleAnswer("department"));
        Assert.Equal((1, "Finance"), ((await Ledger())!.Value.Revision, (await OnlyParticipant()).SingleAnswer("department")));
    }

    [Fact]
    public async Task An_edit_that_loses_the_race_to_another_edit_is_compared_with_it_and_the_newest_wins()
    {
        await Submit("Sales", Sent);
        rival.Before(DocumentKinds.Submission, Write.Replace, () => Submit("Engineering", Sent.AddMinutes(1)));

        var newest = await Submit("Finance", Sent.AddMinutes(2));

        Assert.Equal(SubmissionEffect.Updated, newest.Effect);
        var ada = await OnlyParticipant();
        Assert.Equal(("Finance", 3), (ada.SingleAnswer("department"), ada.SourceRevision));
        var ledger = (await Ledger())!.Value;
        Assert.Equal((3, Sent.AddMinutes(2), 2), (ledger.Revision, ledger.SubmittedAt, ledger.PreviousHashes.Count));
    }

    [Fact]
    public async Task An_older_version_arriving_while_the_newer_one_is_being_stored_is_told_to_retry()
    {
        ConflictException? refused = null;
        rival.Before(DocumentKinds.Participant, Write.Create, async () =>
        {
            var older = Request("Sales", new RegistrationSource(Tally, "sub-1"), Sent);
            refused = await Assert.ThrowsAsync<ConflictException>(async () =>
                await Registry.RegisterAsync((await program.Programs.GetAsync(Spring)).Value, older));
        });

        var newer = await Submit("Finance", Sent.AddMinutes(2));

        Assert.Equal("A newer version of this submission is being stored; please retry.", refused?.Message);
        Assert.Equal(SubmissionEffect.Created, newer.Effect);
        Assert.Equal("Finance", (await OnlyParticipant()).SingleAnswer("department"));
    }

    [Fact]
    public async Task An_edit_overtaken_by_a_newer_edit_to_a_third_address_leaves_only_the_newest_address_registered()
    {
        var first = (await Submit("Sales", Sent)).Participant!.Value.Id;
        rival.Before(DocumentKinds.Participant, Write.Create, () => Submit("Sales", Sent.AddMinutes(2), "ada.c@example.com"));

        var overtaken = await Submit("Sales", Sent.AddMinutes(1), "ada.b@example.com");

        Assert.Equal(SubmissionEffect.IgnoredOlderVersion, overtaken.Effect);
        var newest = ParticipantIdentity.For(Spring, "ada.c@example.com");
        Assert.Equal(newest, overtaken.Participant!.Value.Id);
        Assert.Equal([newest], (await Registry.ActiveAsync(Spring)).Select(p => p.Id));
        var between = await Read(ParticipantIdentity.For(Spring, "ada.b@example.com"));
        Assert.Equal((ParticipantStatus.Withdrawn, Withdrawal.Moved, newest), (between.Status, between.WithdrawnBy, between.MovedTo));
        Assert.Equal((ParticipantStatus.Withdrawn, Withdrawal.Moved), ((await Read(first)).Status, (await Read(first)).WithdrawnBy));
    }

    [Fact]
    public async Task Someone_who_leaves_while_an_edit_moves_their_address_is_recorded_as_having_left_by_themselves()
    {
        var first = (await Submit("Sales", Sent)).Participant!.Value.Id;
        rival.Before(DocumentKinds.Participant, Write.Create, () =>
            program.Store.UpdateAsync<Participant>(ParticipantRegistry.KeyOf(Spring, first), p => p.Withdraw(Withdrawal.Self, program.Clock.GetUtcNow())));

        var moved = await Submit("Sales", Sent.AddMinutes(1), "ada.b@example.com");

        Assert.Equal(first, moved.MovedFrom);
        var left = await Read(first);
        Assert.Equal((ParticipantStatus.Withdrawn, Withdrawal.Self, moved.Participant!.Value.Id), (left.Status, left.WithdrawnBy, left.MovedTo));
    }

    [Fact]
    public async Task Two_signups_of_one_address_racing_through_the_api_leave_one_participant_with_the_later_answers()
    {
        rival.Before(DocumentKinds.Participant, Write.Create, () => SignUp("Sales"));

        var later = await SignUp("Finance");

        Assert.Equal((false, false), (later.Created, later.Redelivery));
        Assert.Equal("Finance", (await OnlyParticipant()).SingleAnswer("department"));
    }

    [Fact]
    public async Task An_admins_removal_that_lands_while_a_signup_is_being_updated_sticks()
    {
        var ada = (await SignUp("Sales")).Participant.Value;
        rival.Before(DocumentKinds.Participant, Write.Replace, () => Registry.WithdrawAsync(Spring, ada.Id));

        var update = await SignUp("Finance");

        Assert.True(update.Redelivery);
        var stored = await OnlyParticipant();
        Assert.Equal((ParticipantStatus.Withdrawn, Withdrawal.Admin, "Sales"), (stored.Status, stored.WithdrawnBy, stored.SingleAnswer("department")));
    }

    [Fact]
    public async Task An_edit_that_keeps_colliding_gives_up_with_a_conflict_after_a_bounded_number_of_tries_and_changes_nothing()
    {
        await Submit("Sales", Sent);
        rival.Before(DocumentKinds.Submission, Write.Replace, TouchLedger, times: int.MaxValue);

        var gaveUp = await Assert.ThrowsAsync<ConflictException>(() => Submit("Finance", Sent.AddMinutes(2)));

        Assert.Equal("This submission kept colliding with concurrent deliveries; please retry.", gaveUp.Message);
        Assert.Equal(DocumentStoreExtensions.MaxUpdateAttempts, rival.Turns);
        Assert.Equal((1, "Sales"), ((await Ledger())!.Value.Revision, (await OnlyParticipant()).SingleAnswer("department")));
    }

    [Fact]
    public async Task A_signup_that_keeps_colliding_gives_up_with_a_conflict_after_a_bounded_number_of_tries_and_changes_nothing()
    {
        var ada = (await SignUp("Sales")).Participant.Value;
        rival.Before(DocumentKinds.Participant, Write.Replace, () => TouchParticipant(ada.Id), times: int.MaxValue);

        var gaveUp = await Assert.ThrowsAsync<ConflictException>(() => SignUp("Finance"));

        Assert.Equal("This registration kept colliding with concurrent changes; please retry.", gaveUp.Message);
        Assert.Equal(DocumentStoreExtensions.MaxUpdateAttempts, rival.Turns);
        Assert.Equal("Sales", (await OnlyParticipant()).SingleAnswer("department"));
    }

    /// <summary>Another writer stores the ledger entry again as it is (a new ETag, the same content).</summary>
    private async Task TouchLedger()
    {
        var current = (await Ledger())!;
        await program.Store.UpsertAsync(current.Key, current.Value);
    }

    private async Task TouchParticipant(string id)
    {
        var key = ParticipantRegistry.KeyOf(Spring, id);
        await program.Store.UpsertAsync(key, (await program.Store.ReadAsync<Participant>(key))!.Value);
    }
}

internal enum Write
{
    Create,
    Replace,
}

/// <summary>
/// The real store with a rival writer: just before a create or replace of the chosen document kind, the rival's action
/// runs (its own writes pass straight through), so the write that follows meets whatever the rival changed.
/// </summary>
internal sealed class RivalWritesFirst(IDocumentStore inner) : IDocumentStore
{
    private string? kind;
    private Write write;
    private Func<Task>? action;
    private int remaining;
    private bool rivalWriting;

    /// <summary>How many times the rival wrote first.</summary>
    public int Turns { get; private set; }

    public void Before(string documentKind, Write beforeWrite, Func<Task> rivalAction, int times = 1)
    {
        (kind, write, action, remaining) = (documentKind, beforeWrite, rivalAction, times);
    }

    public async Task<StoredDocument<T>> CreateAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default)
    {
        await RivalFirstAsync(key, Write.Create);
        return await inner.CreateAsync(key, value, cancellationToken);
    }

    public async Task<StoredDocument<T>> ReplaceAsync<T>(DocumentKey key, T value, string ifMatch, CancellationToken cancellationToken = default)
    {
        await RivalFirstAsync(key, Write.Replace);
        return await inner.ReplaceAsync(key, value, ifMatch, cancellationToken);
    }

    private async Task RivalFirstAsync(DocumentKey key, Write attempted)
    {
        if (rivalWriting || remaining == 0 || key.Kind != kind || attempted != write || action is null)
        {
            return;
        }
        remaining--;
        Turns++;
        rivalWriting = true;
        try
        {
            await action();
        }
        finally
        {
            rivalWriting = false;
        }
    }

    public Task<StoredDocument<T>?> ReadAsync<T>(DocumentKey key, CancellationToken cancellationToken = default) => inner.ReadAsync<T>(key, cancellationToken);
    public Task<StoredDocument<T>> UpsertAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default) => inner.UpsertAsync(key, value, cancellationToken);
    public Task<bool> DeleteAsync(DocumentKey key, string? ifMatch = null, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, ifMatch, cancellationToken);
    public Task<DocumentPage<T>> QueryAsync<T>(DocumentQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync<T>(query, cancellationToken);
}
