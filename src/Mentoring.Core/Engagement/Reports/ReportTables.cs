using System.Globalization;
using System.Text;

namespace Mentoring.Core.Engagement.Reports;

/// <summary>One figure of a wide report table: a count, or a rate (a fraction, 0.425 for 42.5%), or empty.</summary>
public sealed record ReportCell(double? Value, bool IsRate = false);

/// <summary>A breakdown as HR reads it: one row per segment, one column per figure.</summary>
public sealed record ReportTable(string Name, string SegmentHeader, IReadOnlyList<string> Columns, IReadOnlyList<(string Segment, IReadOnlyList<ReportCell> Cells)> Rows);

/// <summary>
/// The report as wide tables (the whole program, by department, by level; roles programs add by role and mentor load):
/// what HR would otherwise pivot from the long CSV. The same tables feed the per-breakdown CSV downloads and the workbook's sheets.
/// </summary>
public static class ReportTables
{
    public const string All = "all";
    public const string Department = "department";
    public const string Level = "level";
    /// <summary>Roles programs: mentors and mentees (empty for peers).</summary>
    public const string Role = "role";
    /// <summary>Roles programs: one row per mentor, active mentees against capacity (empty for peers).</summary>
    public const string MentorLoad = "mentorload";
    /// <summary>User-led programs: one row with pairs by origin, requests, decline rate and time to pair (empty for admin-led).</summary>
    public const string UserLed = "userled";
    public static readonly IReadOnlyList<string> Breakdowns = [All, Department, Level, Role, MentorLoad, UserLed];

    /// <summary>The tables of the workbook: program, department, level, and for roles programs role and mentor load.</summary>
    public static IReadOnlyList<ReportTable> Build(ProgramReportData report)
    {
        ArgumentNullException.ThrowIfNull(report);
        List<ReportTable> tables = [Table(report, All), Table(report, Department), Table(report, Level)];
        if (report.ByRole.Count > 0)
        {
            tables.Add(Table(report, Role));
        }
        if (report.MentorLoad.Count > 0)
        {
            tables.Add(Table(report, MentorLoad));
        }
        if (report.UserLed is not null)
        {
            tables.Add(Table(report, UserLed));
        }
        return tables;
    }

    /// <summary>User-led pairing on one row: pairs by how they formed with their shares, requests and the decline rate
    /// (declined of answered), hours to pair.</summary>
    private static ReportTable UserLedTable(ProgramReportData report)
    {
        if (report.UserLed is not { } u)
        {
            return new("User-led pairing", "Program", [.. UserLedColumns(Empty).Select(c => c.Header)], []);
        }
        var columns = UserLedColumns(u).ToList();
        return new("User-led pairing", "Program", [.. columns.Select(c => c.Header)], [(report.ProgramName, [.. columns.Select(c => c.Cell)])]);
    }

    private static readonly UserLedFigures Empty = new()
    {
        Rounds = 0, Pairs = 0, MutualPick = new(0, null), AcceptedRequest = new(0, null), Fallback = new(0, null),
        Requests = new(0, 0, 0, 0), TimeToPair = new(0, null, null),
    };

    private static IEnumerable<(string Header, ReportCell Cell)> UserLedColumns(UserLedFigures u)
    {
        yield return ("Rounds", Count(u.Rounds));
        yield return ("Pairs", Count(u.Pairs));
        yield return ("Mutual pick", Count(u.MutualPick.Pairs));
        yield return ("Mutual pick share", Rate(u.MutualPick.Share));
        yield return ("Accepted request", Count(u.AcceptedRequest.Pairs));
        yield return ("Accepted request share", Rate(u.AcceptedRequest.Share));
        yield return ("Fallback", Count(u.Fallback.Pairs));
        yield return ("Fallback share", Rate(u.Fallback.Share));
        yield return ("Requests sent", Count(u.Requests.Sent));
        yield return ("Requests accepted", Count(u.Requests.Accepted));
        yield return ("Requests declined", Count(u.Requests.Declined));
        yield return ("Requests lapsed", Count(u.Requests.Lapsed));
        yield return ("Decline rate (of answered)", Rate(u.Requests.DeclineRate));
        yield return ("Median hours to pair", new ReportCell(u.TimeToPair.MedianHours));
        yield return ("Max hours to pair", new ReportCell(u.TimeToPair.MaxHours));
    }

    /// <summary>Each mentor's active mentees, capacity and free slots: how the program's mentoring load spreads.</summary>
    private static ReportTable LoadTable(ProgramReportData report) => new("Mentor load", "Mentor", ["Active mentees", "Capacity", "Free slots"],
        [.. report.MentorLoad.Select(l => (l.Name, (IReadOnlyList<ReportCell>)[Count(l.ActiveMentees), Count(l.Capacity), Count(Math.Max(0, l.Capacity - l.ActiveMentees))]))]);

