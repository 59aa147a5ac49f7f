using System.Collections.Concurrent;
using System.Text.Json;
using Mentoring.Core.Choosing;
using Mentoring.Core.Common;
using Mentoring.Core.Decisions;
using Mentoring.Core.Links;
using Mentoring.Core.Mail;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;
using Mentoring.Core.Windows;
using Mentoring.Sqlite;
using Mentoring.Sqlite.Windows;
using Mentoring.Testing;

namespace Mentoring.Core.Tests.Workflow;

/// <summary>
/// Core's use cases wired as the embedded server wires them (SQLite store, SQLite window runner, the real activities),
/// without the web host: a program, its registrations, its windows and the decision links, on a clock the test moves.
/// </summary>
internal sealed class EmbeddedProgram : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    public const string ProgramId = "spring";
    public static readonly string[] Admins = ["hr@example.com", "lead@example.com"];
    private static readonly string[] Departments = ["Sales", "Engineering", "Finance"];

    private readonly TempFolder folder = new();
    private readonly SqliteWindowHost host;

    public EmbeddedProgram(Func<IDocumentStore, IDocumentStore>? wrapStore = null)
    {
        var options = new SqliteStoreOptions(folder.File("mentoring.db"));
        Sqlite = new SqliteDocumentStore(options);
        Store = wrapStore?.Invoke(Sqlite) ?? Sqlite;
        Programs = new ProgramCatalog(Store, Clock);
        Registry = new ParticipantRegistry(Store, Programs, Clock);
        var signer = new LinkSigner([new SigningKey("k1", Enumerable.Range(1, 32).Select(i => (byte)i).ToArray())]);
        var linkOptions = new DecisionLinkOptions { PublicBaseUrl = new Uri("https://mentoring.example.com") };
        Tokens = new DecisionTokens(signer);
        Links = new DecisionLinks(Tokens, linkOptions);
        // User-led windows mail each person a signed link to their suggestions.
        ChoosingLinks = new ChoosingLinks(signer, linkOptions);
        Activities = new FaultyActivities(new WindowActivities(Store, Programs, Registry, Mailer, Links, Clock, ChoosingLinks));
        host = new SqliteWindowHost(options, Activities, Clock);
        Windows = new WindowDesk(Programs, host, Store, Clock);
        Decisions = new DecisionDesk(Tokens, Programs, host, Store, Clock);
        Choosing = new ChoosingDesk(ChoosingLinks, host, Store, Clock);
    }

    public ManualClock Clock { get; } = new(T0);
    /// <summary>The SQLite file behind <see cref="Sqlite"/>, for tests that read every stored row.</summary>
    public string DatabasePath => folder.File("mentoring.db");
    public SqliteDocumentStore Sqlite { get; }
    public IDocumentStore Store { get; }
    public ProgramCatalog Programs { get; }
    public ParticipantRegistry Registry { get; }
    public RecordingMailer Mailer { get; } = new();
    public DecisionTokens Tokens { get; }
    public DecisionLinks Links { get; }
    public FaultyActivities Activities { get; }
    public IWindowHost Host => host;
    public WindowDesk Windows { get; }
    public DecisionDesk Decisions { get; }
    public ChoosingLinks ChoosingLinks { get; }
    /// <summary>The participant side of user-led windows: the pages behind the choose and answer links.</summary>
    public ChoosingDesk Choosing { get; }

    /// <summary>A program as an admin would send it; <paramref name="extra"/> adds members ("windows", "matching"), each ending with a comma.</summary>
    public async Task<MentoringProgram> CreateProgramAsync(string kind = "cohort", string extra = "")
    {
        var json = $$"""
        {
          "id": "{{ProgramId}}",
          "name": "Spring buddies",
          "kind": "{{kind}}",
          "adminEmails": ["{{Admins[0]}}", "{{Admins[1]}}"],
          "timeZone": "Europe/Berlin",
          "webhookSecrets": ["whsec-test-0123456789abcdef"],
          {{extra}}
          "questionnaire": {
            "questions": [
              { "key": "department", "type": "singleChoice", "options": ["Sales", "Engineering", "Finance"], "required": true, "role": "different", "weight": 10 },
              { "key": "level", "type": "ordinalScale", "options": ["1", "2", "3", "4", "5"], "role": "similar", "weight": 8 }
            ]
          }
        }
        """;
        var definition = JsonSerializer.Deserialize<ProgramDefinition>(json, MentoringJson.Options)!;
        return (await Programs.CreateAsync(definition)).Value;
    }

    /// <summary>Registers people named "Person 00", "Person 01"... through the JSON API's path; returns their ids.</summary>
    public async Task<IReadOnlyList<string>> RegisterAsync(int count, int from = 0)
    {
        var ids = new List<string>();
        for (var i = from; i < from + count; i++)
        {
            var outcome = await Registry.RegisterAsync(ProgramId, new RegistrationRequest
            {
                Email = $"person{i:D2}@example.com",
                Name = $"Person {i:D2}",
                Consent = true,
                Answers = new Dictionary<string, IReadOnlyList<string>>
                {
                    ["department"] = [Departments[i % 3]],
                    ["level"] = [$"{1 + (i % 5)}"],
                },
                Source = new RegistrationSource(RegistrationSource.Api),
            });
            ids.Add(outcome.Participant.Value.Id);
        }
        return ids;
    }

    /// <summary>Opens a window that closes now: draft v1 is computed and mailed, and waits for a decision.</summary>
    public async Task<WindowState> CloseNowAsync()
    {
        var (view, _) = await Windows.OpenAsync(ProgramId, closesAt: null);
        return view.State;
    }

    public Task<WindowState?> StateAsync(string windowId) => Host.GetAsync(ProgramId, windowId);

    /// <summary>The token of a signed link for <paramref name="action"/> on <paramref name="version"/>, valid for <paramref name="lifetime"/>.</summary>
    public string Token(string windowId, int version, DecisionAction action, string admin = "hr@example.com", TimeSpan? lifetime = null,
        Core.Matching.Rules.ParticipantPair? pair = null, string? participantId = null, string programId = ProgramId) =>
        Tokens.Sign(new DecisionGrant
        {
            ProgramId = programId,
            WindowId = windowId,
            Version = version,
            Approver = admin,
            Action = action,
            Pair = pair,
            ParticipantId = participantId,
            ExpiresAtUnix = (Clock.GetUtcNow() + (lifetime ?? TimeSpan.FromDays(14))).ToUnixTimeSeconds(),
        });

    public Task<StoredDraft?> DraftAsync(string windowId, int version) =>
        Store.ReadAsync<StoredDraft>(WindowDocuments.Draft(ProgramId, windowId, version)).ContinueWith(t => t.Result?.Value, TaskScheduler.Default);

    /// <summary>Moves the clock and lets the runner fire whatever fell due.</summary>
    public async Task PassAsync(TimeSpan by)
    {
        Clock.Advance(by);
        await host.RunDueAsync();
    }

    public Task RunDueAsync() => host.RunDueAsync();

    /// <summary>The window's commands still waiting for a retry (what admins see as failed work).</summary>
    public Task<IReadOnlyList<(string Key, int Attempts, string? LastError)>> PendingCommandsAsync(string windowId) =>
        host.PendingCommandsAsync(ProgramId, windowId);

    public void Dispose()
    {
        host.Dispose();
        Sqlite.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
    }
}

