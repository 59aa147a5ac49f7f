using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Reports;
using Mentoring.Core.Engagement.Summaries;
using Mentoring.Core.Mail;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;

namespace Mentoring.Core.Tests.Engagement.Summaries;

/// <summary>
/// The admins' periodic summary in Core: which period a run reports (in the program's time zone), who gets it once, and
/// what the period brought. The program lives in Europe/Berlin (UTC+1 in March before the 28th) and was created on
/// Monday 1 March 2027, 09:00 UTC.
/// </summary>
public sealed class ProgramSummaryTests : IDisposable
{
    private readonly SummaryFixture fixture = new();

    public void Dispose() => fixture.Dispose();

    private static DateTimeOffset Utc(int day, int hour, int minute = 0) => new(2027, 3, day, hour, minute, 0, TimeSpan.Zero);

    private IReadOnlyList<MailMessage> Summaries => [.. fixture.Mailer.Sent.Where(m => m.Category == ProgramSummaryMailCategories.Summary)];

    private static IEnumerable<WorkItem> SummaryItems(IEnumerable<WorkItem> items) => items.Where(i => i.Purpose == WorkPurposes.ProgramSummary);

    /// <summary>Each figure row's label and the width of its filled bar, in percent (0 when it has none).</summary>
    private static IEnumerable<(string Label, int Percent)> Bars(string html) =>
        html.Split('\n').Where(l => l.StartsWith("<tr><td width=\"45%\"", StringComparison.Ordinal)).Select(row =>
        {
            var label = System.Text.RegularExpressions.Regex.Match(row, "^<tr><td[^>]*>([^<]*)</td>").Groups[1].Value;
            var bar = System.Text.RegularExpressions.Regex.Match(row, "width=\"(\\d+)%\" height=\"12\" bgcolor=\"#0969da\"");
            return (System.Net.WebUtility.HtmlDecode(label), bar.Success ? int.Parse(bar.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
        });

    [Fact]
    public async Task A_week_is_reported_once_from_the_first_minute_of_Monday_in_the_programs_time_zone()
    {
        await fixture.AddProgramAsync();

        Assert.Empty(SummaryItems(await fixture.TickAsync(Utc(1, 9)))); // created today: the week that just ended predates it
        Assert.Empty(SummaryItems(await fixture.TickAsync(Utc(7, 22, 59)))); // Sunday 23:59 in Berlin
        var monday = SummaryItems(await fixture.TickAsync(Utc(7, 23))).ToList(); // Monday 00:00 in Berlin, still Sunday in UTC

        var item = Assert.Single(monday);
        Assert.Equal("2027-03-01", item.Data[ProgramSummaryJob.FromData]);
        Assert.Equal("2027-03-08", item.Data[ProgramSummaryJob.ToData]);
        Assert.Equal(["hr@example.com", "lead@example.com"], Summaries.Select(m => m.To[0].Email).Order());
        Assert.All(Summaries, m => Assert.Equal("[Spring buddies] Weekly summary: 1 Mar to 7 Mar 2027", m.Subject));
        Assert.All(Summaries, m => Assert.Contains("You get this summary every Monday", m.TextBody, StringComparison.Ordinal));

        Assert.Empty(await fixture.TickAsync(Utc(8, 9))); // later the same Monday: the queue already has the week
        Assert.Empty(SummaryItems(await fixture.TickAsync(Utc(14, 22, 59))));
        Assert.Equal("2027-03-08", Assert.Single(SummaryItems(await fixture.TickAsync(Utc(14, 23)))).Data[ProgramSummaryJob.FromData]);
        Assert.Equal(4, Summaries.Count);
    }

    [Fact]
    public async Task A_redelivered_summary_sends_nothing_twice_and_each_admin_address_gets_one()
    {
        await fixture.AddProgramAsync(admins: ["hr@example.com", " HR@example.com ", "", "lead@example.com"]);
        var items = SummaryItems(await fixture.RunAsync(Utc(8, 9))).ToList();

        await fixture.DeliverAsync(items);
        await fixture.DeliverAsync(items); // the queue delivers at least once

        Assert.Equal(["hr@example.com", "lead@example.com"], Summaries.Select(m => m.To[0].Email).Order());
    }

    [Fact]
    public async Task The_summary_counts_what_the_week_brought_by_each_meetings_first_answer_in_local_time()
    {
        await fixture.AddProgramAsync(admins: ["hr@example.com"]);
        foreach (var name in new[] { "ana", "bo", "cy", "di", "ed", "fay", "gil", "hal" })
        {
            await fixture.AddParticipantAsync(name);
        }
        var start = Utc(1, 9);
        var m1 = await fixture.AddMatchAsync(1, start.AddDays(-14), ["ana", "bo"], m => m with { AtRiskSince = start.AddDays(-2) });
        var m2 = await fixture.AddMatchAsync(2, start.AddDays(-14), ["cy", "di"]);
        var m3 = await fixture.AddMatchAsync(3, start.AddDays(-14), ["ed", "fay"], m => m with { AtRiskSince = start.AddDays(4) });
        await fixture.AddMatchAsync(4, start.AddDays(-14), ["gil", "hal"],
            m => m with { Status = MatchStatus.Ended, EndedAt = start.AddDays(5), AtRiskSince = start.AddDays(3) });

        // One meeting, both answered in the week: counted once, at the longer of the two durations.
        await fixture.AnswerAsync(m1, 1, "ana", CheckInAnswer.Met, start.AddDays(2), minutes: 60);
        await fixture.AnswerAsync(m1, 1, "bo", CheckInAnswer.Met, start.AddDays(3), minutes: 45);
        // A meeting first reported the week before belongs to that week, whoever answers later.
        await fixture.AnswerAsync(m2, 1, "cy", CheckInAnswer.Met, start.AddDays(-1), minutes: 30);
        await fixture.AnswerAsync(m2, 1, "di", CheckInAnswer.Met, start.AddDays(1), minutes: 90);
        await fixture.AnswerAsync(m2, 2, "cy", CheckInAnswer.Met, Utc(7, 10), minutes: 30);
        // Sunday 23:30 UTC is Monday 00:30 in Berlin: next week's.
        await fixture.AnswerAsync(m3, 1, "ed", CheckInAnswer.Met, Utc(7, 23, 30), minutes: 120);
        await fixture.AnswerAsync(m1, 2, "bo", CheckInAnswer.NeedHelp, start.AddDays(5), note: "  Agenda ideas ");
        await fixture.AnswerAsync(m3, 1, "fay", CheckInAnswer.NeedHelp, start.AddDays(-3), note: "Last week's");

        // The mid-program survey went to Ana and Bo; Ana answered.
        foreach (var (who, answered) in new[] { ("ana", true), ("bo", false) })
        {
            await fixture.Store.UpsertAsync(EngagementDocuments.Survey(EngagementFixture.ProgramId, "mid", who), new SurveyRecord
            {
                ProgramId = EngagementFixture.ProgramId, SurveyKey = "mid", ParticipantId = who, SentAt = start, ClosesAt = start.AddDays(14),
                RespondedAt = answered ? start.AddDays(1) : null,
                Answers = answered ? new Dictionary<string, string>(StringComparer.Ordinal) { ["satisfaction"] = "Positive", ["nps"] = "9" } : new Dictionary<string, string>(),
            });
        }

        await fixture.DeliverAsync(await fixture.RunSummaryJobAsync(Utc(8, 9)));

        var mail = Assert.Single(Summaries);
        Assert.Equal("[Spring buddies] Weekly summary: 1 Mar to 7 Mar 2027", mail.Subject);
        // Newly at risk: only the active pair flagged in the week (not Ana and Bo, flagged before; not the ended pair).
        // Asked for help: Bo in the week, not Fay the week before. Meetings: m1 r1 (60 minutes) and m2 r2 (30 minutes).
        Assert.Equal(
        """
        Spring buddies: 1 Mar to 7 Mar 2027
        ===================================

        Key figures
          Enrolled: 8
          Matched: 8
          Waitlisted: 0
          Active pairs: 3
          At risk: 2
          Ended: 1
          Meetings this week: 2
          Mentoring hours this week: 1.5
          Mentoring hours in all: 5
          Check-in response: 100%
          Mid-program survey: response: 50%
          Mid-program survey: NPS: +100 (1 answer)

        NEWLY AT RISK (1)

        2 check-ins in a row without a meeting reported.

        * Ed and Fay
          At risk since Fri 5 Mar 2027, 10:00 (Europe/Berlin).

        ASKED FOR HELP (1)

        * Bo, with Ana
          Asked on Sat 6 Mar 2027, 10:00 (Europe/Berlin).
          What would help: "Agenda ideas"
          Write to Bo: mailto:bo@example.com

        You get this summary every Monday as an admin of the program (engagement.summaryEveryDays).

        """,
            mail.TextBody);
        Assert.Equal(
            new Dictionary<string, string>(StringComparer.Ordinal) { ["programId"] = "spring", ["reference"] = "2027-03-01", ["category"] = ProgramSummaryMailCategories.Summary },
            mail.CustomArgs);
        // The bars: of the enrolled (8), of the pairs so far (4), meetings per active pair, the week's share of all hours.
        Assert.Equal(
            [("Enrolled", 100), ("Matched", 100), ("Waitlisted", 0), ("Active pairs", 75), ("At risk", 50), ("Ended", 25), ("Meetings this week", 67),
             ("Mentoring hours this week", 30), ("Mentoring hours in all", 100), ("Check-in response", 100), ("Mid-program survey: response", 50),
             ("Mid-program survey: NPS", 100)],
            Bars(mail.HtmlBody));
    }

    [Fact]
    public async Task Every_fourteen_days_counts_periods_from_a_fixed_Monday_not_from_the_programs_start()
    {
        // Periods of 14 days from Monday 1 January 2024: they start on 22 February and 8 March 2027.
        await fixture.AddProgramAsync(new EngagementPolicy { SummaryEveryDays = 14 }, admins: ["hr@example.com"]);

        Assert.Empty(SummaryItems(await fixture.TickAsync(Utc(7, 22, 59))));
        await fixture.TickAsync(Utc(7, 23)); // Monday 8 March, 00:00 in Berlin
        Assert.Empty(SummaryItems(await fixture.TickAsync(Utc(15, 9))));
        await fixture.TickAsync(Utc(22, 9));

        Assert.Equal(["[Spring buddies] Summary: 22 Feb to 7 Mar 2027", "[Spring buddies] Summary: 8 Mar to 21 Mar 2027"], Summaries.Select(m => m.Subject));
        Assert.Contains("Meetings in the period: 0", Summaries[0].TextBody, StringComparison.Ordinal);
        Assert.Contains("No pair became at risk and nobody asked for help in the period.", Summaries[0].TextBody, StringComparison.Ordinal);
        Assert.Contains("You get this summary every 14 days", Summaries[0].TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summaries_set_to_zero_days_never_go_out()
    {
        await fixture.AddProgramAsync(new EngagementPolicy { SummaryEveryDays = 0 });

        foreach (var day in new[] { 8, 15, 22 })
        {
            await fixture.TickAsync(Utc(day, 9));
        }

        Assert.Empty(Summaries);
    }

    [Theory]
    [InlineData(ProgramKind.Cohort, false, false)]
    [InlineData(ProgramKind.Cohort, true, true)]
    [InlineData(ProgramKind.Evergreen, false, true)]
    public async Task A_program_whose_pairs_all_ended_reports_the_week_they_ended_and_after_that_only_if_it_goes_on(ProgramKind kind, bool afterEnd, bool weekAfter)
    {
        await fixture.AddProgramAsync(new EngagementPolicy { SummaryAfterEnd = afterEnd }, kind, ["hr@example.com"]);
        var ended = Utc(2, 9);
        await fixture.AddMatchAsync(1, Utc(1, 9), ["ana", "bo"], m => m with { Status = MatchStatus.Ended, EndedAt = ended });
        await fixture.AddMatchAsync(2, Utc(1, 9), ["cy", "di"], m => m with { Status = MatchStatus.Ended, EndedAt = ended });

        await fixture.TickAsync(Utc(8, 9)); // the week in which they ended
        await fixture.TickAsync(Utc(15, 9));

        Assert.Equal(weekAfter ? 2 : 1, Summaries.Count);
    }

    [Fact]
    public async Task A_cohort_with_one_pair_still_active_or_with_no_pairs_yet_gets_its_summary()
    {
        await fixture.AddProgramAsync(admins: ["hr@example.com"]);
        await fixture.TickAsync(Utc(15, 9)); // no pairs yet: the program is starting, not over
        await fixture.AddMatchAsync(1, Utc(1, 9), ["ana", "bo"], m => m with { Status = MatchStatus.Ended, EndedAt = Utc(2, 9) });
        await fixture.AddMatchAsync(2, Utc(1, 9), ["cy", "di"]);

        await fixture.TickAsync(Utc(22, 9));

        Assert.Equal(2, Summaries.Count);
    }

    [Fact]
    public async Task An_item_without_its_period_or_for_a_program_that_is_gone_sends_nothing_and_does_not_fail()
    {
        await fixture.AddProgramAsync();
        var item = Assert.Single(SummaryItems(await fixture.RunAsync(Utc(8, 9))));

        await fixture.DeliverAsync([item with { Data = new Dictionary<string, string>(StringComparer.Ordinal) { [ProgramSummaryJob.FromData] = "2027-03-01" } }]);
        await fixture.DeliverAsync([item with { Data = new Dictionary<string, string>(StringComparer.Ordinal) { [ProgramSummaryJob.FromData] = "2027-03-01", [ProgramSummaryJob.ToData] = "8 March" } }]);
        await fixture.DeliverAsync([item with { ProgramId = "autumn" }]);

        Assert.Empty(Summaries);
    }
}

/// <summary>The engagement fixture with the daily CheckIns job carrying the summary job, as both hosts run it.</summary>
internal sealed class SummaryFixture : EngagementFixture
{
    public SummaryFixture()
        : base("summaries.db")
    {
        SummaryJob = new ProgramSummaryJob(Store, Queue);
        Job = new CheckInJob(Store, Catalog, Queue, SummaryJob);
        Handler = new SummariesOnly(new ProgramSummaryHandler(Store, new ProgramReport(Catalog, Store, Clock), Mailer));
    }

    public ProgramSummaryJob SummaryJob { get; }
    public CheckInJob Job { get; }
    private SummariesOnly Handler { get; }

    protected override IWorkPurposeHandler PurposeHandler => Handler;

    protected override Task RunJobAsync(DateTimeOffset now) => Job.RunAsync(now);

    public Task AddProgramAsync(EngagementPolicy? engagement = null, ProgramKind kind = ProgramKind.Cohort, IReadOnlyList<string>? admins = null) =>
        WriteProgramAsync(ProgramId, "Spring buddies", kind, admins ?? ["hr@example.com", "lead@example.com"], engagement);

    public async Task<PublishedMatch> AddMatchAsync(int index, DateTimeOffset introducedAt, string[] members, Func<PublishedMatch, PublishedMatch>? change = null) =>
        await WriteMatchAsync(index, introducedAt, members.Select(m => new MatchMember(m, char.ToUpperInvariant(m[0]) + m[1..], $"{m}@example.com")), "w1", change);

    public Task AnswerAsync(PublishedMatch match, int round, string participantId, CheckInAnswer answer, DateTimeOffset at, int? minutes = null, string? note = null) =>
        Store.UpsertAsync(EngagementDocuments.CheckIn(ProgramId, match.Id, round, participantId), new CheckInRecord
        {
            ProgramId = ProgramId,
            MatchId = match.Id,
            ParticipantId = participantId,
            Round = round,
            DueAt = match.IntroducedAt!.Value.AddDays(14 * round),
            Answer = answer,
            AnsweredAt = at,
            Minutes = minutes,
            Note = note,
        });

    /// <summary>The summary job alone at <paramref name="now"/> (the CheckIns job would first reset at-risk flags its rounds do not explain).</summary>
    public async Task<IReadOnlyList<WorkItem>> RunSummaryJobAsync(DateTimeOffset now)
    {
        Clock.Set(now);
        var program = (await Catalog.GetAsync(ProgramId)).Value;
        await SummaryJob.RunAsync(program, now);
        return Queue.Drain();
    }

    /// <summary>Delivers summaries; the CheckIns job's other work (nudges) is not what these tests are about.</summary>
    private sealed class SummariesOnly(ProgramSummaryHandler summaries) : IWorkPurposeHandler
    {
        public IReadOnlyCollection<string> Purposes { get; } =
            [WorkPurposes.ProgramSummary, WorkPurposes.CheckInNudge, WorkPurposes.AtRiskDigest, WorkPurposes.NeedHelpAlert];

        public Task HandleAsync(WorkItem item, CancellationToken cancellationToken = default) =>
            item.Purpose == WorkPurposes.ProgramSummary ? summaries.HandleAsync(item, cancellationToken) : Task.CompletedTask;
    }
}
