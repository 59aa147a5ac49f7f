using Mentoring.Core.Dashboard;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Engagement.Reports;
using Mentoring.Core.Work;
using Mentoring.Core.Participants;
using Mentoring.Core.Privacy;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;

namespace Mentoring.Api.Dashboard;

/// <summary>The frame of every signed-in page: who is signed in, which program, which tab, and the form token.</summary>
public sealed record DashboardNav(AdminSession Session, MentoringProgram? Program, string Active, string FormToken)
{
    public string ProgramPath => Program is null ? DashboardPaths.Home : DashboardPaths.Program(Program.Id);
}

public sealed record MessageModel(string Title, string Message, DashboardNav? Nav = null, bool OfferSignIn = false);

public sealed record SignInModel(string? Error);

public sealed record ProgramsModel(DashboardNav Nav, IReadOnlyList<MentoringProgram> Programs);

public sealed record OverviewModel(DashboardNav Nav, MentoringProgram Program, ProgramReportData Report, WindowState? Window);

public sealed record ParticipantsModel(DashboardNav Nav, MentoringProgram Program, IReadOnlyList<Participant> Shown, int Total, int Matching,
    string Query, string Status);

/// <param name="MailSuppression">Why no mail goes to this person's address (bounce, erasure, an address the rule refuses), if none does.</param>
public sealed record ParticipantModel(DashboardNav Nav, MentoringProgram Program, Participant Participant, ParticipantDataExport Export,
    string? Notice, string? Error, Core.Engagement.Suppression? MailSuppression = null);

public sealed record PairsModel(DashboardNav Nav, MentoringProgram Program, IReadOnlyList<MatchSummary> Matches, string Show, string? Notice,
    DateTimeOffset Now);

/// <summary>One survey comment; <see cref="Name"/> and <see cref="At"/> are null unless the program shows names.</summary>
public sealed record SurveyComment(string SurveyKey, string Text, string? Name, DateTimeOffset? At);

public sealed record SurveysModel(DashboardNav Nav, MentoringProgram Program, ProgramReportData Report, IReadOnlyList<SurveyComment> Comments);

/// <param name="BuiltIn">True when the program sets no agendas and gets the built-in set of its kind.</param>
public sealed record AgendaModel(DashboardNav Nav, MentoringProgram Program, bool BuiltIn, IReadOnlyList<AgendaSession> Sessions);

public sealed record FailedWorkModel(DashboardNav Nav, MentoringProgram Program, IReadOnlyList<PoisonedWork> Items, IReadOnlyDictionary<string, string> Names, string? Notice);

public sealed record DraftModel(DashboardNav Nav, MentoringProgram Program, WindowView? Window, DraftChanges? Changes, string? Notice, bool NoticeIsError);

/// <summary>The dashboard's addresses, under /api so both hosts serve them (Functions' route prefix is "api").</summary>
public static class DashboardPaths
{
    public const string Home = "/api/dashboard";
    public const string Stylesheet = "/api/dashboard/dashboard.css";
    public const string SignIn = "/api/dashboard/sign-in";
    public const string SignOut = "/api/dashboard/sign-out";

    public static string Program(string programId) => $"/api/dashboard/programs/{Uri.EscapeDataString(programId)}";
    public static string Participants(string programId) => Program(programId) + "/participants";
    public static string Participant(string programId, string participantId) => Participants(programId) + "/" + Uri.EscapeDataString(participantId);
    public static string Draft(string programId) => Program(programId) + "/draft";
    public static string Pairs(string programId) => Program(programId) + "/pairs";
    public static string Surveys(string programId) => Program(programId) + "/surveys";
    public static string FailedWork(string programId) => Program(programId) + "/failed-work";
    public static string Agenda(string programId) => Program(programId) + "/agenda";
    public static string Workbook(string programId) => Program(programId) + "/report-xlsx";
    public static string Csv(string programId, string breakdown) => Program(programId) + "/report-csv/" + breakdown;
}
