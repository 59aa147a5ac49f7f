using Mentoring.Core.Engagement.Reports;
using Mentoring.Core.Persistence;
using Mentoring.Core.Tests.Workflow;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Tests.Engagement;

/// <summary>
/// The report of a user-led round, run on the embedded SQLite store and runner with the real activities: participants
/// pick and answer at known hours, the deadline drafts the rest, an admin approves, and the report says how each pair
/// formed, how requests were answered and how long pairing took.
/// </summary>
public sealed class UserLedReportTests : IDisposable
{
    private const string Spring = EmbeddedProgram.ProgramId;
    private const string UserLed = "\"choosing\": { \"mode\": \"userLed\", \"suggestions\": 7, \"maxPicks\": 2, \"choosingDays\": 3 },";
    private readonly EmbeddedProgram program = new();

    public void Dispose() => program.Dispose();

    private static DateTimeOffset At(double hours) => EmbeddedProgram.T0.AddHours(hours);

    private Task Raise(WindowEvent e, string windowId) => program.Host.RaiseAsync(Spring, windowId, e);

    private async Task<ProgramReportData> ReportAsync() =>
        await new ProgramReport(program.Programs, program.Store, program.Clock).BuildAsync(Spring);

    /// <summary>
    /// Eight people: 0 asks 1 (accepted after 5 h), 2 and 3 pick each other (mutual after 11 h), 4 asks 5 (declined),
    /// 6 asks 7 (never answered, lapses at the deadline). The engine pairs 4, 5, 6 and 7 at the deadline.
    /// </summary>
    private async Task<(string WindowId, IReadOnlyList<string> Ids)> ChosenRoundAsync()
    {
        await program.CreateProgramAsync(extra: UserLed);
        var p = await program.RegisterAsync(8);
        var window = (await program.CloseNowAsync()).WindowId;
        Assert.Equal(WindowPhase.Choosing, (await program.StateAsync(window))!.Phase);

        await Raise(new PartnerPicked(p[0], [p[1]], true, At(2)), window);
        await Raise(new RequestAnswered(p[0], p[1], true, At(5)), window);
        await Raise(new PartnerPicked(p[2], [p[3]], true, At(6)), window);
        await Raise(new PartnerPicked(p[3], [p[2]], true, At(11)), window);
        await Raise(new PartnerPicked(p[4], [p[5]], true, At(12)), window);
        await Raise(new RequestAnswered(p[4], p[5], false, At(13)), window);
        await Raise(new PartnerPicked(p[6], [p[7]], true, At(14)), window);
        await program.PassAsync(TimeSpan.FromDays(3.01));

        var state = (await program.StateAsync(window))!;
        Assert.Equal(WindowPhase.AwaitingDecision, state.Phase);
        await program.Decisions.DecideAsync(program.Token(window, state.DraftVersion, DecisionAction.Approve), reason: null);
        return (window, p);
    }

    [Fact]
    public async Task Each_published_pair_of_a_user_led_round_says_how_and_when_it_formed()
    {
        var (window, p) = await ChosenRoundAsync();

        var matches = (await program.Store.QueryAllAsync<PublishedMatch>(Spring, WindowDocuments.MatchKind)).Select(m => m.Value).ToList();
        Assert.Equal(4, matches.Count);
        PublishedMatch With(string id) => matches.Single(m => m.Members.Any(x => x.ParticipantId == id));
        Assert.Equal((PairOrigin.AcceptedRequest, At(5)), (With(p[0]).FormedBy!.Value, With(p[0]).FormedAt!.Value));
        Assert.Equal((PairOrigin.MutualPick, At(11)), (With(p[2]).FormedBy!.Value, With(p[2]).FormedAt!.Value));
        var deadline = At(72);
        foreach (var id in p.Skip(4))
        {
            Assert.Equal((PairOrigin.Fallback, deadline), (With(id).FormedBy!.Value, With(id).FormedAt!.Value));
        }
        var round = (await program.Store.ReadAsync<RoundResult>(WindowDocuments.Round(Spring, window)))!.Value;
        Assert.Equal(new ChoosingRound(EmbeddedProgram.T0, deadline, Requests: 4, Accepted: 2, Declined: 1, Lapsed: 1), round.Choosing);
    }

