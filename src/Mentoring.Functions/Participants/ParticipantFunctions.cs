using Mentoring.Api.Endpoints;
using Mentoring.Core.Privacy;
using Mentoring.Core.Registration;
using Mentoring.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Mentoring.Functions.Participants;

/// <summary>Admin: list, read, withdraw, export and erase participants (function key required).</summary>
public sealed class ParticipantFunctions(ParticipantRegistry registry, ParticipantPrivacy privacy)
{
    [Function("ListParticipants")]
    public Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "programs/{programId}/participants")] HttpRequest request,
        string programId, FunctionContext context) =>
        ApiCall.RunAsync(() => ParticipantEndpoints.List(programId, request, registry, context.CancellationToken));

    [Function("GetParticipant")]
    public Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "programs/{programId}/participants/{participantId}")] HttpRequest request,
        string programId, string participantId, FunctionContext context) =>
        ApiCall.RunAsync(() => ParticipantEndpoints.Get(programId, participantId, request, registry, context.CancellationToken));

    [Function("WithdrawParticipant")]
    public Task<IActionResult> WithdrawAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "programs/{programId}/participants/{participantId}")] HttpRequest request,
        string programId, string participantId, FunctionContext context) =>
        ApiCall.RunAsync(() => ParticipantEndpoints.Withdraw(programId, participantId, request, registry, context.CancellationToken));

    [Function("ExportParticipant")]
    public Task<IActionResult> ExportAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "programs/{programId}/participants/{participantId}/export")] HttpRequest request,
        string programId, string participantId, FunctionContext context) =>
        ApiCall.RunAsync(() => ParticipantEndpoints.Export(programId, participantId, privacy, context.CancellationToken));

    [Function("EraseParticipant")]
    public Task<IActionResult> EraseAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "programs/{programId}/participants/{participantId}/erase")] HttpRequest request,
        string programId, string participantId, FunctionContext context) =>
        ApiCall.RunAsync(() => ParticipantEndpoints.Erase(programId, participantId, privacy, context.CancellationToken));
}