/// <summary>The mail port as its contract says: one message per idempotency key, ever. Keeps what was accepted.</summary>
internal sealed class RecordingMailer : IMailer
{
    private readonly ConcurrentDictionary<string, MailMessage> byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<MailMessage> sent = new();

    public IReadOnlyList<MailMessage> Sent => [.. sent];

    public IReadOnlyList<MailMessage> OfCategory(string category) => [.. sent.Where(m => m.Category == category)];

    /// <summary>Messages the relay refuses for now (the send throws, as a transport failure would).</summary>
    public Func<MailMessage, bool> Refuses { get; set; } = _ => false;

    public Task<bool> SendAsync(MailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Refuses(message))
        {
            throw new IOException($"550 mailbox unavailable: {message.To[0].Email}");
        }
        if (!byKey.TryAdd(message.IdempotencyKey, message))
        {
            return Task.FromResult(false);
        }
        sent.Enqueue(message);
        return Task.FromResult(true);
    }
}

/// <summary>The real activities, with a switch to make one kind of command fail (the runner then retries it later).</summary>
internal sealed class FaultyActivities(IWindowActivities inner) : IWindowActivities
{
    public Func<WindowCommand, bool> Fails { get; set; } = _ => false;

    public Task<WindowEvent?> ExecuteAsync(WindowState state, WindowCommand command, CancellationToken cancellationToken = default) =>
        Fails(command) ? throw new InvalidOperationException($"{command.Key} failed on purpose") : inner.ExecuteAsync(state, command, cancellationToken);
}
