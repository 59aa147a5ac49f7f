using Mentoring.Core.Decisions;
using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Participation;
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

namespace Mentoring.Server.Tests.Engagement.CheckIns;

/// <summary>An honest in-memory work queue: dedupes by idempotency key forever, as the port promises; the test drains it.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue.")]
public sealed class WorkQueueDouble : IWorkQueue
{
    private readonly Lock gate = new();
    private readonly HashSet<string> keys = new(StringComparer.Ordinal);
    private readonly List<WorkItem> pending = [];

    public Task<bool> EnqueueAsync(WorkItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (gate)
        {
            if (!keys.Add(item.IdempotencyKey))
            {
                return Task.FromResult(false);
            }
            pending.Add(item);
            return Task.FromResult(true);
        }
    }

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
public sealed class KeptMail : IMailer
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

/// <summary>The real SQLite store on a temp file, one program, a clock the test moves, and the check-in job, handler and desks.</summary>
public sealed class CheckInFixture : IDisposable
{
    public const string ProgramId = "spring";
    public static readonly DateTimeOffset Start = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly TempFolder folder = new();
    private readonly SqliteDocumentStore sqlite;

    public CheckInFixture()
    {
        sqlite = new SqliteDocumentStore(new SqliteStoreOptions(folder.File("checkins.db")));
        Catalog = new ProgramCatalog(Store, Clock);
        Links = new ParticipantLinks(new LinkSigner([new SigningKey("k1", [.. Enumerable.Range(1, 32).Select(i => (byte)i)])]),
            new DecisionLinkOptions { PublicBaseUrl = new Uri("https://mentoring.example.com") });
        Job = new CheckInJob(Store, Catalog, Queue);
        Handler = new CheckInHandler(Store, Mailer, Links, Clock);
        Matches = new MatchDesk(Store, Catalog, Clock);
        Desk = new ParticipantDesk(Store, Links, Matches, Queue, Clock);
    }

    public ManualClock Clock { get; } = new(Start);
    public IDocumentStore Store => sqlite;
    public ProgramCatalog Catalog { get; }
    public WorkQueueDouble Queue { get; } = new();
    public KeptMail Mailer { get; } = new();
    public ParticipantLinks Links { get; }
    public CheckInJob Job { get; }
    public CheckInHandler Handler { get; }
    public MatchDesk Matches { get; }
    public ParticipantDesk Desk { get; }

    public static DateTimeOffset Day(double days) => Start.AddDays(days);

    public async Task AddProgramAsync(EngagementPolicy? engagement = null, ProgramKind kind = ProgramKind.Cohort)
    {
        var program = new MentoringProgram
        {
            Id = ProgramId,
            Name = "Spring <buddies>",
            Kind = kind,
            AdminEmails = ["hr@example.com", "lead@example.com"],
            TimeZone = "Europe/Berlin",
            Engagement = engagement ?? new EngagementPolicy(),
            CreatedAt = Start,
            UpdatedAt = Start,
        };
        await Store.UpsertAsync(ProgramCatalog.KeyOf(ProgramId), program);
        await Store.UpsertAsync(new DocumentKey(ProgramCatalog.CatalogPartition, DocumentKinds.ProgramRef, ProgramId), new ProgramCatalog.ProgramRef(ProgramId, Start));
    }

    public async Task AddPeopleAsync(params string[] names)
    {
        foreach (var name in names)
        {
            await Store.UpsertAsync(ParticipantRegistry.KeyOf(ProgramId, name), new Participant
            {
                Id = name,
                ProgramId = ProgramId,
                Email = $"{name}@example.com",
                Name = char.ToUpperInvariant(name[0]) + name[1..],
                Source = new RegistrationSource(RegistrationSource.Api),
                ConsentedAt = Start,
                CreatedAt = Start,
                UpdatedAt = Start,
            });
        }
    }

    public async Task ChangeAsync(string participantId, Func<Participant, Participant> change)
    {
        var key = ParticipantRegistry.KeyOf(ProgramId, participantId);
        var stored = (await Store.ReadAsync<Participant>(key))!;
        await Store.ReplaceAsync(key, change(stored.Value), stored.ETag);
    }

    public async Task<Participant> PersonAsync(string participantId) =>
        (await Store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(ProgramId, participantId)))!.Value;

    /// <summary>A published, introduced match of these people (ids = names), introduced at <paramref name="introducedAt"/>.</summary>
    public async Task<string> AddMatchAsync(int index, DateTimeOffset introducedAt, params string[] members)
    {
        var key = WindowDocuments.Match(ProgramId, "w1", index);
        await Store.UpsertAsync(key, new PublishedMatch
        {
            Id = key.Id,
            ProgramId = ProgramId,
            WindowId = "w1",
            Version = 1,
            Members = [.. members.Select(m => new MatchMember(m, char.ToUpperInvariant(m[0]) + m[1..], $"{m}@example.com"))],
            PublishedAt = introducedAt,
            IntroducedAt = introducedAt,
        });
        return key.Id;
    }

    public async Task<PublishedMatch> MatchAsync(string matchId) => (await Store.ReadAsync<PublishedMatch>(CheckInDocuments.Match(ProgramId, matchId)))!.Value;

    public async Task<CheckInRecord?> RecordAsync(string matchId, int round, string participantId) =>
        (await Store.ReadAsync<CheckInRecord>(EngagementDocuments.CheckIn(ProgramId, matchId, round, participantId)))?.Value;

    public async Task SuppressAsync(string email) =>
        await Store.UpsertAsync(EngagementDocuments.Suppression(MailSuppression.EmailDigest(email)), new Suppression(MailSuppression.EmailDigest(email), "bounce", Start));

    /// <summary>Moves the clock, runs the timer, returns what it newly enqueued (without delivering it).</summary>
    public async Task<IReadOnlyList<WorkItem>> RunAsync(DateTimeOffset at)
    {
        Clock.Set(at);
        await Job.RunAsync(Clock.GetUtcNow());
        return Queue.Drain();
    }

    /// <summary>Delivers work items to the handler through the router, as the dispatcher does.</summary>
    public async Task DeliverAsync(IEnumerable<WorkItem> items)
    {
        var router = new WorkRouter([Handler]);
        foreach (var item in items)
        {
            await router.HandleAsync(item);
        }
    }

    /// <summary>Runs the timer and delivers what it enqueued. Returns the new items.</summary>
    public async Task<IReadOnlyList<WorkItem>> TickAsync(DateTimeOffset at)
    {
        var items = await RunAsync(at);
        await DeliverAsync(items);
        return items;
    }

    /// <summary>The token of the link in a mail (the first whose text label starts with <paramref name="label"/>).</summary>
    public static string TokenIn(MailMessage mail, string label)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var line = mail.TextBody.Split('\n').First(l => l.TrimStart().StartsWith(label, StringComparison.Ordinal));
        var url = line[(line.IndexOf("https://", StringComparison.Ordinal))..].Trim();
        return url[(url.IndexOf(ParticipantLinks.Path, StringComparison.Ordinal) + ParticipantLinks.Path.Length)..];
    }

    public void Dispose()
    {
        sqlite.Dispose();
        folder.Dispose();
    }
}