    public static ReportTable Table(ProgramReportData report, string breakdown)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (breakdown == MentorLoad)
        {
            return LoadTable(report);
        }
        if (breakdown == UserLed)
        {
            return UserLedTable(report);
        }
        var (name, header, segments) = breakdown switch
        {
            Department => ("By department", "Department", report.ByDepartment),
            Level => ("By level", "Level", report.ByLevel),
            Role => ("By role", "Role", report.ByRole),
            All => ("Program", "Program", (IReadOnlyList<ReportSegment>)[new ReportSegment(report.ProgramName, report.Total)]),
            _ => throw new ArgumentOutOfRangeException(nameof(breakdown), breakdown, "all, department, level, role, mentorload or userled"),
        };
        var columns = Columns(report.Total).Select(c => c.Header).ToList();
        return new ReportTable(name, header, columns, [.. segments.Select(s => (s.Segment, (IReadOnlyList<ReportCell>)[.. Columns(s.Figures).Select(c => c.Cell)]))]);
    }

    /// <summary>Every figure with its column header; surveys follow the program's order, so every segment has the same columns.</summary>
    public static IEnumerable<(string Header, ReportCell Cell)> Columns(ReportFigures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        yield return ("Enrolled", Count(f.Enrolled.Registered));
        yield return ("Withdrawn", Count(f.Enrolled.Withdrawn));
        yield return ("Matched", Count(f.Matched));
        yield return ("Waitlisted", Count(f.Waitlisted));
        yield return ("Active pairs", Count(f.Pairs.Active));
        yield return ("Ended pairs", Count(f.Pairs.Ended));
        yield return ("At-risk pairs", Count(f.Pairs.AtRisk));
        yield return ("Meetings", Count(f.Meetings));
        yield return ("Mentoring hours", new ReportCell(f.MentoringHours));
        yield return ("Check-ins sent", Count(f.CheckIns.Sent));
        yield return ("Check-ins answered", Count(f.CheckIns.Answered));
        yield return ("Check-in response rate", Rate(f.CheckIns.ResponseRate));
        foreach (var s in f.Surveys)
        {
            yield return ($"{s.Title}: sent", Count(s.Responses.Sent));
            yield return ($"{s.Title}: answered", Count(s.Responses.Answered));
            yield return ($"{s.Title}: response rate", Rate(s.Responses.ResponseRate));
            foreach (var option in s.Satisfaction)
            {
                yield return ($"{s.Title}: {option.Option}", Count(option.Count));
            }
            yield return ($"{s.Title}: NPS", new ReportCell(s.Nps.Score));
            yield return ($"{s.Title}: NPS answers", Count(s.Nps.Answers));
        }
    }

    /// <summary>
    /// One breakdown as CSV for Excel: UTF-8 with BOM, CRLF, header row, rates with a % sign. <paramref name="european"/>
    /// writes ';' between fields and ',' as the decimal mark, which is what Excel expects where the comma is the decimal mark.
    /// </summary>
    public static byte[] Csv(ReportTable table, bool european)
    {
        ArgumentNullException.ThrowIfNull(table);
        var separator = european ? ";" : ",";
        var csv = new StringBuilder();
        csv.Append(string.Join(separator, new[] { table.SegmentHeader }.Concat(table.Columns).Select(c => Field(ReportCsv.Text(c), separator)))).Append("\r\n");
        foreach (var (segment, cells) in table.Rows)
        {
            csv.Append(string.Join(separator, new[] { Field(ReportCsv.Text(segment), separator) }.Concat(cells.Select(c => Format(c, european))))).Append("\r\n");
        }
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
        return [.. encoding.GetPreamble(), .. encoding.GetBytes(csv.ToString())];
    }

    private static string Format(ReportCell cell, bool european)
    {
        if (cell.Value is not { } value)
        {
            return "";
        }
        var text = (cell.IsRate ? value * 100 : value).ToString("0.#", CultureInfo.InvariantCulture);
        if (european)
        {
            text = text.Replace('.', ',');
        }
        return cell.IsRate ? text + "%" : text;
    }

    private static string Field(string value, string separator) =>
        value.Contains(separator, StringComparison.Ordinal) || value.AsSpan().IndexOfAny("\"\r\n") >= 0
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;

    private static ReportCell Count(int value) => new(value);

    /// <summary>The report's rates are percentages (42.5); cells hold fractions (0.425) so a spreadsheet formats them as percentages.</summary>
    private static ReportCell Rate(double? percent) => new(percent is { } p ? Math.Round(p / 100, 4) : null, IsRate: true);
}
