using System.Collections.Concurrent;
using System.Net;
using Mentoring.Core.Mail;
using Mentoring.Core.Work;
using Mentoring.Server.Work;
using Mentoring.Sqlite;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Work;

/// <summary>
/// The embedded work pipeline on the real server (real HTTP pipeline, real SQLite file): a timer job enqueues by key,
/// the dispatcher hands items to a handler that mails through <see cref="IMailer"/>, failures end in the poison list,
/// admins retry them over HTTP. The clock only moves when a test moves it.
/// </summary>
public sealed class WorkPipelineTests : IDisposable
{
    private const string Program = "work-test";
    private const string JobName = "TestNudges";
    private static readonly string[] Recipients = ["ana@example.com", "bo@example.com"];

    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly Probe probe = new();
    private readonly List<MentoringServer> servers = [];

    /// <summary>What the test job and handler did, shared across restarts.</summary>
    private sealed class Probe
    {
        public ConcurrentQueue<DateTimeOffset> JobRuns { get; } = new();
        public ConcurrentDictionary<string, int> Attempts { get; } = new(StringComparer.Ordinal);
        public ConcurrentDictionary<string, bool> Failing { get; } = new(StringComparer.Ordinal);
        public TaskCompletionSource<WorkItem> FirstHandled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Enqueues one nudge per recipient, keyed by (recipient, purpose, due date). Never sends.</summary>
    private sealed class TestNudgeJob(IWorkQueue queue, Probe probe) : IScheduledJob
    {
        public string Name => JobName;

        public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
        {
            probe.JobRuns.Enqueue(now);
            foreach (var email in Recipients)
            {
                await queue.EnqueueAsync(new WorkItem
                {
                    IdempotencyKey = $"{email}|test-nudge|{now:yyyy-MM-dd}",
                    Purpose = "test-nudge",
                    ProgramId = Program,
                    DueAt = now,
                    Data = new Dictionary<string, string> { ["email"] = email },
                }, cancellationToken);
            }
        }
    }

    /// <summary>Mails one nudge with the item's key as the mail's idempotency key; throws for recipients marked failing.</summary>
    private sealed class TestNudgeHandler(IMailer mailer, Probe probe) : IWorkPurposeHandler
    {
        public IReadOnlyCollection<string> Purposes { get; } = ["test-nudge"];

        public async Task HandleAsync(WorkItem item, CancellationToken cancellationToken = default)
        {
            var email = item.Data["email"];
            var attempt = probe.Attempts.AddOrUpdate(email, 1, (_, n) => n + 1);
            if (probe.Failing.ContainsKey(email))
            {
                throw new InvalidOperationException($"mail relay refused {email} (attempt {attempt})");
            }

            await mailer.SendAsync(new MailMessage
            {
                IdempotencyKey = item.IdempotencyKey,
                ProgramId = item.ProgramId,
                To = [new MailAddress(email)],
                Subject = "How is it going?",
                TextBody = "Did you meet?",
                HtmlBody = "<p>Did you meet?</p>",
            }, cancellationToken);
            probe.FirstHandled.TrySetResult(item);
        }
    }

    public void Dispose()
    {
        foreach (var server in servers)
        {
            server.Dispose();
        }

        folder.Dispose();
    }

