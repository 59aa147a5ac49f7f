using Mentoring.Core.Common;
using Mentoring.Core.Engagement.Reports;
using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Endpoints;

/// <summary>
/// Admin: the program report. JSON by default (or <c>?format=json</c>); <c>?format=csv</c> downloads the same figures as
/// one long <c>breakdown,segment,metric,value</c> table for Excel (see <see cref="ReportCsv"/>).
/// </summary>
public static class ReportEndpoints
{
    public const string CsvContentType = "text/csv; charset=utf-8";

    public static async Task<IResult> Get(string programId, HttpRequest request, ProgramReport reports, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reports);
        var format = request.Query.TryGetValue("format", out var text) ? text.ToString().Trim().ToLowerInvariant() : "json";
        if (format is not ("json" or "csv"))
        {
            throw new ValidationFailedException("format", Rules.OptionNotAllowed, $"format must be 'json' or 'csv', not '{text}'.");
        }
        var report = await reports.BuildAsync(programId, cancellationToken);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        if (format == "json")
        {
            return Results.Ok(report);
        }
        var fileName = $"{report.ProgramId}-report-{report.GeneratedAt.UtcDateTime:yyyyMMdd-HHmm}.csv";
        return Results.File(ReportCsv.Encode(report), CsvContentType, fileName);
    }
}
