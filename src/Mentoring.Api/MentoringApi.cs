using Mentoring.Api.Dashboard;
using Mentoring.Api.Endpoints;
using Mentoring.Api.Http;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Engagement.Reports;
using Mentoring.Core.Matching;
using Mentoring.Core.Participants;
using Mentoring.Core.Privacy;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mentoring.Api;

/// <summary>The /api routes, mapped once here so every host serves the same surface.</summary>
public static class MentoringApi
{
    public static IEndpointRouteBuilder MapMentoringApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<DomainExceptionFilter>();
        var admin = api.MapGroup("").AddEndpointFilter<AdminKeyFilter>().WithTags("Admin");
        var open = api.MapGroup("").WithTags("Public");

        admin.MapPost("/programs", ProgramEndpoints.Create).WithName("CreateProgram")
            .Accepts<ProgramDefinition>("application/json").Produces<MentoringProgram>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(401).ProducesProblem(409);
        admin.MapGet("/programs/{programId}", ProgramEndpoints.Get).WithName("GetProgram")
            .Produces<MentoringProgram>().ProducesProblem(401).ProducesProblem(404);
        admin.MapPut("/programs/{programId}", ProgramEndpoints.Replace).WithName("ReplaceProgram")
            .Accepts<ProgramDefinition>("application/json").Produces<MentoringProgram>().ProducesProblem(400).ProducesProblem(412).ProducesProblem(428);
        admin.MapGet("/programs/{programId}/agenda", AgendaEndpoints.Get).WithName("GetAgenda")
            .WithDescription("The session agendas pairs receive: session 1 in the intro, the session of the week in each check-in nudge. builtIn is true for the default agenda of the program's kind.")
            .Produces<AgendaEndpoints.ProgramAgenda>().ProducesProblem(401).ProducesProblem(404);

