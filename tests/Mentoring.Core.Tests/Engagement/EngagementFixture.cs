using Mentoring.Core.Decisions;
using Mentoring.Core.Engagement;
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

namespace Mentoring.Core.Tests.Engagement;

/// <summary>An honest in-memory work queue: dedupes by idempotency key forever, as the port promises; the test drains it.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A test double of the queue port.")]
public sealed class InMemoryWorkQueue : IWorkQueue
{
    private readonly Lock gate = new();
    private readonly HashSet<string> keys = new(StringComparer.Ordinal);
    private readonly List<WorkItem> pending = [];

    /// <summary>Every item accepted so far, drained or not.</summary>
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
            pending.Add(item);
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

/// <summary>A mailer that keeps what it sends and, like the real ones, accepts each idempotency key once.</summary>
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

/// <summary>
/// What the engagement fixtures share: the real SQLite store on a temp file, program <see cref="ProgramId"/>, a clock
/// the test moves (from <see cref="Start"/>), an in-memory queue and mailer, and a timer job whose work items reach the
/// purpose handler through the router, as the dispatcher delivers them.
/// </summary>
public abstract class EngagementFixture : IDisposable
{
    public const string ProgramId = "spring";
    public static readonly DateTimeOffset Start = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly TempFolder folder = new();
    private readonly SqliteDocumentStore sqlite;

    /// <param name="databaseFile">The SQLite file's name in the fixture's temp folder.</param>
    protected EngagementFixture(string databaseFile)
    {
        sqlite = new SqliteDocumentStore(new SqliteStoreOptions(folder.File(databaseFile)));
        Catalog = new ProgramCatalog(Store, Clock);
    }

    public ManualClock Clock { get; } = new(Start);
    public IDocumentStore Store => sqlite;
    public ProgramCatalog Catalog { get; }
    public InMemoryWorkQueue Queue { get; } = new();
    public RecordingMailer Mailer { get; } = new();

    /// <summary>The handler that <see cref="DeliverAsync"/> routes work items to.</summary>
    protected abstract IWorkPurposeHandler PurposeHandler { get; }

    /// <summary>Runs the fixture's timer job once at <paramref name="now"/>.</summary>
    protected abstract Task RunJobAsync(DateTimeOffset now);

    /// <summary>Moves the clock, runs the timer, returns what it newly enqueued (without delivering it).</summary>
    public async Task<IReadOnlyList<WorkItem>> RunAsync(DateTimeOffset at)
    {
        Clock.Set(at);
        await RunJobAsync(Clock.GetUtcNow());
        return Queue.Drain();
    }

    /// <summary>Delivers work items to the handler through the router, as the dispatcher does.</summary>
    public async Task DeliverAsync(IEnumerable<WorkItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var router = new WorkRouter([PurposeHandler]);
        foreach (var item in items)
        {
            await router.HandleAsync(item);
        }
    }

    /// <summary>Moves the clock to <paramref name="at"/>, runs the timer, and delivers what it enqueued. Returns what was new.</summary>
    public async Task<IReadOnlyList<WorkItem>> TickAsync(DateTimeOffset at)
    {
        var items = await RunAsync(at);
        await DeliverAsync(items);
        return items;
    }

    /// <summary>Participant <paramref name="name"/> (also its id), registered through the API at <see cref="Start"/>.</summary>
    public async Task<Participant> AddParticipantAsync(string name, Func<Participant, Participant>? change = null, string programId = ProgramId)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
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
        ArgumentNullException.ThrowIfNull(change);
        var key = ParticipantRegistry.KeyOf(ProgramId, id);
        var stored = (await Store.ReadAsync<Participant>(key))!;
        await Store.ReplaceAsync(key, change(stored.Value), stored.ETag);
    }

    public void Dispose()
    {
        sqlite.Dispose();
        folder.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The signing key both engagement fixtures sign their participant links with.</summary>
    protected static LinkSigner NewLinkSigner() =>
        new([new SigningKey("k1", [.. Enumerable.Range(1, 32).Select(i => (byte)i)])]);

    protected static DecisionLinkOptions NewLinkOptions() => new() { PublicBaseUrl = new Uri("https://mentoring.example.com") };

    /// <summary>Writes the program and its catalog entry, created at <see cref="Start"/>.</summary>
    protected async Task WriteProgramAsync(string id, string name, ProgramKind kind, IReadOnlyList<string> adminEmails, EngagementPolicy? engagement)
    {
        var program = new MentoringProgram
        {
            Id = id,
            Name = name,
            Kind = kind,
            AdminEmails = adminEmails,
            TimeZone = "Europe/Berlin",
            Engagement = engagement ?? new EngagementPolicy(),
            CreatedAt = Start,
            UpdatedAt = Start,
        };
        await Store.UpsertAsync(ProgramCatalog.KeyOf(id), program);
        await Store.UpsertAsync(new DocumentKey(ProgramCatalog.CatalogPartition, DocumentKinds.ProgramRef, id), new ProgramCatalog.ProgramRef(id, Start));
    }

    /// <summary>Writes a published match (version 1) of window <paramref name="windowId"/>, introduced at <paramref name="introducedAt"/>.</summary>
    protected async Task<PublishedMatch> WriteMatchAsync(int index, DateTimeOffset introducedAt, IEnumerable<MatchMember> members, string windowId,
        Func<PublishedMatch, PublishedMatch>? change = null)
    {
        var key = WindowDocuments.Match(ProgramId, windowId, index);
        var match = new PublishedMatch
        {
            Id = key.Id,
            ProgramId = ProgramId,
            WindowId = windowId,
            Version = 1,
            Members = [.. members],
            PublishedAt = introducedAt,
            IntroducedAt = introducedAt,
        };
        match = change?.Invoke(match) ?? match;
        await Store.UpsertAsync(key, match);
        return match;
    }
}