    [Fact]
    public async Task An_item_failing_five_times_is_listed_as_poison_and_a_retry_over_http_delivers_it()
    {
        var server = Start();
        probe.Failing["ana@example.com"] = true;

        await Runner(server).RunNowAsync(JobName);
        await Dispatcher(server).DispatchDueAsync();
        for (var attempt = 2; attempt <= IWorkQueue.MaxAttempts; attempt++)
        {
            var next = await Queue(server).NextDueAtAsync();
            Assert.NotNull(next);
            Assert.True(next > clock.GetUtcNow(), "a failed item waits for its backoff");
            clock.Set(next.Value);
            await Dispatcher(server).DispatchDueAsync();
        }

        Assert.Equal(IWorkQueue.MaxAttempts, probe.Attempts["ana@example.com"]);
        Assert.Equal(1, probe.Attempts["bo@example.com"]);
        Assert.Null(await Queue(server).NextDueAtAsync());

        var list = await server.Admin().GetAsync($"/api/work/poison?programId={Program}");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var poisoned = Assert.Single((await list.Body()).AsArray());
        var key = poisoned!["item"]!["idempotencyKey"]!.GetValue<string>();
        Assert.Equal("ana@example.com|test-nudge|2027-03-01", key);
        Assert.Equal(Program, poisoned["item"]!["programId"]!.GetValue<string>());
        Assert.Equal(IWorkQueue.MaxAttempts, poisoned["attempts"]!.GetValue<int>());
        Assert.Contains("mail relay refused ana@example.com (attempt 5)", poisoned["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await (await server.Admin().GetAsync("/api/work/poison?programId=another")).Body()).AsArray());
        Assert.Single((await (await server.Admin().GetAsync("/api/work/poison")).Body()).AsArray());
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Public().GetAsync("/api/work/poison")).StatusCode);

        probe.Failing.Clear();
        var retried = await server.Admin().PostAsync($"/api/work/poison/{Uri.EscapeDataString(key)}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Equal(key, (await retried.Body())["idempotencyKey"]!.GetValue<string>());
        await Dispatcher(server).DispatchDueAsync();

        Assert.Equal(IWorkQueue.MaxAttempts + 1, probe.Attempts["ana@example.com"]);
        Assert.Empty((await (await server.Admin().GetAsync($"/api/work/poison?programId={Program}")).Body()).AsArray());
        var mails = await Mails(server);
        Assert.Equal(Recipients, mails.Select(m => m.Message.To[0].Email).Order(StringComparer.Ordinal));
        var again = await server.Admin().PostAsync($"/api/work/poison/{Uri.EscapeDataString(key)}/retry", null);
        var problem = await again.Problem(404);
        Assert.Equal("urn:mentoring:problem:not-poisoned", problem["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_timer_running_twice_at_one_instant_sends_one_mail_each()
    {
        var server = Start();
        Assert.DoesNotContain(JobName, await Runner(server).RunDueAsync());
        var occurrence = new DateTimeOffset(2027, 3, 2, 6, 0, 0, TimeSpan.Zero);
        Assert.Equal(occurrence, Runner(server).NextRunOf(JobName));

        clock.Set(occurrence);
        // The runner's own background loop may take this occurrence before the call below does (the host is running);
        // either way the scheduled run and the extra run make exactly two runs at this one instant.
        await Runner(server).RunDueAsync();
        await Runner(server).RunNowAsync(JobName);
        Assert.Empty(await Runner(server).RunDueAsync());
        await Dispatcher(server).DispatchDueAsync();
        await Dispatcher(server).DispatchDueAsync();

        Assert.Equal([occurrence, occurrence], probe.JobRuns);
        var mails = await Mails(server);
        Assert.Equal(2, mails.Count);
        Assert.Equal(Recipients, mails.Select(m => m.Message.To[0].Email).Order(StringComparer.Ordinal));
        Assert.All(Recipients, r => Assert.Equal(1, probe.Attempts[r]));
        Assert.Equal(occurrence.AddDays(1), Runner(server).NextRunOf(JobName));
    }

    [Fact]
    public async Task Occurrences_missed_while_the_server_was_down_run_once_on_start()
    {
        var first = Start();
        Assert.DoesNotContain(JobName, await Runner(first).RunDueAsync());
        first.Dispose();
        servers.Remove(first);

        // Down for three 06:00 occurrences.
        clock.Set(new DateTimeOffset(2027, 3, 4, 10, 0, 0, TimeSpan.Zero));
        var second = Start();
        await Runner(second).RunDueAsync();
        Assert.Empty(await Runner(second).RunDueAsync());

        Assert.Equal([clock.GetUtcNow()], probe.JobRuns);
        Assert.Equal(new DateTimeOffset(2027, 3, 5, 6, 0, 0, TimeSpan.Zero), Runner(second).NextRunOf(JobName));
        clock.Set(new DateTimeOffset(2027, 3, 5, 6, 0, 0, TimeSpan.Zero));
        Assert.Contains(JobName, await Runner(second).RunDueAsync());
        Assert.Equal(2, probe.JobRuns.Count);
    }

    [Fact]
    public async Task A_new_item_wakes_the_dispatcher()
    {
        var server = Start();
        _ = server.Services; // started

        await Runner(server).RunNowAsync(JobName);

        var handled = await probe.FirstHandled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Program, handled.ProgramId);
    }

    [Fact]
    public void An_invalid_schedule_stops_the_server_at_start_naming_the_setting()
    {
        var server = Start(schedule: "0 9 * * *");

        var error = Assert.ThrowsAny<Exception>(() => server.CreateClient());

        var messages = Flatten(error).Select(e => e.Message).ToList();
        Assert.Contains(messages, m => m.Contains("Mentoring:Schedules:TestNudges", StringComparison.Ordinal)
            && m.Contains("six-field", StringComparison.Ordinal));
    }

    [Fact]
    public void Default_schedules_parse_and_a_job_without_one_is_refused()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        var checkIns = ScheduledJobRunner.ParseSchedule("CheckIns", configuration);
        var reminders = ScheduledJobRunner.ParseSchedule("SurveyReminders", configuration);
        var start = new DateTime(2027, 3, 1, 0, 0, 0, DateTimeKind.Utc);

        Assert.Equal(new DateTime(2027, 3, 1, 9, 0, 0), checkIns.GetNextOccurrence(start));
        Assert.Equal(new DateTime(2027, 3, 1, 9, 30, 0), reminders.GetNextOccurrence(start));
        var error = Assert.Throws<InvalidOperationException>(() => ScheduledJobRunner.ParseSchedule("Nightly", configuration));
        Assert.Contains("Mentoring:Schedules:Nightly", error.Message, StringComparison.Ordinal);
    }

    private MentoringServer Start(string schedule = "0 0 6 * * *")
    {
        var server = new MentoringServer(folder, clock);
        server.Settings[$"{ScheduledJobRunner.Section}:{JobName}"] = schedule;
        server.ExtraServices = (context, services) =>
        {
            services.AddEmbeddedWork(context.Configuration, server.DatabasePath);
            services.AddSingleton(probe);
            services.AddSingleton<IWorkPurposeHandler, TestNudgeHandler>();
            services.AddSingleton<IScheduledJob, TestNudgeJob>();
        };
        servers.Add(server);
        return server;
    }

    private static ScheduledJobRunner Runner(MentoringServer server) => server.Services.GetRequiredService<ScheduledJobRunner>();

    private static WorkDispatcher Dispatcher(MentoringServer server) => server.Services.GetRequiredService<WorkDispatcher>();

    private static SqliteWorkQueue Queue(MentoringServer server) => server.Services.GetRequiredService<SqliteWorkQueue>();

    private static Task<IReadOnlyList<StoredMail>> Mails(MentoringServer server) =>
        server.Services.GetRequiredService<IMailbox>().ListAsync(new MailboxQuery { ProgramId = Program });

    private static IEnumerable<Exception> Flatten(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }
}
