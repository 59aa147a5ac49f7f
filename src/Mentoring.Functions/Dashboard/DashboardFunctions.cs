using Mentoring.Api.Dashboard;
using Mentoring.Functions.Http;
using Mentoring.Functions.Windows;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Mentoring.Functions.Dashboard;

/// <summary>
/// The admin dashboard's pages. Anonymous for the Functions host: a browser carries no function key; the handlers admit
/// only the dashboard session (signed cookie from a mail's dashboard link or the admin key) and check every form's token.
/// </summary>
public sealed class DashboardFunctions(WindowDesks desks)
{
    [Function("DashboardHome")]
    public Task<IActionResult> HomeAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.Home(request, desks.Dashboard(durable), context.CancellationToken));

    // Instance methods like every other trigger of the class, though these two need no desk.
#pragma warning disable CA1822
    [Function("DashboardStylesheet")]
    public Task<IActionResult> StylesheetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/dashboard.css")] HttpRequest request) =>
        ApiCall.RunAsync(() => DashboardEndpoints.Stylesheet(request));

    [Function("DashboardSignInForm")]
    public Task<IActionResult> SignInFormAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/sign-in")] HttpRequest request) =>
        ApiCall.RunAsync(() => DashboardEndpoints.SignInForm(request));
#pragma warning restore CA1822

    [Function("DashboardSignInWithKey")]
    public Task<IActionResult> SignInWithKeyAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/sign-in")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.SignInWithKey(request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardSignInWithLink")]
    public Task<IActionResult> SignInWithLinkAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/sign-in/{token}")] HttpRequest request,
        string token, [DurableClient] DurableTaskClient durable) =>
        ApiCall.RunAsync(() => DashboardEndpoints.SignInWithLink(token, request, desks.Dashboard(durable)));

    [Function("DashboardSignOut")]
    public Task<IActionResult> SignOutAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/sign-out")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.SignOut(request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardOverview")]
    public Task<IActionResult> OverviewAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/programs/{programId}")] HttpRequest request,
        string programId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.Overview(programId, request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardReportWorkbook")]
    public Task<IActionResult> ReportWorkbookAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/programs/{programId}/report-xlsx")] HttpRequest request,
        string programId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.ReportWorkbook(programId, request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardReportCsv")]
    public Task<IActionResult> ReportCsvAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/programs/{programId}/report-csv/{breakdown}")] HttpRequest request,
        string programId, string breakdown, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.ReportCsv(programId, breakdown, request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardParticipants")]
    public Task<IActionResult> ParticipantsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/programs/{programId}/participants")] HttpRequest request,
        string programId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.Participants(programId, request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardParticipant")]
    public Task<IActionResult> ParticipantAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/programs/{programId}/participants/{participantId}")] HttpRequest request,
        string programId, string participantId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.Participant(programId, participantId, request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardExportParticipant")]
    public Task<IActionResult> ExportParticipantAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/programs/{programId}/participants/{participantId}/export")] HttpRequest request,
        string programId, string participantId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.ExportParticipant(programId, participantId, request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardWithdrawParticipant")]
    public Task<IActionResult> WithdrawParticipantAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/programs/{programId}/participants/{participantId}/withdraw")] HttpRequest request,
        string programId, string participantId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.WithdrawParticipant(programId, participantId, request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardEraseParticipant")]
    public Task<IActionResult> EraseParticipantAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/programs/{programId}/participants/{participantId}/erase")] HttpRequest request,
        string programId, string participantId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.EraseParticipant(programId, participantId, request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardPairs")]
    public Task<IActionResult> PairsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/programs/{programId}/pairs")] HttpRequest request,
        string programId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.Pairs(programId, request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardEndPair")]
    public Task<IActionResult> EndPairAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/programs/{programId}/pairs/{matchId}/end")] HttpRequest request,
        string programId, string matchId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.EndPair(programId, matchId, request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardNudgePair")]
    public Task<IActionResult> NudgePairAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/programs/{programId}/pairs/{matchId}/nudge")] HttpRequest request,
        string programId, string matchId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.NudgePair(programId, matchId, request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardRematch")]
    public Task<IActionResult> RematchAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/programs/{programId}/participants/{participantId}/rematch")] HttpRequest request,
        string programId, string participantId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.Rematch(programId, participantId, request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardSurveys")]
    public Task<IActionResult> SurveysAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/programs/{programId}/surveys")] HttpRequest request,
        string programId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.Surveys(programId, request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardAgenda")]
    public Task<IActionResult> AgendaAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/programs/{programId}/agenda")] HttpRequest request,
        string programId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.Agenda(programId, request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardFailedWork")]
    public Task<IActionResult> FailedWorkAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/programs/{programId}/failed-work")] HttpRequest request,
        string programId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.FailedWork(programId, request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardRetryFailedWork")]
    public Task<IActionResult> RetryFailedWorkAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/programs/{programId}/failed-work/retry")] HttpRequest request,
        string programId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.RetryFailedWork(programId, request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardDraft")]
    public Task<IActionResult> DraftAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/programs/{programId}/draft")] HttpRequest request,
        string programId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.Draft(programId, request, desks.Dashboard(durable), context.CancellationToken));

    [Function("DashboardDecide")]
    public Task<IActionResult> DecideAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/programs/{programId}/draft")] HttpRequest request,
        string programId, [DurableClient] DurableTaskClient durable, FunctionContext context) =>
        ApiCall.RunAsync(() => DashboardEndpoints.Decide(programId, request, desks.Dashboard(durable), context.CancellationToken));
}
