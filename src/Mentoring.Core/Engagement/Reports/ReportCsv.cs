using System.Globalization;
using System.Text;

namespace Mentoring.Core.Engagement.Reports;

/// <summary>One cell of the long report table.</summary>
/// <param name="Breakdown">"all", "department", "level"; roles programs add "role" and "mentorLoad".</param>
/// <param name="Segment">"(all)" for the whole program; else the department or level ("(none)" for no answer).</param>
/// <param name="Metric">A stable dotted name, for example "checkIns.responseRate" or "surveys.mid.satisfaction.Very positive".</param>
/// <param name="Value">Invariant-culture number; empty when the figure has no value (a rate with nothing sent, an NPS without answers).</param>
public sealed record ReportRow(string Breakdown, string Segment, string Metric, string Value);

/// <summary>
/// The report as one long table <c>breakdown,segment,metric,value</c> (one row per figure, the JSON's order), which
/// filters and pivots in Excel without knowing the layout in advance. Written for Excel: UTF-8 with a byte-order mark
/// (added by <see cref="Encode"/>), CRLF line ends, RFC 4180 quoting, and text cells starting with = + - @ (or a tab or
/// carriage return) prefixed with an apostrophe so a department called "=HYPERLINK(...)" stays text. Values are numbers
/// this code formats itself and are never prefixed (a negative NPS stays a number).
/// </summary>
public static class ReportCsv
{
    public const string AllBreakdown = "all";
    public const string AllSegment = "(all)";
    public const string DepartmentBreakdown = "department";
    public const string LevelBreakdown = "level";
    public const string RoleBreakdown = "role";
    /// <summary>Roles programs: segment = mentor name, metrics activeMentees, capacity, freeSlots.</summary>
    public const string MentorLoadBreakdown = "mentorLoad";
    /// <summary>User-led programs: segment "(all)", metrics as <see cref="UserLedMetrics"/> names them.</summary>
    public const string UserLedBreakdown = "userLed";
    public static readonly IReadOnlyList<string> Header = ["breakdown", "segment", "metric", "value"];

    public static IEnumerable<ReportRow> Rows(ProgramReportData report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sections = new[] { (AllBreakdown, AllSegment, report.Total) }
            .Concat(report.ByDepartment.Select(s => (DepartmentBreakdown, s.Segment, s.Figures)))
            .Concat(report.ByLevel.Select(s => (LevelBreakdown, s.Segment, s.Figures)))
            .Concat(report.ByRole.Select(s => (RoleBreakdown, s.Segment, s.Figures)));
        foreach (var (breakdown, segment, figures) in sections)
        {
            foreach (var (metric, value) in Metrics(figures))
            {
                yield return new ReportRow(breakdown, segment, metric, value);
            }
        }
        foreach (var load in report.MentorLoad)
        {
            yield return new ReportRow(MentorLoadBreakdown, load.Name, "activeMentees", N(load.ActiveMentees));
            yield return new ReportRow(MentorLoadBreakdown, load.Name, "capacity", N(load.Capacity));
            yield return new ReportRow(MentorLoadBreakdown, load.Name, "freeSlots", N(Math.Max(0, load.Capacity - load.ActiveMentees)));
        }
        if (report.UserLed is { } userLed)
        {
            foreach (var (metric, value) in UserLedMetrics(userLed))
            {
                yield return new ReportRow(UserLedBreakdown, AllSegment, metric, value);
            }
        }
    }

