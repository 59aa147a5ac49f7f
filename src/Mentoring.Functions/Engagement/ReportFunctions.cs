using Mentoring.Api.Endpoints;
using Mentoring.Core.Engagement.Reports;
using Mentoring.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Mentoring.Functions.Engagement;

/// <summary>Admin: the program report, JSON or CSV (function key required).</summary>
public sealed class ReportFunctions(ProgramReport reports)
{
    [Function("GetProgramReport")]
    public Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "programs/{programId}/report")] HttpRequest request, string programId,
        FunctionContext context) =>
        ApiCall.RunAsync(() => ReportEndpoints.Get(programId, request, reports, context.CancellationToken));
}
