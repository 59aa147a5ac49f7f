using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mentoring.Core.Choosing;
using Mentoring.Core.Common;
using Mentoring.Core.Decisions;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Engagement.Reports;
using Mentoring.Core.Engagement.Surveys;
using Mentoring.Core.Mail;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;
using Mentoring.Core.Registration;
using Mentoring.Core.Windows;
using Mentoring.Server.Work;
using Mentoring.Sqlite.Windows;

namespace Mentoring.Server.Simulation;

/// <summary>Knobs of a simulated program cycle. Answer rates are per check-in nudge and per survey mail.</summary>
public sealed record SimulationOptions
{
    public int People { get; init; } = 40;
    public int Seed { get; init; } = 7;
    public int Weeks { get; init; } = 12;
    public double MetRate { get; init; } = 0.55;
    public double NotYetRate { get; init; } = 0.25;
    public double SurveyResponseRate { get; init; } = 0.4;
    /// <summary>People who unsubscribe at their first nudge (they must get nothing after that).</summary>
    public int Unsubscribers { get; init; } = 2;
    /// <summary>A user-led program: a week of scripted choosing (picks, automatic matching, accepts, declines, silence) before the draft.</summary>
    public bool UserLed { get; init; }
}

/// <summary>What the simulation did, counted by the simulation itself, to hold the system's own figures against.</summary>
public sealed record SimulationResult
{
    public required ProgramReportData Report { get; init; }
    public required string ReportCsv { get; init; }
    public required IReadOnlyDictionary<string, int> MailsByCategory { get; init; }
    public int ParticipantMailsBeforeApproval { get; init; }
    public int Pairs { get; init; }
    public int NudgesAnswered { get; init; }
    /// <summary>"We met" answers (each member answers for themselves).</summary>
    public int MeetingsReported { get; init; }
    /// <summary>Distinct (match, round) with at least one "we met": what the report calls meetings.</summary>
    public int MeetingRounds { get; init; }
    public int SurveysAnswered { get; init; }
    /// <summary>Mails created by running both timer jobs a second time at the same instant, every day. Must be 0.</summary>
    public int MailsFromRepeatedTimerRuns { get; init; }
    public int MailsToUnsubscribedAfterUnsubscribing { get; init; }
    public required IReadOnlyList<string> UnsubscribedEmails { get; init; }
    /// <summary>User-led runs: what the participants did while choosing.</summary>
    public ChoosingScriptResult? Choosing { get; init; }
}

/// <summary>
/// A whole program cycle on a virtual clock, through the real embedded host (SQLite, workflow runner, outbox,
/// work queue, timer jobs): registrations, the matching window, an approval from the draft mail's link, weeks of
/// check-in nudges answered at scripted rates, both surveys with reminders, and the final report. It is the
/// end-to-end test of engagement and a demo: <c>dotnet run --project src/Mentoring.Server -- simulate</c>.
/// </summary>
public static partial class ProgramSimulation
{
    private const string ProgramId = "simulated-buddies";
    private static readonly JsonSerializerOptions Indented = new(MentoringJson.Options) { WriteIndented = true };
    private const string Admin = "hr@simulated.example";
    private static readonly DateTimeOffset Start = new(2027, 1, 4, 8, 0, 0, TimeSpan.Zero); // a Monday
    private static readonly string[] Departments = ["Sales", "Engineering", "Finance", "People"];
    private static readonly string[] Goals = ["Negotiation", "Public speaking", "SQL", "Leadership", "Writing"];

