using Mentoring.Api.Endpoints;
using Mentoring.Core.Programs;
using Mentoring.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Mentoring.Functions.Programs;

/// <summary>Admin: create, read and replace programs (function key required).</summary>
public sealed class ProgramFunctions(ProgramCatalog catalog)
{
    [Function("CreateProgram")]
    public Task<IActionResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "programs")] HttpRequest request, FunctionContext context) =>
        ApiCall.RunAsync(() => ProgramEndpoints.Create(request, catalog, context.CancellationToken));

    [Function("GetProgram")]
    public Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "programs/{programId}")] HttpRequest request, string programId,
        FunctionContext context) =>
        ApiCall.RunAsync(() => ProgramEndpoints.Get(programId, request, catalog, context.CancellationToken));

    [Function("ReplaceProgram")]
    public Task<IActionResult> ReplaceAsync(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "programs/{programId}")] HttpRequest request, string programId,
        FunctionContext context) =>
        ApiCall.RunAsync(() => ProgramEndpoints.Replace(programId, request, catalog, context.CancellationToken));

    [Function("GetAgenda")]
    public Task<IActionResult> GetAgendaAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "programs/{programId}/agenda")] HttpRequest request, string programId,
        FunctionContext context) =>
        ApiCall.RunAsync(() => AgendaEndpoints.Get(programId, catalog, context.CancellationToken));
}
