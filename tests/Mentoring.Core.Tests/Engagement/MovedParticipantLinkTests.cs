using Mentoring.Core.Decisions;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Links;
using Mentoring.Core.Participants;
using Mentoring.Core.Registration;
using Mentoring.Core.Tests.Workflow;
using Mentoring.Core.Windows;
using Mentoring.Sqlite;
using Mentoring.Testing;

namespace Mentoring.Core.Tests.Engagement;

/// <summary>
/// A person edits their form submission to a new address, which moves their registration to a new record. Links in
/// mail sent before the move still reach them: leaving, pausing and unsubscribing are about the person.
/// </summary>
public sealed class MovedParticipantLinkTests : IAsyncLifetime, IDisposable
{
    private const string Spring = EmbeddedProgram.ProgramId;
    private readonly EmbeddedProgram program = new();
    private readonly TempFolder folder = new();
    private readonly SqliteWorkQueue queue;
    private readonly ParticipantLinks links;
    private readonly ParticipantDesk desk;

    public MovedParticipantLinkTests()
    {
        queue = new SqliteWorkQueue(new SqliteStoreOptions(folder.File("queue.db")), program.Clock);
        var signer = new LinkSigner([new SigningKey("k1", Enumerable.Range(1, 32).Select(i => (byte)i).ToArray())]);
        links = new ParticipantLinks(signer, new DecisionLinkOptions { PublicBaseUrl = new Uri("https://mentoring.example.com") });
        desk = new ParticipantDesk(program.Store, links, new MatchDesk(program.Store, program.Programs, program.Clock), queue, program.Clock);
    }

    public async Task InitializeAsync() => await program.CreateProgramAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        queue.Dispose();
        program.Dispose();
        folder.Dispose();
    }

    private async Task<Participant> SubmitAsync(string email, int minute)
    {
        program.Clock.Advance(TimeSpan.FromMinutes(1));
        var request = new RegistrationRequest
        {
            Email = email,
            Name = "Ada",
            Consent = true,
            Answers = new Dictionary<string, IReadOnlyList<string>> { ["department"] = ["Sales"] },
            Source = new RegistrationSource("tally", "sub-1"),
            SubmittedAt = EmbeddedProgram.T0.AddMinutes(minute),
        };
        var outcome = await program.Registry.ApplySubmissionAsync(program.Registry.Prepare((await program.Programs.GetAsync(Spring)).Value, request));
        return outcome.Participant!.Value;
    }

    private async Task<Participant> ReadAsync(string id) =>
        (await program.Store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(Spring, id)))!.Value;

    private static string TokenOf(Uri link) => link.AbsolutePath[ParticipantLinks.Path.Length..];

    [Fact]
    public async Task Leaving_from_a_link_mailed_before_an_address_change_withdraws_the_person_where_they_are_registered_now()
    {
        var before = await SubmitAsync("ada@example.com", 0);
        var leave = TokenOf(links.SelfService(Spring, before.Id, program.Clock.GetUtcNow()).Withdraw);
        var after = await SubmitAsync("ada.l@example.com", 1);
        Assert.NotEqual(before.Id, after.Id);

        var page = await desk.ApplyAsync(leave, ParticipantForm.Empty);

        Assert.Equal(ParticipantLinkOutcome.Applied, page.Outcome);
        var now = await ReadAsync(after.Id);
        Assert.Equal((ParticipantStatus.Withdrawn, Withdrawal.Self), (now.Status, now.WithdrawnBy));
        var old = await ReadAsync(before.Id);
        Assert.Equal((Withdrawal.Moved, after.Id), (old.WithdrawnBy, old.MovedTo));
        Assert.Equal(ParticipantLinkOutcome.AlreadyDone, (await desk.ApplyAsync(leave, ParticipantForm.Empty)).Outcome);
    }

    [Fact]
    public async Task Unsubscribing_from_an_old_mail_follows_the_person_across_two_moves()
    {
        var first = await SubmitAsync("ada@example.com", 0);
        var unsubscribe = TokenOf(links.Unsubscribe(Spring, first.Id, program.Clock.GetUtcNow()));
        var second = await SubmitAsync("ada.l@example.com", 1);
        var third = await SubmitAsync("ada.lovelace@example.com", 2);

        Assert.Equal(ParticipantLinkOutcome.Applied, (await desk.ApplyAsync(unsubscribe, ParticipantForm.Empty)).Outcome);

        Assert.NotNull((await ReadAsync(third.Id)).UnsubscribedAt);
        Assert.Null((await ReadAsync(second.Id)).UnsubscribedAt);
        Assert.Equal(ParticipantStatus.Registered, (await ReadAsync(third.Id)).Status);
    }

    [Fact]
    public async Task Leaving_after_a_move_ends_the_pair_made_under_the_old_address()
    {
        var before = await SubmitAsync("ada@example.com", 0);
        await program.Store.CreateAsync(CheckInDocuments.Match(Spring, "w1-00000"), new PublishedMatch
        {
            Id = "w1-00000",
            ProgramId = Spring,
            WindowId = "w1",
            Version = 1,
            Members = [new MatchMember(before.Id, "Ada", "ada@example.com"), new MatchMember("p_bo", "Bo", "bo@example.com")],
            IntroducedAt = program.Clock.GetUtcNow(),
        });
        var leave = TokenOf(links.SelfService(Spring, before.Id, program.Clock.GetUtcNow()).Withdraw);
        await SubmitAsync("ada.l@example.com", 1);

        await desk.ApplyAsync(leave, ParticipantForm.Empty);

        var pair = (await program.Store.ReadAsync<PublishedMatch>(CheckInDocuments.Match(Spring, "w1-00000")))!.Value;
        Assert.Equal((MatchStatus.Ended, MatchDesk.WithdrawnReason), (pair.Status, pair.EndReason));
    }
}
