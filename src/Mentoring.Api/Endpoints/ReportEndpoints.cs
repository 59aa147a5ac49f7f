using Mentoring.Api.Reports;
using Mentoring.Core.Common;
using Mentoring.Core.Engagement.Reports;
using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Endpoints;

/// <summary>
/// Admin: the program report. JSON by default (or <c>?format=json</c>); <c>?format=xlsx</c> a workbook with one sheet per
/// breakdown; <c>?format=csv&amp;breakdown=all|department|level|role|mentorload|userled</c> one breakdown as a wide table (add <c>decimal=comma</c>
/// for ';' separators and ',' decimals); <c>?format=csv</c> alone the long <c>breakdown,segment,metric,value</c> table
/// (see <see cref="ReportCsv"/>) for scripts.
/// </summary>
public static class ReportEndpoints
{
    public const string CsvContentType = "text/csv; charset=utf-8";

    public static async Task<IResult> Get(string programId, HttpRequest request, ProgramReport reports, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reports);
        var format = request.Query.TryGetValue("format", out var text) ? text.ToString().Trim().ToLowerInvariant() : "json";
        if (format is not ("json" or "csv" or "xlsx"))
        {
            throw new ValidationFailedException("format", Rules.OptionNotAllowed, $"format must be 'json', 'csv' or 'xlsx', not '{text}'.");
        }
        var breakdown = request.Query.TryGetValue("breakdown", out var b) ? b.ToString().Trim().ToLowerInvariant() : null;
        if (breakdown is not null && !ReportTables.Breakdowns.Contains(breakdown))
        {
            throw new ValidationFailedException("breakdown", Rules.OptionNotAllowed, $"breakdown must be 'all', 'department', 'level', 'role', 'mentorload' or 'userled', not '{b}'.");
        }
        var european = string.Equals(request.Query["decimal"].ToString(), "comma", StringComparison.OrdinalIgnoreCase);
        var report = await reports.BuildAsync(programId, cancellationToken);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        if (format == "json")
        {
            return Results.Ok(report);
        }
        return Download(report, format, breakdown, european);
    }

    /// <summary>The report as a file: the workbook, one breakdown's wide CSV, or the long CSV.</summary>
    public static IResult Download(ProgramReportData report, string format, string? breakdown, bool european)
    {
        ArgumentNullException.ThrowIfNull(report);
        var stem = $"{report.ProgramId}-report-{report.GeneratedAt.UtcDateTime:yyyyMMdd-HHmm}";
        if (format == "xlsx")
        {
            return Results.File(ReportWorkbook.Write(ReportTables.Build(report)), ReportWorkbook.ContentType, stem + ".xlsx");
        }
        if (breakdown is not null)
        {
            return Results.File(ReportTables.Csv(ReportTables.Table(report, breakdown), european), CsvContentType, $"{stem}-{breakdown}.csv");
        }
        return Results.File(ReportCsv.Encode(report), CsvContentType, stem + ".csv");
    }
}
