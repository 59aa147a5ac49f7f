using Mentoring.Core.Common;
using Mentoring.Core.Engagement.Reports;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Tests.Engagement.Reports;

/// <summary>The report of <see cref="ReportFixture"/>'s program from a real SQLite store, against figures computed by hand.</summary>
public sealed class ProgramReportTests : ReportTestBase
{
    private static void AssertSatisfaction(SurveyFigures survey, params int[] counts) =>
        Assert.Equal(SurveyDefinition.SatisfactionScale.Select((o, i) => new OptionCount(o, counts[i])), survey.Satisfaction);

    [Fact]
    public void Program_totals_match_the_hand_count()
    {
        var t = Report.Total;
        Assert.Equal("spring", Report.ProgramId);
        Assert.Equal(Clock.GetUtcNow(), Report.GeneratedAt);
        Assert.Equal(new EnrolledFigures(6, 1), t.Enrolled);
        Assert.Equal(7, t.Enrolled.Total);
        Assert.Equal(6, t.Matched);
        Assert.Equal(1, t.Waitlisted); // gil, in the last round only
        Assert.Equal(new PairFigures(Active: 2, Ended: 1, AtRisk: 1), t.Pairs);
        Assert.Equal(3, t.Meetings); // m1 r1 (both reported: once), m1 r2, m3 r1
        Assert.Equal(2.3, t.MentoringHours); // max(60,45) + 30 + max(0,50) = 140 minutes
        Assert.Equal(new ResponseFigures(10, 7, 70.0), t.CheckIns);

        Assert.Equal(["mid", "end"], t.Surveys.Select(s => s.Key));
        var mid = t.Surveys[0];
        Assert.Equal("Mid-program survey", mid.Title);
        Assert.Equal(new ResponseFigures(6, 5, 83.3), mid.Responses);
        AssertSatisfaction(mid, 2, 1, 1, 1, 0);
        Assert.Equal(new NpsFigures(Answers: 5, Promoters: 2, Passives: 2, Detractors: 1, Score: 20), mid.Nps);

        var end = t.Surveys[1];
        Assert.Equal(new ResponseFigures(0, 0, null), end.Responses);
        Assert.Equal(new NpsFigures(0, 0, 0, 0, null), end.Nps);
        AssertSatisfaction(end, 0, 0, 0, 0, 0);
    }

    [Fact]
    public void Departments_count_each_pair_in_every_member_s_department()
    {
        Assert.Equal(["=SUM(1,2)", "Engineering", "Finance", "Sales", "(none)"], Report.ByDepartment.Select(s => s.Segment));
        var by = Report.ByDepartment.ToDictionary(s => s.Segment, s => s.Figures);

        var sales = by["Sales"]; // ana, cy
        Assert.Equal(new EnrolledFigures(2, 0), sales.Enrolled);
        Assert.Equal(2, sales.Matched);
        Assert.Equal(0, sales.Waitlisted);
        Assert.Equal(new PairFigures(2, 0, 1), sales.Pairs);
        Assert.Equal(2, sales.Meetings);
        Assert.Equal(1.5, sales.MentoringHours);
        Assert.Equal(new ResponseFigures(4, 3, 75.0), sales.CheckIns);
        Assert.Equal(new ResponseFigures(2, 2, 100.0), sales.Surveys[0].Responses);
        AssertSatisfaction(sales.Surveys[0], 2, 0, 0, 0, 0);
        Assert.Equal(100, sales.Surveys[0].Nps.Score);

        var engineering = by["Engineering"]; // bo, gil
        Assert.Equal(new EnrolledFigures(2, 0), engineering.Enrolled);
        Assert.Equal(1, engineering.Matched);
        Assert.Equal(1, engineering.Waitlisted);
        Assert.Equal(new PairFigures(1, 0, 0), engineering.Pairs);
        Assert.Equal(2, engineering.Meetings);
        Assert.Equal(1.5, engineering.MentoringHours);
        Assert.Equal(new ResponseFigures(2, 1, 50.0), engineering.CheckIns);
        Assert.Equal(new NpsFigures(1, 0, 1, 0, 0), engineering.Surveys[0].Nps);

        var finance = by["Finance"]; // di
        Assert.Equal(new PairFigures(1, 0, 1), finance.Pairs);
        Assert.Equal(0, finance.Meetings);
        Assert.Equal(0, finance.MentoringHours);
        Assert.Equal(-100, finance.Surveys[0].Nps.Score);

        var formula = by["=SUM(1,2)"]; // fay, withdrawn
        Assert.Equal(new EnrolledFigures(0, 1), formula.Enrolled);
        Assert.Equal(new PairFigures(0, 1, 0), formula.Pairs);
        Assert.Equal(1, formula.Meetings);
        Assert.Equal(0.8, formula.MentoringHours); // 50 minutes

        var none = by["(none)"]; // ed
        Assert.Equal(new EnrolledFigures(1, 0), none.Enrolled);
        Assert.Equal(new ResponseFigures(1, 1, 100.0), none.CheckIns);
        Assert.Equal(new ResponseFigures(1, 0, 0.0), none.Surveys[0].Responses);
        Assert.Null(none.Surveys[0].Nps.Score);
        AssertSatisfaction(none.Surveys[0], 0, 0, 0, 0, 0);
    }

    [Fact]
    public void Levels_are_segments_too_with_none_for_no_answer()
    {
        Assert.Equal(["1", "2", "3", "4", "(none)"], Report.ByLevel.Select(s => s.Segment));
        var by = Report.ByLevel.ToDictionary(s => s.Segment, s => s.Figures);

        var two = by["2"]; // ana, bo
        Assert.Equal(new PairFigures(1, 0, 0), two.Pairs);
        Assert.Equal(2, two.Meetings);
        Assert.Equal(new ResponseFigures(4, 3, 75.0), two.CheckIns);
        AssertSatisfaction(two.Surveys[0], 1, 1, 0, 0, 0);
        Assert.Equal(new NpsFigures(2, 1, 1, 0, 50), two.Surveys[0].Nps);

        var four = by["4"]; // cy, gil
        Assert.Equal(1, four.Matched);
        Assert.Equal(1, four.Waitlisted);
        Assert.Equal(new PairFigures(1, 0, 1), four.Pairs);

        var none = by["(none)"]; // di
        Assert.Equal(new ResponseFigures(2, 1, 50.0), none.CheckIns);
        Assert.Equal(-100, none.Surveys[0].Nps.Score);
    }

    [Fact]
    public async Task An_unknown_program_is_not_found()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => new ProgramReport(new ProgramCatalog(Store, Clock), Store, Clock).BuildAsync("autumn"));
    }

    [Fact]
    public void Csv_text_guards_formulas_and_quotes_by_rfc_4180()
    {
        Assert.Equal("'=SUM(1,2)", ReportCsv.Text("=SUM(1,2)"));
        Assert.Equal("'+1", ReportCsv.Text("+1"));
        Assert.Equal("'-1", ReportCsv.Text("-1"));
        Assert.Equal("'@me", ReportCsv.Text("@me"));
        Assert.Equal("Sales", ReportCsv.Text("Sales"));
        Assert.Equal("\"'=SUM(1,2)\"", ReportCsv.Quote(ReportCsv.Text("=SUM(1,2)")));
        Assert.Equal("\"say \"\"hi\"\"\"", ReportCsv.Quote("say \"hi\""));
        Assert.Equal("\"two\r\nlines\"", ReportCsv.Quote("two\r\nlines"));
        Assert.Equal("plain", ReportCsv.Quote("plain"));
    }
}
