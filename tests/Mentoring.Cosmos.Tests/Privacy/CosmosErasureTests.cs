using Mentoring.Core.Engagement;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Privacy;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;
using Mentoring.Core.Windows;

namespace Mentoring.Cosmos.Tests.Privacy;

/// <summary>
/// Erasure on Cosmos DB: the scrubbed match and survey are written with their ETag (If-Match), so a write by someone else
/// between erasure's read and its write is kept, and the scrub applied on top of it, not overwritten.
/// </summary>
[Collection(CosmosServerGroup.Name)]
public sealed class CosmosErasureTests(CosmosServerFixture server)
{
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly string _programId = "erasure-" + Guid.NewGuid().ToString("n")[..12];

    [Fact]
    public async Task A_check_in_written_while_erasure_runs_is_kept_and_the_name_still_goes()
    {
        var match = WindowDocuments.Match(_programId, "w1", 0);
        var survey = EngagementDocuments.Survey(_programId, "mid", "p-ana");
        await SeedAsync(match, survey);
        // Someone else writes each document right after erasure has read it and before erasure writes it.
        var store = new WriteBetweenReadAndWrite(server.Store, new Dictionary<DocumentKey, Func<Task>>
        {
            [match] = () => server.Store.UpdateAsync<PublishedMatch>(match, m => m with { IntroducedAt = T0.AddDays(1) }),
            [survey] = () => server.Store.UpdateAsync<SurveyRecord>(survey, s => s with { RemindersSent = 2 }),
        });
        var privacy = new ParticipantPrivacy(store, new ParticipantRegistry(store, new ProgramCatalog(store, TimeProvider.System), TimeProvider.System),
            TimeProvider.System);

        await privacy.EraseAsync(_programId, "p-ana");

        var storedMatch = (await server.Store.ReadAsync<PublishedMatch>(match))!.Value;
        Assert.Equal(T0.AddDays(1), storedMatch.IntroducedAt);
        Assert.Equal([ParticipantPrivacy.ErasedName, "Bo"], storedMatch.Members.Select(m => m.Name));
        Assert.DoesNotContain(storedMatch.Members, m => m.Email == "ana@example.com");
        var storedSurvey = (await server.Store.ReadAsync<SurveyRecord>(survey))!.Value;
        Assert.Equal(2, storedSurvey.RemindersSent);
        Assert.False(storedSurvey.Answers.ContainsKey(SurveyDefinition.Comments));
        Assert.Equal("Positive", storedSurvey.Answers[SurveyDefinition.Satisfaction]);
        Assert.Equal(2, store.PreconditionFailures); // Cosmos refused each stale write (412), and erasure read again
    }

    private async Task SeedAsync(DocumentKey match, DocumentKey survey)
    {
        await server.Store.CreateAsync(ProgramCatalog.KeyOf(_programId), new MentoringProgram
        {
            Id = _programId,
            Name = "Erasure",
            Kind = ProgramKind.Cohort,
            AdminEmails = ["hr@example.com"],
        });
        await server.Store.CreateAsync(ParticipantRegistry.KeyOf(_programId, "p-ana"), new Participant
        {
            Id = "p-ana",
            ProgramId = _programId,
            Email = "ana@example.com",
            Name = "Ana",
            Source = new RegistrationSource(RegistrationSource.Api),
        });
        await server.Store.CreateAsync(match, new PublishedMatch
        {
            Id = match.Id,
            ProgramId = _programId,
            WindowId = "w1",
            Version = 1,
            Members = [new MatchMember("p-ana", "Ana", "ana@example.com"), new MatchMember("p-bo", "Bo", "bo@example.com")],
            PublishedAt = T0,
        });
        await server.Store.CreateAsync(survey, new SurveyRecord
        {
            ProgramId = _programId,
            SurveyKey = "mid",
            ParticipantId = "p-ana",
            SentAt = T0,
            ClosesAt = T0.AddDays(14),
            Answers = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [SurveyDefinition.Satisfaction] = "Positive",
                [SurveyDefinition.Comments] = "Ana here: my manager is the problem",
            },
        });
    }

    /// <summary>Runs a competing write once per key, just before the first write of that key goes to the store.</summary>
    private sealed class WriteBetweenReadAndWrite(IDocumentStore inner, Dictionary<DocumentKey, Func<Task>> competing) : IDocumentStore
    {
        private int _preconditionFailures;

        public int PreconditionFailures => Volatile.Read(ref _preconditionFailures);

        public Task<StoredDocument<T>?> ReadAsync<T>(DocumentKey key, CancellationToken cancellationToken = default) => inner.ReadAsync<T>(key, cancellationToken);

        public Task<StoredDocument<T>> CreateAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default) =>
            inner.CreateAsync(key, value, cancellationToken);

        public async Task<StoredDocument<T>> ReplaceAsync<T>(DocumentKey key, T value, string ifMatch, CancellationToken cancellationToken = default)
        {
            await CompeteAsync(key);
            try
            {
                return await inner.ReplaceAsync(key, value, ifMatch, cancellationToken);
            }
            catch (DocumentPreconditionFailedException)
            {
                Interlocked.Increment(ref _preconditionFailures);
                throw;
            }
        }

        public async Task<StoredDocument<T>> UpsertAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default)
        {
            await CompeteAsync(key);
            return await inner.UpsertAsync(key, value, cancellationToken);
        }

        public Task<bool> DeleteAsync(DocumentKey key, string? ifMatch = null, CancellationToken cancellationToken = default) =>
            inner.DeleteAsync(key, ifMatch, cancellationToken);

        public Task<DocumentPage<T>> QueryAsync<T>(DocumentQuery query, CancellationToken cancellationToken = default) =>
            inner.QueryAsync<T>(query, cancellationToken);

        private async Task CompeteAsync(DocumentKey key)
        {
            if (competing.Remove(key, out var write))
            {
                await write();
            }
        }
    }
}
