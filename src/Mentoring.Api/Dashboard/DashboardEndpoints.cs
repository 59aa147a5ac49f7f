using System.Security.Cryptography;
using System.Text;
using Mentoring.Api.Dashboard.Pages;
using Mentoring.Core.Common;
using Mentoring.Core.Dashboard;
using Mentoring.Api.Endpoints;
using Mentoring.Core.Decisions;
using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.Reports;
using Mentoring.Core.Links;
using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;
using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Dashboard;

/// <summary>
/// The admin's program dashboard: server-rendered pages behind the sign-in of <see cref="AdminSessions"/>. GETs change
/// nothing; every POST carries the session's form token. Decisions on drafts go through <see cref="DecisionDesk"/>, so
/// they are the same events, with the same single-winner rule, as the links in the draft mail.
/// </summary>
public static class DashboardEndpoints
{
    public const string SessionCookie = "mentoring-admin";
    public const string FormField = "__form";

    public static Task<IResult> Stylesheet(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=3600";
        return Task.FromResult(Results.Text(DashboardStyle.Css, "text/css; charset=utf-8"));
    }

    /// <summary>A mail's dashboard link: opening it starts a session (it changes no data, so link scanners do no harm).</summary>
    public static async Task<IResult> SignInWithLink(string token, HttpRequest request, DashboardDesk desk)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(desk);
        var (session, problem) = desk.Sessions.SignIn(token);
        if (session is null)
        {
            var message = problem == TokenProblem.Expired
                ? "This dashboard link has expired. Open the link in a newer admin mail about the program."
                : "This dashboard link is not valid (damaged, or its signing key was retired). Open the link in a newer admin mail.";
            return await Message(request, StatusCodes.Status403Forbidden, "Sign-in link not valid", message, offerSignIn: true);
        }
        var to = request.Query["to"].ToString();
        var next = to switch
        {
            DashboardLinks.Pages.Pairs => DashboardPaths.Pairs(session.ProgramId!),
            DashboardLinks.Pages.AtRisk => DashboardPaths.Pairs(session.ProgramId!) + "?show=at-risk",
            DashboardLinks.Pages.Draft => DashboardPaths.Draft(session.ProgramId!),
            _ => DashboardPaths.Program(session.ProgramId!),
        };
        return StartSession(request, desk, session, next);
    }

    public static Task<IResult> SignInForm(HttpRequest request) =>
        PageRenderer.PageAsync<SignInPage>(request, new SignInModel(null));

    /// <summary>The admin key signs an operator in to every program (the embedded default's way in).</summary>
    public static async Task<IResult> SignInWithKey(HttpRequest request, DashboardDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(desk);
        var form = request.HasFormContentType ? await request.ReadFormAsync(cancellationToken) : null;
        var presented = form?["key"].ToString() ?? "";
        var keys = desk.Services.AdminKeys.CurrentValue.Keys;
        if (presented.Length == 0 || !keys.Any(k => SameSecret(k, presented)))
        {
            return await PageRenderer.PageAsync<SignInPage>(request, new SignInModel(keys.Count == 0
                ? "No admin key is configured on this server (set Mentoring__AdminKeys)."
                : "That is not an admin key of this server."), StatusCodes.Status401Unauthorized);
        }
        return StartSession(request, desk, desk.Sessions.SignInOperator(), DashboardPaths.Home);
    }

    public static async Task<IResult> SignOut(HttpRequest request, DashboardDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (session, refusal) = await PostingSessionAsync(request, desk, null, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        request.HttpContext.Response.Cookies.Delete(SessionCookie, CookieOptions(request, session.ExpiresAt));
        return Results.Redirect(DashboardPaths.SignIn, permanent: false, preserveMethod: false);
    }

    /// <summary>An operator's list of programs; an admin from a mail link goes straight to their program.</summary>
    public static async Task<IResult> Home(HttpRequest request, DashboardDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desk);
        var session = SessionOf(request, desk);
        if (session is null)
        {
            return Results.Redirect(DashboardPaths.SignIn);
        }
        if (session.ProgramId is { } programId)
        {
            return Results.Redirect(DashboardPaths.Program(programId));
        }
        var programs = new List<MentoringProgram>();
        foreach (var id in await desk.Services.Programs.ListIdsAsync(cancellationToken))
        {
            programs.Add((await desk.Services.Programs.GetAsync(id, cancellationToken)).Value);
        }
        return await PageRenderer.PageAsync<ProgramsPage>(request, new ProgramsModel(Nav(desk, session, null, "programs"), programs));
    }

    public static async Task<IResult> Overview(string programId, HttpRequest request, DashboardDesk desk, CancellationToken cancellationToken)
    {
        var (session, program, refusal) = await OpenAsync(programId, request, desk, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        var report = await desk.Services.Reports.BuildAsync(programId, cancellationToken);
        var window = await CurrentWindowAsync(desk, programId, cancellationToken);
        return await PageRenderer.PageAsync<OverviewPage>(request, new OverviewModel(Nav(desk, session, program, "overview"), program!, report, window));
    }

    /// <summary>The report workbook (one sheet per breakdown) for a signed-in admin.</summary>
    public static async Task<IResult> ReportWorkbook(string programId, HttpRequest request, DashboardDesk desk, CancellationToken cancellationToken)
    {
        var (session, _, refusal) = await OpenAsync(programId, request, desk, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        PageRenderer.NoStore(request.HttpContext.Response);
        return ReportEndpoints.Download(await desk.Services.Reports.BuildAsync(programId, cancellationToken), "xlsx", null, european: false);
    }

    /// <summary>One breakdown (all, department, level) as a wide CSV; <c>?decimal=comma</c> for Excel where ',' is the decimal mark.</summary>
    public static async Task<IResult> ReportCsv(string programId, string breakdown, HttpRequest request, DashboardDesk desk, CancellationToken cancellationToken)
    {
        var (session, _, refusal) = await OpenAsync(programId, request, desk, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        if (!ReportTables.Breakdowns.Contains(breakdown))
        {
            throw new ValidationFailedException("breakdown", Rules.OptionNotAllowed, $"breakdown must be 'all', 'department', 'level', 'role', 'mentorload' or 'userled', not '{breakdown}'.");
        }
        PageRenderer.NoStore(request.HttpContext.Response);
        var european = string.Equals(request.Query["decimal"].ToString(), "comma", StringComparison.OrdinalIgnoreCase);
        return ReportEndpoints.Download(await desk.Services.Reports.BuildAsync(programId, cancellationToken), "csv", breakdown, european);
    }

    public static async Task<IResult> Participants(string programId, HttpRequest request, DashboardDesk desk, CancellationToken cancellationToken)
    {
        var (session, program, refusal) = await OpenAsync(programId, request, desk, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        var q = request.Query["q"].ToString().Trim();
        var status = request.Query["status"].ToString().Trim().ToLowerInvariant();
        if (status is not ("registered" or "withdrawn"))
        {
            status = "";
        }
        var everyone = await AllParticipantsAsync(desk, programId, cancellationToken);
        var matching = everyone
            .Where(p => status.Length == 0 || string.Equals(p.Status.ToString(), status, StringComparison.OrdinalIgnoreCase))
            .Where(p => q.Length == 0 || p.Name.Contains(q, StringComparison.OrdinalIgnoreCase) || p.Email.Contains(q, StringComparison.OrdinalIgnoreCase)
                || p.Answers.Values.Any(a => a.Any(v => v.Contains(q, StringComparison.OrdinalIgnoreCase))))
            .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return await PageRenderer.PageAsync<ParticipantsPage>(request, new ParticipantsModel(Nav(desk, session, program, "participants"), program!,
            [.. matching.Take(MaxListed)], everyone.Count, matching.Count, q, status));
    }

    public static async Task<IResult> Participant(string programId, string participantId, HttpRequest request, DashboardDesk desk,
        CancellationToken cancellationToken)
    {
        var (session, program, refusal) = await OpenAsync(programId, request, desk, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        var notice = request.Query["done"].ToString() switch
        {
            "withdrawn" => "Withdrawn: kept for the record, never matched again.",
            "erased" => "Erased: personal data removed, the address suppressed; aggregates kept.",
            _ => null,
        };
        return await ParticipantPageAsync(request, desk, session, program!, participantId, notice, null, StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> ExportParticipant(string programId, string participantId, HttpRequest request, DashboardDesk desk,
        CancellationToken cancellationToken)
    {
        var (session, _, refusal) = await OpenAsync(programId, request, desk, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        var export = await desk.Services.Privacy.ExportAsync(programId, participantId, cancellationToken);
        PageRenderer.NoStore(request.HttpContext.Response);
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(export, MentoringJson.Options);
        return Results.File(json, "application/json", $"{programId}-{participantId}-export.json");
    }

    public static async Task<IResult> WithdrawParticipant(string programId, string participantId, HttpRequest request, DashboardDesk desk,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desk);
        var (session, refusal) = await PostingSessionAsync(request, desk, programId, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        await desk.Services.Registry.WithdrawAsync(programId, participantId, cancellationToken);
        return Results.Redirect(DashboardPaths.Participant(programId, participantId) + "?done=withdrawn");
    }

    /// <summary>Erasing cannot be undone, so the form asks to type the person's email address (or name) again.</summary>
    public static async Task<IResult> EraseParticipant(string programId, string participantId, HttpRequest request, DashboardDesk desk,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desk);
        var (session, refusal) = await PostingSessionAsync(request, desk, programId, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        var form = await request.ReadFormAsync(cancellationToken);
        var typed = form["confirm"].ToString().Trim();
        var person = (await desk.Services.Registry.GetAsync(programId, participantId, cancellationToken)).Value;
        if (typed.Length == 0 || !string.Equals(EmailAddress.Normalise(typed), EmailAddress.Normalise(person.Email), StringComparison.Ordinal))
        {
            var program = (await desk.Services.Programs.GetAsync(programId, cancellationToken)).Value;
            return await ParticipantPageAsync(request, desk, session, program, participantId, null,
                "Nothing was erased: type the person's email address exactly to confirm.", StatusCodes.Status400BadRequest, cancellationToken);
        }
        await desk.Services.Privacy.EraseAsync(programId, participantId, cancellationToken);
        return Results.Redirect(DashboardPaths.Participant(programId, participantId) + "?done=erased");
    }

    public static async Task<IResult> Draft(string programId, HttpRequest request, DashboardDesk desk, CancellationToken cancellationToken)
    {
        var (session, program, refusal) = await OpenAsync(programId, request, desk, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        var notice = request.Query["done"].ToString() switch
        {
            "approved" => "Approved. The pairs are published and the intro emails are on their way.",
            "recorded" => "Recorded. The new draft version is below once it is computed (reload in a moment if it is not).",
            _ => null,
        };
        return await DraftPageAsync(request, desk, session, program!, notice, false, StatusCodes.Status200OK, cancellationToken);
    }

    /// <summary>
    /// A decision on the draft from the dashboard: a decision grant for the signed-in admin, short-lived and for this very
    /// version, handed to the same <see cref="DecisionDesk"/> the mail's links use.
    /// </summary>
    public static async Task<IResult> Decide(string programId, HttpRequest request, DashboardDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desk);
        var (session, refusal) = await PostingSessionAsync(request, desk, programId, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        var program = (await desk.Services.Programs.GetAsync(programId, cancellationToken)).Value;
        var form = await request.ReadFormAsync(cancellationToken);
        var errors = new List<FieldError>();
        var windowId = form["window"].ToString();
        if (windowId.Length == 0)
        {
            errors.Add(new("window", Rules.Required, "The form names no matching window."));
        }
        if (!int.TryParse(form["version"], out var version) || version < 1)
        {
            errors.Add(new("version", Rules.Required, "The form names no draft version."));
        }
        DecisionAction? action = form["action"].ToString() switch
        {
            "approve" => DecisionAction.Approve,
            "reject" => DecisionAction.Reject,
            "rerun" => DecisionAction.Rerun,
            "forbid" => DecisionAction.ForbidPair,
            "pin" => DecisionAction.PinPair,
            "exclude" => DecisionAction.ExcludeParticipant,
            "include" => DecisionAction.IncludeParticipant,
            _ => null,
        };
        if (action is null)
        {
            errors.Add(new("action", Rules.OptionNotAllowed, "action must be approve, reject, rerun, forbid, pin, exclude or include."));
        }
        ParticipantPair? pair = null;
        if (action is DecisionAction.ForbidPair or DecisionAction.PinPair)
        {
            var (a, b) = (form["a"].ToString(), form["b"].ToString());
            if (a.Length == 0 || b.Length == 0 || a == b)
            {
                errors.Add(new("a", Rules.Required, "Forbidding or pinning needs the two people of the pair."));
            }
            pair = new ParticipantPair(a, b);
        }
        var participant = form["participant"].ToString();
        if (action is DecisionAction.ExcludeParticipant or DecisionAction.IncludeParticipant && participant.Length == 0)
        {
            errors.Add(new("participant", Rules.Required, "Leaving someone out or including them needs the person."));
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        var grant = new DecisionGrant
        {
            ProgramId = programId,
            WindowId = windowId,
            Version = version,
            Approver = session.Admin,
            Action = action!.Value,
            Pair = pair,
            ParticipantId = action is DecisionAction.ExcludeParticipant or DecisionAction.IncludeParticipant ? participant : null,
            ExpiresAtUnix = (desk.Services.Clock.GetUtcNow() + TimeSpan.FromMinutes(10)).ToUnixTimeSeconds(),
        };
        var outcome = await desk.Decisions.DecideAsync(desk.Services.DecisionTokens.Sign(grant), form["reason"].ToString(), cancellationToken);
        if (outcome.Outcome == DecisionOutcome.Applied)
        {
            return Results.Redirect(DashboardPaths.Draft(programId) + (action == DecisionAction.Approve ? "?done=approved" : "?done=recorded"));
        }
        var status = outcome.Outcome switch
        {
            DecisionOutcome.Incomplete => StatusCodes.Status400BadRequest,
            DecisionOutcome.AlreadyDecided or DecisionOutcome.Stale => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status403Forbidden,
        };
        return await DraftPageAsync(request, desk, session, program, outcome.Message, true, status, cancellationToken);
    }

    public static async Task<IResult> Pairs(string programId, HttpRequest request, DashboardDesk desk, CancellationToken cancellationToken)
    {
        var (session, program, refusal) = await OpenAsync(programId, request, desk, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        var show = request.Query["show"].ToString() is "at-risk" or "ended" or "all" ? request.Query["show"].ToString() : "active";
        var matches = await desk.Services.Matches.ListAsync(programId,
            show switch { "ended" => MatchStatus.Ended, "all" => null, _ => MatchStatus.Active }, show == "at-risk" ? true : null, cancellationToken);
        var notice = request.Query["done"].ToString() switch
        {
            "ended" => "The pair was ended; its check-ins stop.",
            "rematch" => "Noted: that person gets a new partner in the next round.",
            "nudged" => "Check-in nudge on its way to the pair (one a day at most; people who paused or left get none).",
            "no-round" => "No check-in round is open for that pair now, so there is nothing to nudge about.",
            _ => null,
        };
        return await PageRenderer.PageAsync<PairsPage>(request,
            new PairsModel(Nav(desk, session, program, "pairs"), program!, matches, show, notice, desk.Services.Clock.GetUtcNow()));
    }

    public static async Task<IResult> EndPair(string programId, string matchId, HttpRequest request, DashboardDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desk);
        var (session, refusal) = await PostingSessionAsync(request, desk, programId, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        var form = await request.ReadFormAsync(cancellationToken);
        await desk.Services.Matches.EndAsync(programId, matchId, form["reason"].ToString(), cancellationToken);
        return Results.Redirect(DashboardPaths.Pairs(programId) + "?done=ended");
    }

    /// <summary>Sends the open round's check-in to the pair now (at most once a day per member, see <c>CheckInJob.NudgeNowAsync</c>).</summary>
    public static async Task<IResult> NudgePair(string programId, string matchId, HttpRequest request, DashboardDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desk);
        var (session, refusal) = await PostingSessionAsync(request, desk, programId, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        var queued = await desk.Services.CheckIns.NudgeNowAsync(programId, matchId, desk.Services.Clock.GetUtcNow(), cancellationToken);
        return Results.Redirect(DashboardPaths.Pairs(programId) + (queued is null ? "?done=no-round" : "?done=nudged"));
    }

    public static async Task<IResult> Rematch(string programId, string participantId, HttpRequest request, DashboardDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desk);
        var (session, refusal) = await PostingSessionAsync(request, desk, programId, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        // The pair the button sits on ends, and only that one: a mentor with several mentees keeps the others.
        var matchId = (await request.ReadFormAsync(cancellationToken))["matchId"].ToString();
        await desk.Services.Matches.RequestRematchAsync(programId, participantId, matchId, cancellationToken);
        return Results.Redirect(DashboardPaths.Pairs(programId) + "?done=rematch");
    }

    /// <summary>Response rates, answer distributions and comments; names only where the program says comments are not anonymous.</summary>
    /// <summary>The session agendas pairs of the program receive (built-in or the program's own); changes nothing.</summary>
    public static async Task<IResult> Agenda(string programId, HttpRequest request, DashboardDesk desk, CancellationToken cancellationToken)
    {
        var (session, program, refusal) = await OpenAsync(programId, request, desk, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        return await PageRenderer.PageAsync<AgendaPage>(request, new AgendaModel(Nav(desk, session, program, "agenda"), program!,
            Core.Engagement.Agendas.SessionAgendas.IsBuiltIn(program!), Core.Engagement.Agendas.SessionAgendas.For(program!)));
    }

    public static async Task<IResult> Surveys(string programId, HttpRequest request, DashboardDesk desk, CancellationToken cancellationToken)
    {
        var (session, program, refusal) = await OpenAsync(programId, request, desk, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        var report = await desk.Services.Reports.BuildAsync(programId, cancellationToken);
        var freeText = program!.Engagement.Surveys.SelectMany(s => s.Questions.Where(q => q.Type == SurveyQuestionType.FreeText).Select(q => (s.Key, q.Key))).ToHashSet();
        var names = program.Engagement.NamedSurveyComments
            ? (await AllParticipantsAsync(desk, programId, cancellationToken)).ToDictionary(p => p.Id, p => p.Name, StringComparer.Ordinal)
            : null;
        var comments = (await desk.Services.Store.QueryAllAsync<SurveyRecord>(programId, EngagementDocuments.SurveyKind, cancellationToken))
            .Select(r => r.Value)
            .Where(r => r.RespondedAt is not null)
            .SelectMany(r => r.Answers.Where(a => freeText.Contains((r.SurveyKey, a.Key)) && !string.IsNullOrWhiteSpace(a.Value))
                .Select(a => new SurveyComment(r.SurveyKey, a.Value.Trim(), names?.GetValueOrDefault(r.ParticipantId), names is null ? null : r.RespondedAt)))
            .ToList();
        // Anonymous comments carry no time and are sorted by their text: an answer's time, or its place in a list sorted
        // by time, would let an admin who knows when someone answered tell whose comment it is.
        comments = names is null
            ? [.. comments.OrderBy(c => c.Text, StringComparer.CurrentCultureIgnoreCase)]
            : [.. comments.OrderByDescending(c => c.At)];
        return await PageRenderer.PageAsync<SurveysPage>(request, new SurveysModel(Nav(desk, session, program, "surveys"), program, report, comments));
    }

    public static async Task<IResult> FailedWork(string programId, HttpRequest request, DashboardDesk desk, CancellationToken cancellationToken)
    {
        var (session, program, refusal) = await OpenAsync(programId, request, desk, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        var items = await desk.Services.Work.ListPoisonAsync(programId, cancellationToken);
        var names = (await AllParticipantsAsync(desk, programId, cancellationToken)).ToDictionary(p => p.Id, p => p.Name, StringComparer.Ordinal);
        var notice = request.Query["done"].ToString() switch
        {
            "retried" => "Queued again with fresh attempts.",
            "gone" => "That item is no longer in the failed list (it was retried already).",
            _ => null,
        };
        return await PageRenderer.PageAsync<FailedWorkPage>(request, new FailedWorkModel(Nav(desk, session, program, "failed-work"), program!, items, names, notice));
    }

    public static async Task<IResult> RetryFailedWork(string programId, HttpRequest request, DashboardDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desk);
        var (session, refusal) = await PostingSessionAsync(request, desk, programId, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }
        var key = (await request.ReadFormAsync(cancellationToken))["key"].ToString();
        if (key.Length == 0)
        {
            throw new ValidationFailedException("key", Rules.Required, "The form names no failed work item.");
        }
        // Only this program's items: the list is per program, and so is the admin's sign-in. An item that is no longer
        // listed was retried already (a second click, another admin): nothing to do, and no error to show for it.
        var mine = (await desk.Services.Work.ListPoisonAsync(programId, cancellationToken)).Any(p => p.Item.IdempotencyKey == key);
        var retried = mine && await desk.Services.Work.RetryPoisonAsync(key, cancellationToken);
        return Results.Redirect(DashboardPaths.FailedWork(programId) + (retried ? "?done=retried" : "?done=gone"));
    }

    internal const int MaxListed = 200;

    private static async Task<IResult> DraftPageAsync(HttpRequest request, DashboardDesk desk, AdminSession session, MentoringProgram program,
        string? notice, bool isError, int status, CancellationToken cancellationToken)
    {
        var state = await CurrentWindowAsync(desk, program.Id, cancellationToken);
        WindowView? view = null;
        DraftChanges? changes = null;
        if (state is not null)
        {
            view = await desk.Windows.GetAsync(program.Id, state.WindowId, cancellationToken);
            if (view.CurrentDraft is { Version: > 1 } current)
            {
                var previous = (await desk.Services.Store.ReadAsync<StoredDraft>(
                    WindowDocuments.Draft(program.Id, state.WindowId, current.Version - 1), cancellationToken))?.Value;
                changes = previous is null ? null : DraftChanges.Between(previous, current, view.State);
            }
        }
        return await PageRenderer.PageAsync<DraftPage>(request,
            new DraftModel(Nav(desk, session, program, "draft"), program, view, changes, notice, isError), status);
    }

    private static async Task<IResult> ParticipantPageAsync(HttpRequest request, DashboardDesk desk, AdminSession session, MentoringProgram program,
        string participantId, string? notice, string? error, int status, CancellationToken cancellationToken)
    {
        var person = (await desk.Services.Registry.GetAsync(program.Id, participantId, cancellationToken)).Value;
        var export = await desk.Services.Privacy.ExportAsync(program.Id, participantId, cancellationToken);
        var suppression = (await desk.Services.Store.ReadAsync<Core.Engagement.Suppression>(
            Core.Engagement.EngagementDocuments.Suppression(EmailAddress.Digest(person.Email)), cancellationToken))?.Value;
        return await PageRenderer.PageAsync<ParticipantPage>(request,
            new ParticipantModel(Nav(desk, session, program, "participants"), program, person, export, notice, error, suppression), status);
    }

    /// <summary>The window the dashboard shows: the newest one still running, else the newest.</summary>
    private static async Task<WindowState?> CurrentWindowAsync(DashboardDesk desk, string programId, CancellationToken cancellationToken)
    {
        var windows = await desk.Windows.ListAsync(programId, cancellationToken);
        return windows.Where(w => !w.IsFinished).OrderByDescending(w => w.OpenedAt).FirstOrDefault()
            ?? windows.OrderByDescending(w => w.FinishedAt ?? w.OpenedAt).FirstOrDefault();
    }

    private static async Task<List<Participant>> AllParticipantsAsync(DashboardDesk desk, string programId, CancellationToken cancellationToken)
    {
        var all = new List<Participant>();
        string? token = null;
        do
        {
            var page = await desk.Services.Registry.ListAsync(programId, null, 1000, token, cancellationToken);
            all.AddRange(page.Items.Select(i => i.Value));
            token = page.ContinuationToken;
        }
        while (token is not null);
        return all;
    }

    private static DashboardNav Nav(DashboardDesk desk, AdminSession session, MentoringProgram? program, string active) =>
        new(session, program, active, desk.Sessions.FormToken(session));

    private static AdminSession? SessionOf(HttpRequest request, DashboardDesk desk)
    {
        ArgumentNullException.ThrowIfNull(request);
        return desk.Sessions.Read(request.Cookies[SessionCookie]);
    }

    /// <summary>The session of a GET page for <paramref name="programId"/>, or the page that says how to sign in.</summary>
    private static async Task<(AdminSession? Session, MentoringProgram? Program, IResult? Refusal)> OpenAsync(string programId, HttpRequest request,
        DashboardDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desk);
        var session = SessionOf(request, desk);
        if (session is null || !session.MayOpen(programId))
        {
            return (null, null, await Refuse(request, session));
        }
        var program = (await desk.Services.Programs.GetAsync(programId, cancellationToken)).Value;
        return (session, program, null);
    }

    /// <summary>The session of a POST, which must carry that session's form token (anti-forgery on both hosts).</summary>
    private static async Task<(AdminSession? Session, IResult? Refusal)> PostingSessionAsync(HttpRequest request, DashboardDesk desk, string? programId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desk);
        var session = SessionOf(request, desk);
        if (session is null || (programId is not null && !session.MayOpen(programId)))
        {
            return (null, await Refuse(request, session));
        }
        var token = request.HasFormContentType ? (await request.ReadFormAsync(cancellationToken))[FormField].ToString() : null;
        if (!desk.Sessions.IsFormTokenValid(session, token))
        {
            return (null, await Message(request, StatusCodes.Status403Forbidden, "Form expired",
                "Nothing was changed: this form does not belong to your current sign-in. Go back, reload the page and try again."));
        }
        return (session, null);
    }

    private static Task<IResult> Refuse(HttpRequest request, AdminSession? session) => session is null
        ? Message(request, StatusCodes.Status401Unauthorized, "Please sign in",
            "Open the dashboard link in an admin mail about your program, or sign in with the admin key.", offerSignIn: true)
        : Message(request, StatusCodes.Status403Forbidden, "Not your program",
            "Your sign-in opens another program. Open the dashboard link in a mail about this program.", offerSignIn: true);

    private static Task<IResult> Message(HttpRequest request, int status, string title, string message, bool offerSignIn = false) =>
        PageRenderer.PageAsync<MessagePage>(request, new MessageModel(title, message, null, offerSignIn), status);

    private static IResult StartSession(HttpRequest request, DashboardDesk desk, AdminSession session, string next)
    {
        request.HttpContext.Response.Cookies.Append(SessionCookie, desk.Sessions.Cookie(session), CookieOptions(request, session.ExpiresAt));
        PageRenderer.NoStore(request.HttpContext.Response);
        return Results.Redirect(next);
    }

    /// <summary>HttpOnly (no script reads it), SameSite=Strict (no other site's page or mail-client frame sends it), path / (the outbox too).</summary>
    private static CookieOptions CookieOptions(HttpRequest request, DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };

    private static bool SameSecret(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