    public static async Task<int> RunFromCommandLineAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var options = new SimulationOptions();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--user-led")
            {
                options = options with { UserLed = true };
                continue;
            }
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                throw new ArgumentException($"{args[i]} needs a number; use --people N --seed N --weeks N [--user-led].");
            }
            options = args[i++] switch
            {
                "--people" => options with { People = value },
                "--seed" => options with { Seed = value },
                "--weeks" => options with { Weeks = value },
                var other => throw new ArgumentException($"Unknown option {other}; use --people N --seed N --weeks N [--user-led]."),
            };
        }
        var folder = Path.Combine(Path.GetTempPath(), "mentoring-simulation", Guid.NewGuid().ToString("n"));
        var started = DateTime.UtcNow;
        var result = await RunAsync(options, folder, output);
        output.WriteLine();
        var simulatedWeeks = options.Weeks + 2 + (options.UserLed ? ChoosingDays / 7 : 0);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Simulated {simulatedWeeks} weeks for {options.People} people in {(DateTime.UtcNow - started).TotalSeconds:0.0} s (data: {folder})."));
        if (result.Choosing is { } choosing)
        {
            PrintChoosing(output, choosing, result);
        }
        output.WriteLine("Mails: " + string.Join(", ", result.MailsByCategory.OrderBy(m => m.Key).Select(m => $"{m.Key} {m.Value}")));
        output.WriteLine($"Participant mails before approval: {result.ParticipantMailsBeforeApproval}; mails from repeated timer runs: {result.MailsFromRepeatedTimerRuns}; mails to people after they unsubscribed: {result.MailsToUnsubscribedAfterUnsubscribing}.");
        output.WriteLine();
        output.WriteLine(JsonSerializer.Serialize(result.Report.Total, Indented));
        if (result.Report.UserLed is { } userLed)
        {
            output.WriteLine(JsonSerializer.Serialize(userLed, Indented));
        }
        var csv = Path.Combine(folder, "report.csv");
        await File.WriteAllTextAsync(csv, result.ReportCsv);
        output.WriteLine($"Full report (by department and level) as CSV: {csv}");
        return 0;
    }

    public static async Task<SimulationResult> RunAsync(SimulationOptions options, string dataFolder, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(dataFolder);
        var clock = new SimulatedClock(Start);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = dataFolder });
        builder.Logging.ClearProviders();
        builder.Configuration["Mentoring:DatabasePath"] = Path.Combine(dataFolder, "simulation.db");
        builder.Configuration["Mentoring:AdminKeys"] = "simulation";
        builder.AddEmbeddedHost();
        builder.Services.AddSingleton<TimeProvider>(clock);
        // The host is built but never started: the simulation drives timers, runner and queue itself, on its clock.
        await using var app = builder.Build();
        var services = app.Services;
        var random = new Random(options.Seed);
        var mailbox = services.GetRequiredService<IMailbox>();
        var windows = services.GetRequiredService<SqliteWindowHost>();
        var jobs = services.GetRequiredService<ScheduledJobRunner>();
        var dispatcher = services.GetRequiredService<WorkDispatcher>();

        await services.GetRequiredService<ProgramCatalog>().CreateAsync(Program(options));
        var registry = services.GetRequiredService<ParticipantRegistry>();
        for (var i = 0; i < options.People; i++)
        {
            await registry.RegisterAsync(ProgramId, new RegistrationRequest
            {
                Email = $"person{i:D3}@simulated.example",
                Name = $"Person {i:D3}",
                Consent = true,
                Answers = new Dictionary<string, IReadOnlyList<string>>
                {
                    ["department"] = [Departments[random.Next(Departments.Length)]],
                    ["level"] = [$"{1 + random.Next(5)}"],
                    ["goals"] = [.. Goals.OrderBy(_ => random.Next()).Take(1 + random.Next(2))],
                },
                Source = new RegistrationSource(RegistrationSource.Api),
            });
        }
        log?.WriteLine($"{options.People} people registered.");

        // The matching window closes a week later; the draft goes to the admin, who approves from the mail.
        await services.GetRequiredService<WindowDesk>().OpenAsync(ProgramId, Start.AddDays(7));
        clock.Set(Start.AddDays(7));
        await windows.RunDueAsync();
        // User-led: a week of choosing first; its mails (invitations, requests, pairs formed) are the only ones before approval.
        var choosing = options.UserLed ? await ChooseAsync(services, clock, random, mailbox, windows, Start.AddDays(7)) : null;
        var participantMailsBeforeApproval = (await AllMails(mailbox)).Count(m => !IsAdmin(m) && m.Message.Category != ChoosingMail.Category);
        var draftMail = (await AllMails(mailbox)).Single(m => m.Message.Category == MailCategories.Draft);
        var approve = DecisionLink().Match(draftMail.Message.HtmlBody).Groups["token"].Value;
        var decided = await services.GetRequiredService<DecisionDesk>().DecideAsync(approve, reason: null);
        log?.WriteLine($"Draft approved: {decided.Message}");
        var introducedAt = clock.GetUtcNow();

        var participantDesk = services.GetRequiredService<ParticipantDesk>();
        var participantLinks = services.GetRequiredService<ParticipantLinks>();
        var surveyDesk = services.GetRequiredService<SurveyDesk>();
        var handled = new HashSet<string>(StringComparer.Ordinal);
        var unsubscribed = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        int answered = 0, met = 0, surveysAnswered = 0, fromRepeats = 0;
        var meetingRounds = new HashSet<(string, int)>();

        var days = options.Weeks * 7 + 14; // the end survey closes two weeks after the last nudge
        for (var day = 1; day <= days; day++)
        {
            var morning = introducedAt.Date.AddDays(day);
            clock.Set(new DateTimeOffset(morning, TimeSpan.Zero).AddHours(9).AddMinutes(31));
            await jobs.RunDueAsync();
            await dispatcher.DispatchDueAsync();
            await windows.RunDueAsync();

            // Idempotency: both jobs run now, then again at the very same instant, must not produce one more mail. (The
            // first run may well send something: a due run works at its scheduled instant, which can fall in an earlier
            // summary week than this morning.)
            await jobs.RunNowAsync(CheckInJob.JobName);
            await jobs.RunNowAsync(SurveyJob.JobName);
            await dispatcher.DispatchDueAsync();
            var before = (await AllMails(mailbox)).Count;
            await jobs.RunNowAsync(CheckInJob.JobName);
            await jobs.RunNowAsync(SurveyJob.JobName);
            await dispatcher.DispatchDueAsync();
            fromRepeats += (await AllMails(mailbox)).Count - before;

            foreach (var mail in (await AllMails(mailbox)).Where(m => handled.Add(m.Id)))
            {
                var to = mail.Message.To[0].Email;
                if (mail.Message.Category == CheckInMailCategories.CheckIn)
                {
                    var links = ParticipantLink().Matches(mail.Message.HtmlBody).Select(m => m.Groups["token"].Value).Distinct().ToList();
                    string? Link(ParticipantAction action, int? minutes = null) => links.FirstOrDefault(t =>
                        participantLinks.Verify(t, clock.GetUtcNow()).Grant is { } g && g.Action == action && (minutes is null || g.Minutes == minutes));
                    if (unsubscribed.Count < options.Unsubscribers && !unsubscribed.ContainsKey(to))
                    {
                        await participantDesk.ApplyAsync(Link(ParticipantAction.Unsubscribe)!, new ParticipantForm(OneClick: true));
                        unsubscribed[to] = clock.GetUtcNow();
                        continue;
                    }
                    var roll = random.NextDouble();
                    if (roll < options.MetRate)
                    {
                        var token = Link(ParticipantAction.CheckInMet, 60)!;
                        await participantDesk.ApplyAsync(token, new ParticipantForm(Minutes: "60"));
                        var grant = participantLinks.Verify(token, clock.GetUtcNow()).Grant!;
                        meetingRounds.Add((grant.MatchId!, grant.Round!.Value));
                        answered++;
                        met++;
                    }
                    else if (roll < options.MetRate + options.NotYetRate)
                    {
                        await participantDesk.ApplyAsync(Link(ParticipantAction.CheckInNotYet)!, ParticipantForm.Empty);
                        answered++;
                    }
                }
                else if (mail.Message.Category is SurveyMail.InviteCategory or SurveyMail.ReminderCategory
                    && random.NextDouble() < options.SurveyResponseRate
                    && SurveyLink().Match(mail.Message.HtmlBody) is { Success: true } survey)
                {
                    var page = await surveyDesk.SubmitAsync(survey.Groups["token"].Value, new Dictionary<string, string>
                    {
                        ["satisfaction"] = SurveyDefinition.SatisfactionScale[random.Next(3)],
                        ["nps"] = $"{5 + random.Next(6)}",
                    });
                    surveysAnswered += page.Outcome == SurveyOutcome.Saved ? 1 : 0;
                }
            }
        }

        var mails = await AllMails(mailbox);
        var report = await services.GetRequiredService<ProgramReport>().BuildAsync(ProgramId);
        return new SimulationResult
        {
            Report = report,
            ReportCsv = ReportCsv.Write(report),
            MailsByCategory = mails.GroupBy(m => m.Message.Category).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            ParticipantMailsBeforeApproval = participantMailsBeforeApproval,
            // One intro per member, each keyed intro:{program}:{window}:{pair}:{member}: the pairs are the distinct pair keys.
            Pairs = mails.Where(m => m.Message.Category == MailCategories.Intro)
                .Select(m => m.Message.IdempotencyKey[..m.Message.IdempotencyKey.LastIndexOf(':')]).Distinct(StringComparer.Ordinal).Count(),
            NudgesAnswered = answered,
            MeetingsReported = met,
            MeetingRounds = meetingRounds.Count,
            SurveysAnswered = surveysAnswered,
            MailsFromRepeatedTimerRuns = fromRepeats,
            MailsToUnsubscribedAfterUnsubscribing = mails.Count(m => m.Message.To.Any(t => unsubscribed.TryGetValue(t.Email, out var at) && m.QueuedAt > at)),
            UnsubscribedEmails = [.. unsubscribed.Keys],
            Choosing = choosing,
        };
    }

    private static bool IsAdmin(StoredMail mail) => mail.Message.To.All(t => t.Email == Admin);

    private static async Task<IReadOnlyList<StoredMail>> AllMails(IMailbox mailbox) =>
        await mailbox.ListAsync(new MailboxQuery { ProgramId = ProgramId, Limit = 100_000 });

    private static ProgramDefinition Program(SimulationOptions options) => new()
    {
        Id = ProgramId,
        Name = "Simulated buddies",
        Kind = ProgramKind.Cohort,
        AdminEmails = [Admin],
        TimeZone = "Europe/Berlin",
        Registration = new RegistrationWindow { OpensAt = Start, ClosesAt = Start.AddDays(7) },
        Choosing = options.UserLed ? UserLedPolicy : null,
        Questionnaire = new Questionnaire
        {
            Questions =
            [
                new() { Key = "department", Type = QuestionType.SingleChoice, Options = Departments, Required = true, Role = MatchingRole.Different, Weight = 10 },
                new() { Key = "level", Type = QuestionType.OrdinalScale, Options = ["1", "2", "3", "4", "5"], Role = MatchingRole.Similar, Weight = 8 },
                new() { Key = "goals", Type = QuestionType.MultiChoice, Options = Goals, Role = MatchingRole.Overlap, Weight = 20 },
            ],
        },
        Engagement = new EngagementPolicy
        {
            CheckInEveryDays = 14,
            ProgramLengthDays = options.Weeks * 7,
            Surveys =
            [
                SurveyDefinition.Defaults[0] with { SendAfterDays = options.Weeks * 7 / 2 },
                SurveyDefinition.Defaults[1] with { SendAfterDays = options.Weeks * 7 },
            ],
        },
    };

    [GeneratedRegex("/api/decisions/(?<token>[A-Za-z0-9_\\-\\.]+)")]
    private static partial Regex DecisionLink();

    [GeneratedRegex("/api/links/(?<token>[A-Za-z0-9_\\-\\.]+)")]
    private static partial Regex ParticipantLink();

    [GeneratedRegex("/api/surveys/(?<token>[A-Za-z0-9_\\-\\.]+)")]
    private static partial Regex SurveyLink();
}
