using System.Text;
using Mentoring.Core.Engagement.Reports;

namespace Mentoring.Core.Tests.Engagement.Reports;

/// <summary>
/// The downloads HR opens in a spreadsheet, for <see cref="ReportFixture"/>'s program (figures checked by hand in
/// <see cref="ProgramReportTests"/>): the per-breakdown tables in both CSV dialects, and the long CSV of every metric.
/// </summary>
public sealed class ReportExportTests : ReportTestBase
{
    /// <summary>The file's lines, after checking the byte-order mark Excel needs and the CRLF line ends.</summary>
    private static string[] Lines(byte[] file)
    {
        Assert.Equal(Encoding.UTF8.GetPreamble(), file[..3]);
        var text = Encoding.UTF8.GetString(file[3..]);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", text.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        return text[..^2].Split("\r\n");
    }

    [Fact]
    public void The_program_table_has_a_column_per_figure_and_rates_with_a_percent_sign()
    {
        string[] expected = [
            "Program,Enrolled,Withdrawn,Matched,Waitlisted,Active pairs,Ended pairs,At-risk pairs,Meetings,Mentoring hours,Check-ins sent,Check-ins answered,Check-in response rate,Mid-program survey: sent,Mid-program survey: answered,Mid-program survey: response rate,Mid-program survey: Very positive,Mid-program survey: Positive,Mid-program survey: Neutral,Mid-program survey: Negative,Mid-program survey: Very negative,Mid-program survey: NPS,Mid-program survey: NPS answers,End-of-program survey: sent,End-of-program survey: answered,End-of-program survey: response rate,End-of-program survey: Very positive,End-of-program survey: Positive,End-of-program survey: Neutral,End-of-program survey: Negative,End-of-program survey: Very negative,End-of-program survey: NPS,End-of-program survey: NPS answers",
            "Spring buddies,6,1,6,1,2,1,1,3,2.3,10,7,70%,6,5,83.3%,2,1,1,1,0,20,5,0,0,,0,0,0,0,0,,0",
        ];

        Assert.Equal(expected, Lines(ReportTables.Csv(ReportTables.Table(Report, ReportTables.All), european: false)));
    }

    [Fact]
    public void The_european_dialect_separates_with_semicolons_writes_decimal_commas_and_defuses_a_formula_segment()
    {
        string[] expected = [
            "Department;Enrolled;Withdrawn;Matched;Waitlisted;Active pairs;Ended pairs;At-risk pairs;Meetings;Mentoring hours;Check-ins sent;Check-ins answered;Check-in response rate;Mid-program survey: sent;Mid-program survey: answered;Mid-program survey: response rate;Mid-program survey: Very positive;Mid-program survey: Positive;Mid-program survey: Neutral;Mid-program survey: Negative;Mid-program survey: Very negative;Mid-program survey: NPS;Mid-program survey: NPS answers;End-of-program survey: sent;End-of-program survey: answered;End-of-program survey: response rate;End-of-program survey: Very positive;End-of-program survey: Positive;End-of-program survey: Neutral;End-of-program survey: Negative;End-of-program survey: Very negative;End-of-program survey: NPS;End-of-program survey: NPS answers",
            "'=SUM(1,2);0;1;1;0;0;1;0;1;0,8;1;1;100%;1;1;100%;0;0;1;0;0;0;1;0;0;;0;0;0;0;0;;0",
            "Engineering;2;0;1;1;1;0;0;2;1,5;2;1;50%;1;1;100%;0;1;0;0;0;0;1;0;0;;0;0;0;0;0;;0",
            "Finance;1;0;1;0;1;0;1;0;0;2;1;50%;1;1;100%;0;0;0;1;0;-100;1;0;0;;0;0;0;0;0;;0",
            "Sales;2;0;2;0;2;0;1;2;1,5;4;3;75%;2;2;100%;2;0;0;0;0;100;2;0;0;;0;0;0;0;0;;0",
            "(none);1;0;1;0;0;1;0;1;0,8;1;1;100%;1;0;0%;0;0;0;0;0;;0;0;0;;0;0;0;0;0;;0",
        ];

        Assert.Equal(expected, Lines(ReportTables.Csv(ReportTables.Table(Report, ReportTables.Department), european: true)));
    }