        open.MapPost("/programs/{programId}/registrations", RegistrationEndpoints.Register).WithName("Register")
            .WithDescription("Email, name and consent are checked first (400); then a program that does not exist and one not taking registrations get the same 409, so program ids cannot be probed.")
            .Accepts<RegistrationEndpoints.RegistrationBody>("application/json")
            .Produces<Participant>(StatusCodes.Status201Created).Produces<Participant>().ProducesProblem(400).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415);

        open.MapPost("/programs/{programId}/webhooks/{provider}", WebhookEndpoints.Receive).WithName("ReceiveWebhook")
            .WithDescription("Signups from typeform, tally, jotform, google-forms or generic. See docs/webhooks.md for each provider's format and authentication. 404 only for an unknown provider: a delivery to a program that does not exist (or has no webhook secret) is refused 401 as a wrong signature.")
            .Produces<Participant>(StatusCodes.Status201Created).Produces<Participant>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415);

        admin.MapGet("/programs/{programId}/participants", ParticipantEndpoints.List).WithName("ListParticipants")
            .Produces<ParticipantEndpoints.ParticipantPage>().ProducesProblem(400).ProducesProblem(404);
        admin.MapGet("/programs/{programId}/participants/{participantId}", ParticipantEndpoints.Get).WithName("GetParticipant")
            .Produces<Participant>().ProducesProblem(404);
        admin.MapDelete("/programs/{programId}/participants/{participantId}", ParticipantEndpoints.Withdraw).WithName("WithdrawParticipant")
            .Produces<Participant>().ProducesProblem(404);
        admin.MapGet("/programs/{programId}/participants/{participantId}/export", ParticipantEndpoints.Export).WithName("ExportParticipant")
            .WithDescription("Everything held about one participant (data-access request).").Produces<ParticipantDataExport>().ProducesProblem(404);
        admin.MapPost("/programs/{programId}/participants/{participantId}/erase", ParticipantEndpoints.Erase).WithName("EraseParticipant")
            .WithDescription("Removes personal data, keeps aggregates, suppresses the address from all future mail.").Produces<Participant>().ProducesProblem(404);

        admin.MapPost("/programs/{programId}/match-preview", MatchPreviewEndpoints.Preview).WithName("PreviewMatch")
            .WithDescription("Dry run: the pair (or group) draft for the current registrations, with scores, reasons, waitlist and the optimality certificate. Saves nothing.")
            .Produces<PairDraft>().ProducesProblem(400).ProducesProblem(404);

        admin.MapPost("/programs/{programId}/windows", WindowEndpoints.Open).WithName("OpenWindow")
            .WithDescription("Open a matching window closing at closesAt (or now). The same closing minute is the same window.")
            .Accepts<WindowEndpoints.OpenWindowBody>(isOptional: true, "application/json").Produces<WindowView>(201).Produces<WindowView>().ProducesProblem(400).ProducesProblem(404);
        admin.MapGet("/programs/{programId}/windows", WindowEndpoints.List).WithName("ListWindows").Produces<IReadOnlyList<WindowState>>();
        admin.MapGet("/programs/{programId}/windows/{windowId}", WindowEndpoints.Get).WithName("GetWindow").Produces<WindowView>().ProducesProblem(404);
        admin.MapPost("/programs/{programId}/windows/{windowId}/close", WindowEndpoints.Close).WithName("CloseWindow")
            .Produces<WindowView>().ProducesProblem(404).ProducesProblem(409);
        admin.MapPost("/programs/{programId}/windows/{windowId}/cancel", WindowEndpoints.Cancel).WithName("CancelWindow")
            .Accepts<WindowEndpoints.CancelWindowBody>(isOptional: true, "application/json").Produces<WindowView>().ProducesProblem(404).ProducesProblem(409);

        open.MapMethods("/decisions/{token}", [HttpMethods.Get, HttpMethods.Head], DecisionEndpoints.Review).WithName("ReviewDecision")
            .WithDescription("The confirmation page behind a decision link. Changes nothing.")
            .Produces<string>(200, "text/html").Produces<string>(403, "text/html").Produces<string>(409, "text/html").Produces<string>(410, "text/html");
        open.MapPost("/decisions/{token}", DecisionEndpoints.Decide).WithName("Decide")
            .WithDescription("Applies the decision the signed token grants (form field 'reason' for rejections).")
            .Produces<string>(200, "text/html").Produces<string>(400, "text/html").Produces<string>(403, "text/html").Produces<string>(409, "text/html").Produces<string>(410, "text/html")
            .ProducesProblem(400).ProducesProblem(413);

        open.MapMethods("/choose/{token}", [HttpMethods.Get, HttpMethods.Head], ChoosingEndpoints.ViewChoice).WithName("ViewChoice")
            .WithDescription("User-led pairing: a participant's suggested partners (name, allowed answers, shared reasons; never an email). Changes nothing.")
            .Produces<string>(200, "text/html").Produces<string>(403, "text/html").Produces<string>(409, "text/html").Produces<string>(410, "text/html");
        open.MapPost("/choose/{token}", ChoosingEndpoints.Choose).WithName("Choose")
            .WithDescription("Sends the picks: form fields pick1..pickN (participant ids, in order) and 'fallback', or 'auto' to be matched automatically.")
            .Produces<string>(200, "text/html").Produces<string>(400, "text/html").Produces<string>(403, "text/html").Produces<string>(409, "text/html").Produces<string>(410, "text/html")
            .ProducesProblem(400).ProducesProblem(413);
        open.MapMethods("/pair-requests/{token}", [HttpMethods.Get, HttpMethods.Head], ChoosingEndpoints.ViewRequest).WithName("ViewPairRequest")
            .WithDescription("User-led pairing: one request to pair, with what the two have in common. Changes nothing.")
            .Produces<string>(200, "text/html").Produces<string>(403, "text/html").Produces<string>(409, "text/html").Produces<string>(410, "text/html");
        open.MapPost("/pair-requests/{token}", ChoosingEndpoints.Answer).WithName("AnswerPairRequest")
            .WithDescription("Answers the request: form field 'answer' = accept or decline. A decline is never told to the requester.")
            .Produces<string>(200, "text/html").Produces<string>(400, "text/html").Produces<string>(403, "text/html").Produces<string>(409, "text/html").Produces<string>(410, "text/html")
            .ProducesProblem(400).ProducesProblem(413);
        open.MapMethods("/links/{token}", [HttpMethods.Get, HttpMethods.Head], ParticipantLinkEndpoints.Review).WithName("ReviewParticipantLink")
            .WithDescription("The confirmation page behind a participant's one-click link (check-in answer, unsubscribe, pause, withdraw, rematch). Changes nothing.")
            .Produces<string>(200, "text/html").Produces<string>(403, "text/html").Produces<string>(409, "text/html").Produces<string>(410, "text/html");
        open.MapPost("/links/{token}", ParticipantLinkEndpoints.Apply).WithName("ApplyParticipantLink")
            .WithDescription("Applies the link (form fields 'minutes' for \"we met\", 'until' (yyyy-MM-dd) for a pause). RFC 8058: 'List-Unsubscribe=One-Click' to an unsubscribe link unsubscribes at once.")
            .Produces<string>(200, "text/html").Produces<string>(400, "text/html").Produces<string>(403, "text/html").Produces<string>(409, "text/html").Produces<string>(410, "text/html")
            .ProducesProblem(400).ProducesProblem(413);
        admin.MapGet("/programs/{programId}/matches", MatchEndpoints.List).WithName("ListMatches")
            .WithDescription("Published matches with meetings, minutes and the last check-in. Filters: status=active|ended, atRisk=true|false.")
            .Produces<MatchEndpoints.MatchList>().ProducesProblem(400).ProducesProblem(404);
        admin.MapPost("/programs/{programId}/matches/{matchId}/end", MatchEndpoints.End).WithName("EndMatch")
            .Accepts<MatchEndpoints.EndMatchBody>(isOptional: true, "application/json").Produces<Mentoring.Core.Windows.PublishedMatch>().ProducesProblem(400).ProducesProblem(404);
        admin.MapPost("/programs/{programId}/participants/{participantId}/rematch", MatchEndpoints.Rematch).WithName("RequestRematch")
            .WithDescription("Evergreen: the participant joins the next matching round; one active match of theirs ends with reason \"rematch requested\", freeing one slot. Optional body {\"matchId\"}: which one; required when they hold several (a mentor with mentees).")
            .Accepts<MatchEndpoints.RematchBody>(isOptional: true, "application/json").Produces<RematchOutcome>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        open.MapMethods("/surveys/{token}", [HttpMethods.Get, HttpMethods.Head], SurveyEndpoints.View).WithName("ViewSurvey")
            .WithDescription("The survey form behind a survey link (pre-filled after an earlier answer). Changes nothing. 410 once the survey closed.")
            .Produces<string>(200, "text/html").Produces<string>(404, "text/html").Produces<string>(410, "text/html");
        open.MapPost("/surveys/{token}", SurveyEndpoints.Submit).WithName("SubmitSurvey")
            .WithDescription("Stores the answers (form-urlencoded, one field per question key); a later post replaces them until the survey closes. 400: the form again with the errors.")
            .Produces<string>(200, "text/html").Produces<string>(400, "text/html").Produces<string>(404, "text/html").Produces<string>(410, "text/html")
            .ProducesProblem(400).ProducesProblem(413);
        admin.MapGet("/programs/{programId}/report", ReportEndpoints.Get).WithName("GetProgramReport")
            .WithDescription("Enrolled, matched, waitlisted, pairs, meetings and hours, check-in and survey response, satisfaction and NPS; in total, by department and by level; roles programs add byRole (survey answers under the role the respondent held) and mentorLoad; user-led programs add userLed (pairs by mutual pick, accepted request and fallback with their shares; requests sent, accepted, declined, lapsed and the decline rate = declined / answered, answered = accepted + declined; hours from choosing opening to a chosen pair forming, median and max), absent for admin-led programs. ?format=xlsx for a workbook (one sheet per breakdown); ?format=csv&breakdown=all|department|level|role|mentorload|userled for one breakdown as a wide table (&decimal=comma for ';' and decimal commas); ?format=csv alone for a long breakdown,segment,metric,value table (UTF-8 with BOM). The schema is the JSON form; csv and xlsx are files with the same figures.")
            .Produces<ProgramReportData>().ProducesProblem(400).ProducesProblem(404);
        admin.MapGet("/work/poison", PoisonEndpoints.List).WithName("ListPoisonedWork")
            .WithDescription("Work items (nudges, survey mails, digests) that failed every attempt, with the last error; ?programId= to filter.").Produces<IReadOnlyList<PoisonedWork>>();
        admin.MapPost("/work/poison/{idempotencyKey}/retry", PoisonEndpoints.Retry).WithName("RetryPoisonedWork")
            .WithDescription("Puts a poisoned work item back on the queue with fresh attempts.").Produces<PoisonEndpoints.RetriedWork>(202).ProducesProblem(404);

        // The admin dashboard: HTML pages behind the dashboard sign-in (a signed link from an admin mail, or the admin key),
        // not the function key, so Functions serves them anonymously and the handlers check the session themselves.
        open.MapGet("/dashboard", DashboardEndpoints.Home).WithName("DashboardHome").ExcludeFromDescription();
        open.MapGet("/dashboard/dashboard.css", DashboardEndpoints.Stylesheet).WithName("DashboardStylesheet").ExcludeFromDescription();
        open.MapGet("/dashboard/sign-in", DashboardEndpoints.SignInForm).WithName("DashboardSignInForm").ExcludeFromDescription();
        open.MapPost("/dashboard/sign-in", DashboardEndpoints.SignInWithKey).WithName("DashboardSignInWithKey").ExcludeFromDescription();
        open.MapGet("/dashboard/sign-in/{token}", DashboardEndpoints.SignInWithLink).WithName("DashboardSignInWithLink").ExcludeFromDescription();
        open.MapPost("/dashboard/sign-out", DashboardEndpoints.SignOut).WithName("DashboardSignOut").ExcludeFromDescription();
        open.MapGet("/dashboard/programs/{programId}", DashboardEndpoints.Overview).WithName("DashboardOverview").ExcludeFromDescription();
        open.MapGet("/dashboard/programs/{programId}/report-xlsx", DashboardEndpoints.ReportWorkbook).WithName("DashboardReportWorkbook").ExcludeFromDescription();
        open.MapGet("/dashboard/programs/{programId}/report-csv/{breakdown}", DashboardEndpoints.ReportCsv).WithName("DashboardReportCsv").ExcludeFromDescription();
        open.MapGet("/dashboard/programs/{programId}/participants", DashboardEndpoints.Participants).WithName("DashboardParticipants").ExcludeFromDescription();
        open.MapGet("/dashboard/programs/{programId}/participants/{participantId}", DashboardEndpoints.Participant).WithName("DashboardParticipant").ExcludeFromDescription();
        open.MapGet("/dashboard/programs/{programId}/participants/{participantId}/export", DashboardEndpoints.ExportParticipant).WithName("DashboardExportParticipant").ExcludeFromDescription();
        open.MapPost("/dashboard/programs/{programId}/participants/{participantId}/withdraw", DashboardEndpoints.WithdrawParticipant).WithName("DashboardWithdrawParticipant").ExcludeFromDescription();
        open.MapPost("/dashboard/programs/{programId}/participants/{participantId}/erase", DashboardEndpoints.EraseParticipant).WithName("DashboardEraseParticipant").ExcludeFromDescription();
        open.MapGet("/dashboard/programs/{programId}/pairs", DashboardEndpoints.Pairs).WithName("DashboardPairs").ExcludeFromDescription();
        open.MapPost("/dashboard/programs/{programId}/pairs/{matchId}/end", DashboardEndpoints.EndPair).WithName("DashboardEndPair").ExcludeFromDescription();
        open.MapPost("/dashboard/programs/{programId}/pairs/{matchId}/nudge", DashboardEndpoints.NudgePair).WithName("DashboardNudgePair").ExcludeFromDescription();
        open.MapPost("/dashboard/programs/{programId}/participants/{participantId}/rematch", DashboardEndpoints.Rematch).WithName("DashboardRematch").ExcludeFromDescription();
        open.MapGet("/dashboard/programs/{programId}/surveys", DashboardEndpoints.Surveys).WithName("DashboardSurveys").ExcludeFromDescription();
        open.MapGet("/dashboard/programs/{programId}/agenda", DashboardEndpoints.Agenda).WithName("DashboardAgenda").ExcludeFromDescription();
        open.MapGet("/dashboard/programs/{programId}/failed-work", DashboardEndpoints.FailedWork).WithName("DashboardFailedWork").ExcludeFromDescription();
        open.MapPost("/dashboard/programs/{programId}/failed-work/retry", DashboardEndpoints.RetryFailedWork).WithName("DashboardRetryFailedWork").ExcludeFromDescription();
        open.MapGet("/dashboard/programs/{programId}/draft", DashboardEndpoints.Draft).WithName("DashboardDraft").ExcludeFromDescription();
        open.MapPost("/dashboard/programs/{programId}/draft", DashboardEndpoints.Decide).WithName("DashboardDecide").ExcludeFromDescription();
        return app;
    }
}
