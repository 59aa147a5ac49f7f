using Mentoring.Core.Decisions;

namespace Mentoring.Core.Dashboard;

/// <summary>"Open the program dashboard": the signed link every admin mail carries.</summary>
public sealed class DashboardLinks(AdminSessions sessions, DecisionLinkOptions options)
{
    public const string SignInPath = "/api/dashboard/sign-in/";

    public Uri For(string programId, string adminEmail) => new(options.PublicBaseUrl, SignInPath + sessions.LinkToken(programId, adminEmail));

    /// <summary>The same sign-in, landing on one of the program's <see cref="Pages"/> instead of the overview.</summary>
    public Uri For(string programId, string adminEmail, string page) => new(For(programId, adminEmail) + "?to=" + Uri.EscapeDataString(page));

    /// <summary>Where a dashboard link may land (a fixed list, so the link cannot be turned into a redirect elsewhere).</summary>
    public static class Pages
    {
        public const string Pairs = "pairs";
        public const string AtRisk = "at-risk";
        public const string Draft = "draft";

        public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Pairs, AtRisk, Draft };
    }
}