    /// <summary>The user-led figures as (metric, value) pairs named after the JSON property paths.</summary>
    public static IEnumerable<(string Metric, string Value)> UserLedMetrics(UserLedFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        yield return ("rounds", N(figures.Rounds));
        yield return ("pairs", N(figures.Pairs));
        foreach (var (name, origin) in new[] { ("mutualPick", figures.MutualPick), ("acceptedRequest", figures.AcceptedRequest), ("fallback", figures.Fallback) })
        {
            yield return (name + ".pairs", N(origin.Pairs));
            yield return (name + ".share", N(origin.Share));
        }
        yield return ("requests.sent", N(figures.Requests.Sent));
        yield return ("requests.accepted", N(figures.Requests.Accepted));
        yield return ("requests.declined", N(figures.Requests.Declined));
        yield return ("requests.lapsed", N(figures.Requests.Lapsed));
        yield return ("requests.answered", N(figures.Requests.Answered));
        yield return ("requests.declineRate", N(figures.Requests.DeclineRate));
        yield return ("timeToPair.pairs", N(figures.TimeToPair.Pairs));
        yield return ("timeToPair.medianHours", N(figures.TimeToPair.MedianHours));
        yield return ("timeToPair.maxHours", N(figures.TimeToPair.MaxHours));
    }

    /// <summary>The figures as (metric, value) pairs; metric names follow the JSON property paths.</summary>
    public static IEnumerable<(string Metric, string Value)> Metrics(ReportFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        yield return ("enrolled.registered", N(figures.Enrolled.Registered));
        yield return ("enrolled.withdrawn", N(figures.Enrolled.Withdrawn));
        yield return ("enrolled.total", N(figures.Enrolled.Total));
        yield return ("matched", N(figures.Matched));
        yield return ("waitlisted", N(figures.Waitlisted));
        yield return ("pairs.active", N(figures.Pairs.Active));
        yield return ("pairs.ended", N(figures.Pairs.Ended));
        yield return ("pairs.atRisk", N(figures.Pairs.AtRisk));
        yield return ("meetings", N(figures.Meetings));
        yield return ("mentoringHours", N(figures.MentoringHours));
        yield return ("checkIns.sent", N(figures.CheckIns.Sent));
        yield return ("checkIns.answered", N(figures.CheckIns.Answered));
        yield return ("checkIns.responseRate", N(figures.CheckIns.ResponseRate));
        foreach (var survey in figures.Surveys)
        {
            var prefix = "surveys." + survey.Key + ".";
            yield return (prefix + "responses.sent", N(survey.Responses.Sent));
            yield return (prefix + "responses.answered", N(survey.Responses.Answered));
            yield return (prefix + "responses.responseRate", N(survey.Responses.ResponseRate));
            foreach (var option in survey.Satisfaction)
            {
                yield return (prefix + "satisfaction." + option.Option, N(option.Count));
            }
            yield return (prefix + "nps.answers", N(survey.Nps.Answers));
            yield return (prefix + "nps.promoters", N(survey.Nps.Promoters));
            yield return (prefix + "nps.passives", N(survey.Nps.Passives));
            yield return (prefix + "nps.detractors", N(survey.Nps.Detractors));
            yield return (prefix + "nps.score", survey.Nps.Score is { } score ? N(score) : "");
        }
    }

    /// <summary>The CSV text (CRLF line ends, header row first), without the byte-order mark.</summary>
    public static string Write(ProgramReportData report)
    {
        var csv = new StringBuilder();
        AppendLine(csv, Header);
        foreach (var row in Rows(report))
        {
            AppendLine(csv, [Text(row.Breakdown), Text(row.Segment), Text(row.Metric), row.Value]);
        }
        return csv.ToString();
    }

    /// <summary>UTF-8 bytes with the byte-order mark Excel needs to read the file as UTF-8.</summary>
    public static byte[] Encode(ProgramReportData report)
    {
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
        return [.. encoding.GetPreamble(), .. encoding.GetBytes(Write(report))];
    }

    /// <summary>Guards a text cell against formula injection: a leading = + - @ tab or CR gets an apostrophe in front.</summary>
    public static string Text(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
    }

    /// <summary>RFC 4180: a field with a comma, quote, CR or LF is quoted, with quotes doubled.</summary>
    public static string Quote(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }

    private static void AppendLine(StringBuilder csv, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }
            csv.Append(Quote(fields[i]));
        }
        csv.Append("\r\n");
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string N(double? value) => value is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) : "";
}
