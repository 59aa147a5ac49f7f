using Mentoring.Core.Decisions;
using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Engagement.Surveys;
using Mentoring.Core.Links;
using Mentoring.Core.Mail;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;
using Mentoring.Sqlite;
using Mentoring.Testing;

namespace Mentoring.Server.Tests.Engagement.Surveys;

/// <summary>An honest in-memory queue: dedupes by idempotency key forever, as the port promises; the test drains it.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A test double of the queue port.")]
public sealed class InMemoryWorkQueue : IWorkQueue
{
    private readonly Lock gate = new();
    private readonly HashSet<string> keys = new(StringComparer.Ordinal);
    private readonly Queue<WorkItem> pending = new();

    public List<WorkItem> Enqueued { get; } = [];

    public Task<bool> EnqueueAsync(WorkItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (gate)
        {
            if (!keys.Add(item.IdempotencyKey))
            {
                return Task.FromResult(false);
            }
            Enqueued.Add(item);
            pending.Enqueue(item);
            return Task.FromResult(true);
        }
    }

    /// <summary>Takes everything enqueued since the last drain.</summary>
    public IReadOnlyList<WorkItem> Drain()
    {
        lock (gate)
        {
            var items = pending.ToList();
            pending.Clear();
            return items;
        }
    }

    public Task<IReadOnlyList<PoisonedWork>> ListPoisonAsync(string? programId = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<PoisonedWork>>([]);

    public Task<bool> RetryPoisonAsync(string idempotencyKey, CancellationToken cancellationToken = default) => Task.FromResult(false);
}

/// <summary>A mailer that keeps what it sends and, like the real ones, sends each idempotency key once.</summary>
public sealed class RecordingMailer : IMailer
{
    private readonly Lock gate = new();
    public List<MailMessage> Sent { get; } = [];

    public Task<bool> SendAsync(MailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (gate)
        {
            if (Sent.Any(m => m.IdempotencyKey == message.IdempotencyKey))
            {
                return Task.FromResult(false);
            }
            Sent.Add(message);
            return Task.FromResult(true);
        }
    }

    public IReadOnlyList<MailMessage> To(string email) => [.. Sent.Where(m => m.To.Any(t => t.Email == email))];
}

/// <summary>A real SQLite store on a temp file, a program, a clock the test moves, the job, the handler and the desk.</summary>
public sealed class SurveyFixture : IDisposable
{
    public const string ProgramId = "spring";
    public static readonly DateTimeOffset Start = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly TempFolder folder = new();
    private readonly SqliteDocumentStore sqlite;

    public SurveyFixture()
    {
        sqlite = new SqliteDocumentStore(new SqliteStoreOptions(folder.File("surveys.db")));
        Catalog = new ProgramCatalog(Store, Clock);
        var signer = new LinkSigner([new SigningKey("k1", Enumerable.Range(1, 32).Select(i => (byte)i).ToArray())]);
        var options = new DecisionLinkOptions { PublicBaseUrl = new Uri("https://mentoring.example.com") };
        Links = new SurveyLinks(signer, options);
        Job = new SurveyJob(Catalog, Store, Queue);
        Handler = new SurveyHandler(Store, Mailer, Links, new ParticipantLinks(signer, options), Clock);
        Desk = new SurveyDesk(Links, Store, Clock);
    }

    public ManualClock Clock { get; } = new(Start);
    public IDocumentStore Store => sqlite;
    public ProgramCatalog Catalog { get; }
    public InMemoryWorkQueue Queue { get; } = new();
    public RecordingMailer Mailer { get; } = new();
    public SurveyLinks Links { get; }
    public SurveyJob Job { get; }
    public SurveyHandler Handler { get; }
    public SurveyDesk Desk { get; }

    public async Task AddProgramAsync(EngagementPolicy? engagement = null, string id = ProgramId)
    {
        var program = new MentoringProgram
        {
            Id = id,
            Name = "Spring buddies",
            Kind = ProgramKind.Cohort,
            AdminEmails = ["hr@example.com"],
            TimeZone = "Europe/Berlin",
            Engagement = engagement ?? new EngagementPolicy(),
            CreatedAt = Start,
            UpdatedAt = Start,
        };
        await Store.UpsertAsync(ProgramCatalog.KeyOf(id), program);
        await Store.UpsertAsync(new DocumentKey(ProgramCatalog.CatalogPartition, DocumentKinds.ProgramRef, id), new ProgramCatalog.ProgramRef(id, Start));
    }

    public async Task<Participant> AddParticipantAsync(string name, Func<Participant, Participant>? change = null, string programId = ProgramId)
    {
        var participant = new Participant
        {
            Id = name,
            ProgramId = programId,
            Email = $"{name}@example.com",
            Name = char.ToUpperInvariant(name[0]) + name[1..],
            Source = new RegistrationSource(RegistrationSource.Api),
            ConsentedAt = Start,
            CreatedAt = Start,
            UpdatedAt = Start,
        };
        participant = change?.Invoke(participant) ?? participant;
        await Store.UpsertAsync(ParticipantRegistry.KeyOf(programId, participant.Id), participant);
        return participant;
    }

    public async Task UpdateParticipantAsync(string id, Func<Participant, Participant> change)
    {
        var key = ParticipantRegistry.KeyOf(ProgramId, id);
        var stored = (await Store.ReadAsync<Participant>(key))!;
        await Store.ReplaceAsync(key, change(stored.Value), stored.ETag);
    }

    public async Task<PublishedMatch> AddMatchAsync(int index, DateTimeOffset introducedAt, string[] members, Func<PublishedMatch, PublishedMatch>? change = null,
        string windowId = "w1")
    {
        var key = WindowDocuments.Match(ProgramId, windowId, index);
        var match = new PublishedMatch
        {
            Id = key.Id,
            ProgramId = ProgramId,
            WindowId = windowId,
            Version = 1,
            Members = [.. members.Select(m => new MatchMember(m, m, $"{m}@example.com"))],
            PublishedAt = introducedAt,
            IntroducedAt = introducedAt,
        };
        match = change?.Invoke(match) ?? match;
        await Store.UpsertAsync(key, match);
        return match;
    }

    /// <summary>Moves the clock to <paramref name="at"/>, runs the timer, and delivers what it enqueued. Returns what was new.</summary>
    public async Task<IReadOnlyList<WorkItem>> TickAsync(DateTimeOffset at)
    {
        Clock.Set(at);
        await Job.RunAsync(Clock.GetUtcNow());
        var items = Queue.Drain();
        var router = new WorkRouter([Handler]);
        foreach (var item in items)
        {
            await router.HandleAsync(item);
        }
        return items;
    }

    public async Task<SurveyRecord?> RecordAsync(string surveyKey, string participantId) =>
        (await Store.ReadAsync<SurveyRecord>(EngagementDocuments.Survey(ProgramId, surveyKey, participantId)))?.Value;

    public void Dispose()
    {
        sqlite.Dispose();
        folder.Dispose();
    }
}