    [Fact]
    public void The_long_csv_lists_every_metric_of_every_segment_one_per_row()
    {
        string[] program = [
            "breakdown,segment,metric,value",
            "all,(all),enrolled.registered,6",
            "all,(all),enrolled.withdrawn,1",
            "all,(all),enrolled.total,7",
            "all,(all),matched,6",
            "all,(all),waitlisted,1",
            "all,(all),pairs.active,2",
            "all,(all),pairs.ended,1",
            "all,(all),pairs.atRisk,1",
            "all,(all),meetings,3",
            "all,(all),mentoringHours,2.3",
            "all,(all),checkIns.sent,10",
            "all,(all),checkIns.answered,7",
            "all,(all),checkIns.responseRate,70",
            "all,(all),surveys.mid.responses.sent,6",
            "all,(all),surveys.mid.responses.answered,5",
            "all,(all),surveys.mid.responses.responseRate,83.3",
            "all,(all),surveys.mid.satisfaction.Very positive,2",
            "all,(all),surveys.mid.satisfaction.Positive,1",
            "all,(all),surveys.mid.satisfaction.Neutral,1",
            "all,(all),surveys.mid.satisfaction.Negative,1",
            "all,(all),surveys.mid.satisfaction.Very negative,0",
            "all,(all),surveys.mid.nps.answers,5",
            "all,(all),surveys.mid.nps.promoters,2",
            "all,(all),surveys.mid.nps.passives,2",
            "all,(all),surveys.mid.nps.detractors,1",
            "all,(all),surveys.mid.nps.score,20",
            "all,(all),surveys.end.responses.sent,0",
            "all,(all),surveys.end.responses.answered,0",
            "all,(all),surveys.end.responses.responseRate,",
            "all,(all),surveys.end.satisfaction.Very positive,0",
            "all,(all),surveys.end.satisfaction.Positive,0",
            "all,(all),surveys.end.satisfaction.Neutral,0",
            "all,(all),surveys.end.satisfaction.Negative,0",
            "all,(all),surveys.end.satisfaction.Very negative,0",
            "all,(all),surveys.end.nps.answers,0",
            "all,(all),surveys.end.nps.promoters,0",
            "all,(all),surveys.end.nps.passives,0",
            "all,(all),surveys.end.nps.detractors,0",
            "all,(all),surveys.end.nps.score,",
        ];

        var lines = Lines(ReportCsv.Encode(Report));

        Assert.Equal(program, lines[..40]);
        Assert.Equal(1 + 39 + (5 * 39) + (5 * 39), lines.Length); // the header, then 39 metrics for the program and each department and level
        Assert.Contains("department,\"'=SUM(1,2)\",enrolled.withdrawn,1", lines);
        Assert.Equal(ReportCsv.Write(Report), Encoding.UTF8.GetString(ReportCsv.Encode(Report)[3..]));
    }

    [Fact]
    public void The_tables_are_the_program_then_each_breakdown_this_program_has()
    {
        var tables = ReportTables.Build(Report);

        Assert.Equal([("Program", "Program", 1), ("By department", "Department", 5), ("By level", "Level", 5)],
            tables.Select(t => (t.Name, t.SegmentHeader, t.Rows.Count)));
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+44 20", "'+44 20")]
    [InlineData("-5", "'-5")]
    [InlineData("@SUM", "'@SUM")]
    [InlineData("\tx", "'\tx")]
    [InlineData("Sales", "Sales")]
    [InlineData("", "")]
    public void A_text_cell_that_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe(string value, string written) =>
        Assert.Equal(written, ReportCsv.Text(value));

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    public void A_field_with_a_comma_quote_or_line_break_is_quoted(string field, string written) => Assert.Equal(written, ReportCsv.Quote(field));
}
