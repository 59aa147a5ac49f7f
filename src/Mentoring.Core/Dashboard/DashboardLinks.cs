using Mentoring.Core.Decisions;

namespace Mentoring.Core.Dashboard;

/// <summary>"Open the program dashboard": the signed link every admin mail carries.</summary>
public sealed class DashboardLinks(AdminSessions sessions, DecisionLinkOptions options)
{
    public const string SignInPath = "/api/dashboard/sign-in/";

    public Uri For(string programId, string adminEmail) => new(options.PublicBaseUrl, SignInPath + sessions.LinkToken(programId, adminEmail));
}
