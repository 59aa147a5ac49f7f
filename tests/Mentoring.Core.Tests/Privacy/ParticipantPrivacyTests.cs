using Mentoring.Core.Common;
using Mentoring.Core.Decisions;
using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Privacy;
using Mentoring.Core.Registration;
using Mentoring.Core.Tests.Workflow;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Tests.Privacy;

/// <summary>
/// Export and erasure in Core, on the embedded store: four people registered, a draft approved and introduced, then a
/// check-in with a note and a survey with a comment for Person 00. Erasing her leaves no trace of her name or address in
/// any row of the SQLite file, keeps what the report counts, and reaches the copies a host keeps elsewhere.
/// </summary>
public sealed class ParticipantPrivacyTests : IAsyncLifetime, IDisposable
{
    private readonly EmbeddedProgram program = new();
    private readonly RecordingCopies copies = new();
    private ParticipantPrivacy privacy = null!;
    private IReadOnlyList<string> ids = [];
    private PublishedMatch hers = null!;
    private MatchMember partner = null!;

    private string Her => ids[0];

    public async Task InitializeAsync()
    {
        await program.CreateProgramAsync();
        ids = await program.RegisterAsync(4);
        var state = await program.CloseNowAsync();
        await program.Decisions.DecideAsync(program.Token(state.WindowId, 1, DecisionAction.Approve), reason: null);
        hers = (await program.Store.QueryAllAsync<PublishedMatch>(EmbeddedProgram.ProgramId, WindowDocuments.MatchKind))
            .Select(m => m.Value).Single(m => m.Members.Any(x => x.ParticipantId == Her));
        await program.Store.UpsertAsync(EngagementDocuments.CheckIn(EmbeddedProgram.ProgramId, hers.Id, 1, Her), new CheckInRecord
        {
            ProgramId = EmbeddedProgram.ProgramId, MatchId = hers.Id, ParticipantId = Her, Round = 1, DueAt = EmbeddedProgram.T0,
            Answer = CheckInAnswer.NeedHelp, AnsweredAt = EmbeddedProgram.T0, Minutes = null, Note = "Person 00 here: we cannot find a time",
        });
        await program.Store.UpsertAsync(EngagementDocuments.Survey(EmbeddedProgram.ProgramId, "mid", Her), new SurveyRecord
        {
            ProgramId = EmbeddedProgram.ProgramId, SurveyKey = "mid", ParticipantId = Her, SentAt = EmbeddedProgram.T0, ClosesAt = EmbeddedProgram.T0.AddDays(14),
            RespondedAt = EmbeddedProgram.T0, Answers = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["satisfaction"] = "Positive", ["nps"] = "9", ["comments"] = "Signed, person00@example.com",
            },
        });
        // Her partner's own words stay: a note on the same match and a survey comment.
        partner = hers.Members.Single(m => m.ParticipantId != Her);
        await program.Store.UpsertAsync(EngagementDocuments.CheckIn(EmbeddedProgram.ProgramId, hers.Id, 1, partner.ParticipantId), new CheckInRecord
        {
            ProgramId = EmbeddedProgram.ProgramId, MatchId = hers.Id, ParticipantId = partner.ParticipantId, Round = 1, DueAt = EmbeddedProgram.T0,
            Answer = CheckInAnswer.NeedHelp, AnsweredAt = EmbeddedProgram.T0, Note = "Partner's note",
        });
        await program.Store.UpsertAsync(EngagementDocuments.Survey(EmbeddedProgram.ProgramId, "mid", partner.ParticipantId), new SurveyRecord
        {
            ProgramId = EmbeddedProgram.ProgramId, SurveyKey = "mid", ParticipantId = partner.ParticipantId, SentAt = EmbeddedProgram.T0, ClosesAt = EmbeddedProgram.T0.AddDays(14),
            RespondedAt = EmbeddedProgram.T0, Answers = new Dictionary<string, string>(StringComparer.Ordinal) { ["satisfaction"] = "Positive", ["comments"] = "Partner's comment" },
        });
        privacy = new ParticipantPrivacy(program.Store, program.Registry, program.Clock, [copies]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => program.Dispose();

    private string EverythingStored() => StoredRows.Everything(program.DatabasePath);

    [Fact]
    public async Task An_export_holds_the_person_their_matches_check_ins_and_surveys_and_nobody_elses()
    {
        await program.Store.UpsertAsync(EngagementDocuments.CheckIn(EmbeddedProgram.ProgramId, hers.Id, 1, ids[3]), new CheckInRecord
        {
            ProgramId = EmbeddedProgram.ProgramId, MatchId = hers.Id, ParticipantId = ids[3], Round = 1, DueAt = EmbeddedProgram.T0,
        });

        var export = await privacy.ExportAsync(EmbeddedProgram.ProgramId, Her);

        Assert.Equal(("person00@example.com", "Person 00"), (export.Participant.Email, export.Participant.Name));
        Assert.Equal([hers.Id], export.Matches.Select(m => m.Id));
        Assert.Equal([Her], export.CheckIns.Select(c => c.ParticipantId));
        Assert.Equal([Her], export.Surveys.Select(s => s.ParticipantId));
        Assert.Equal(program.Clock.GetUtcNow(), export.ExportedAt);
    }

    [Fact]
    public async Task Erasure_leaves_no_name_or_address_in_any_row_and_keeps_what_the_report_counts()
    {
        var before = EverythingStored();
        Assert.Contains("Person 00", before, StringComparison.Ordinal);
        Assert.Contains("person00@example.com", before, StringComparison.Ordinal);
        program.Clock.Advance(TimeSpan.FromDays(1));

        var erased = await privacy.EraseAsync(EmbeddedProgram.ProgramId, Her);

        var after = EverythingStored();
        Assert.DoesNotContain("Person 00", after, StringComparison.Ordinal);
        Assert.DoesNotContain("person00", after, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Person 01", after, StringComparison.Ordinal); // everyone else stays as they were
        Assert.Equal((ParticipantPrivacy.ErasedName, $"erased+{Her}@invalid", ParticipantStatus.Withdrawn, program.Clock.GetUtcNow()),
            (erased.Name, erased.Email, erased.Status, erased.ErasedAt!.Value));
        Assert.Equal(["department", "level"], erased.Answers.Keys.Order());
        var match = (await program.Store.ReadAsync<PublishedMatch>(CheckInDocuments.Match(EmbeddedProgram.ProgramId, hers.Id)))!.Value;
        Assert.Equal((ParticipantPrivacy.ErasedName, $"erased+{Her}@invalid"), match.Members.Where(m => m.ParticipantId == Her).Select(m => (m.Name, m.Email)).Single());
        Assert.Equal(partner, match.Members.Single(m => m.ParticipantId == partner.ParticipantId));
        Assert.Equal("Partner's note", (await program.Store.ReadAsync<CheckInRecord>(EngagementDocuments.CheckIn(EmbeddedProgram.ProgramId, hers.Id, 1, partner.ParticipantId)))!.Value.Note);
        Assert.Equal("Partner's comment", (await program.Store.ReadAsync<SurveyRecord>(EngagementDocuments.Survey(EmbeddedProgram.ProgramId, "mid", partner.ParticipantId)))!.Value.Answers["comments"]);
        var checkIn = (await program.Store.ReadAsync<CheckInRecord>(EngagementDocuments.CheckIn(EmbeddedProgram.ProgramId, hers.Id, 1, Her)))!.Value;
        Assert.Equal((CheckInAnswer.NeedHelp, (string?)null), (checkIn.Answer, checkIn.Note));
        var survey = (await program.Store.ReadAsync<SurveyRecord>(EngagementDocuments.Survey(EmbeddedProgram.ProgramId, "mid", Her)))!.Value;
        Assert.Equal(["nps", "satisfaction"], survey.Answers.Keys.Order());
        var suppression = (await program.Store.ReadAsync<Suppression>(EngagementDocuments.Suppression(EmailAddress.Digest("person00@example.com"))))!.Value;
        Assert.Equal("erased", suppression.Reason);
    }

    [Fact]
    public async Task The_copies_elsewhere_are_told_who_she_was_and_a_failure_there_leaves_the_erasure_to_retry()
    {
        copies.Fails = true;
        await Assert.ThrowsAsync<IOException>(() => privacy.EraseAsync(EmbeddedProgram.ProgramId, Her));
        Assert.Null((await program.Registry.GetAsync(EmbeddedProgram.ProgramId, Her)).Value.ErasedAt);

        copies.Fails = false;
        await privacy.EraseAsync(EmbeddedProgram.ProgramId, Her);
        await privacy.EraseAsync(EmbeddedProgram.ProgramId, Her); // erasing again is harmless and asks nobody again

        var person = Assert.Single(copies.Erased.Distinct());
        Assert.Equal(new ErasedPerson(EmbeddedProgram.ProgramId, Her, "Person 00", "person00@example.com", ParticipantPrivacy.ErasedName, $"erased+{Her}@invalid"), person);
        Assert.Equal(2, copies.Erased.Count); // the failed try and the retry
    }

    [Fact]
    public async Task A_host_that_keeps_no_copies_erases_all_the_same()
    {
        var erased = await new ParticipantPrivacy(program.Store, program.Registry, program.Clock).EraseAsync(EmbeddedProgram.ProgramId, Her);

        Assert.Equal(ParticipantPrivacy.ErasedName, erased.Name);
    }

    [Fact]
    public async Task Erasing_someone_unknown_is_not_found()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => privacy.EraseAsync(EmbeddedProgram.ProgramId, "p_nobody"));
        Assert.Empty(copies.Erased);
    }

    private sealed class RecordingCopies : IPersonalDataCopies
    {
        public bool Fails { get; set; }
        public List<ErasedPerson> Erased { get; } = [];

        public Task EraseAsync(ErasedPerson person, CancellationToken cancellationToken = default)
        {
            Erased.Add(person);
            return Fails ? throw new IOException("disk full") : Task.CompletedTask;
        }
    }
}