    [Fact]
    public async Task The_report_gives_the_shares_by_origin_the_decline_rate_of_answered_requests_and_the_hours_to_pair()
    {
        await ChosenRoundAsync();

        var userLed = (await ReportAsync()).UserLed!;

        Assert.Equal((1, 4), (userLed.Rounds, userLed.Pairs));
        Assert.Equal(new OriginFigures(1, 25), userLed.MutualPick);
        Assert.Equal(new OriginFigures(1, 25), userLed.AcceptedRequest);
        Assert.Equal(new OriginFigures(2, 50), userLed.Fallback);
        // 0>1 accepted, 2>3 accepted by the pick back, 4>5 declined: 1 of 3 answered; 6>7 lapsed and is not in the denominator.
        Assert.Equal(new RequestFigures(Sent: 4, Accepted: 2, Declined: 1, Lapsed: 1), userLed.Requests);
        Assert.Equal((3, 33.3), (userLed.Requests.Answered, userLed.Requests.DeclineRate));
        // The pairs people formed, after 5 h and 11 h: median 8, max 11. The fallback pairs (72 h) are not in it.
        Assert.Equal(new TimeToPairFigures(2, 8, 11), userLed.TimeToPair);
    }

    [Fact]
    public async Task The_csv_and_the_workbook_tables_carry_the_user_led_figures()
    {
        await ChosenRoundAsync();
        var report = await ReportAsync();

        var rows = ReportCsv.Rows(report).Where(r => r.Breakdown == ReportCsv.UserLedBreakdown).ToDictionary(r => r.Metric, r => r.Value);
        Assert.Equal(("25", "50", "33.3", "8", "11"), (rows["mutualPick.share"], rows["fallback.share"], rows["requests.declineRate"],
            rows["timeToPair.medianHours"], rows["timeToPair.maxHours"]));
        Assert.Equal(("4", "3", "1"), (rows["requests.sent"], rows["requests.answered"], rows["requests.lapsed"]));

        var table = Assert.Single(ReportTables.Build(report), t => t.Name == "User-led pairing");
        var (segment, cells) = Assert.Single(table.Rows);
        Assert.Equal("Spring buddies", segment);
        double? Cell(string column) => cells[table.Columns.ToList().IndexOf(column)].Value;
        Assert.Equal((0.5, 0.333, 11.0), (Cell("Fallback share"), Cell("Decline rate (of answered)"), Cell("Max hours to pair")));
    }

    [Fact]
    public async Task A_user_led_program_before_its_first_round_reports_zeros_and_an_admin_led_one_reports_nothing()
    {
        await program.CreateProgramAsync(extra: UserLed);
        var before = (await ReportAsync()).UserLed!;
        Assert.Equal((0, 0, null, null, null), (before.Rounds, before.Pairs, before.Fallback.Share, before.Requests.DeclineRate, before.TimeToPair.MedianHours));

        using var adminLed = new EmbeddedProgram();
        await adminLed.CreateProgramAsync();
        await adminLed.RegisterAsync(4);
        var state = await adminLed.CloseNowAsync();
        await adminLed.Decisions.DecideAsync(adminLed.Token(state.WindowId, 1, DecisionAction.Approve), reason: null);
        var report = await new ProgramReport(adminLed.Programs, adminLed.Store, adminLed.Clock).BuildAsync(Spring);
        Assert.Null(report.UserLed);
        Assert.All((await adminLed.Store.QueryAllAsync<PublishedMatch>(Spring, WindowDocuments.MatchKind)).Select(m => m.Value),
            m => Assert.Equal((null, null), (m.FormedBy, m.FormedAt)));
        Assert.DoesNotContain(ReportCsv.Rows(report), r => r.Breakdown == ReportCsv.UserLedBreakdown);
        Assert.DoesNotContain(ReportTables.Build(report), t => t.Name == "User-led pairing");
    }
}
