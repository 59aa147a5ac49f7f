using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Mentoring.Core.Common;
using Mentoring.Core.Links;

namespace Mentoring.Core.Dashboard;

/// <summary>How long a dashboard link in an admin mail and the browser session it opens stay valid.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Mentoring:Dashboard";

    /// <summary>A link in a mail: long enough to act on an old mail, ended for all by rotating the signing keys.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>The browser session a link opens: short, so a forgotten tab does not stay signed in.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(2);
}

/// <summary>
/// What a signed dashboard token grants. <see cref="Use"/> keeps the three kinds apart (a link cannot be replayed as a
/// session cookie, nor a form token as either), and its required JSON name keeps decision and participant tokens out.
/// </summary>
public sealed record DashboardGrant
{
    public const string LinkUse = "link";
    public const string SessionUse = "session";
    public const string FormUse = "form";

    [JsonPropertyName("dash")] public required string Use { get; init; }
    /// <summary>The one program this grant opens; null for an operator (signed in with the admin key), who sees every program.</summary>
    [JsonPropertyName("p")] public string? ProgramId { get; init; }
    [JsonPropertyName("by")] public required string Admin { get; init; }
    [JsonPropertyName("sid")] public string? SessionId { get; init; }
    [JsonPropertyName("exp")] public required long ExpiresAtUnix { get; init; }

    [JsonIgnore]
    public DateTimeOffset ExpiresAt => DateTimeOffset.FromUnixTimeSeconds(ExpiresAtUnix);
}

/// <summary>A signed-in admin in the browser: one program (from a mail link) or every program (an operator).</summary>
public sealed record AdminSession(string SessionId, string Admin, string? ProgramId, DateTimeOffset ExpiresAt)
{
    public const string OperatorName = "operator";

    public bool IsOperator => ProgramId is null;

    public bool MayOpen(string programId) => ProgramId is null || string.Equals(ProgramId, programId, StringComparison.Ordinal);
}

/// <summary>
/// The admin sign-in without accounts: a signed link from an admin mail (bound to admin and program, expiring) opens a
/// short session kept in a signed cookie; the admin key opens an operator session. State-changing forms carry a signed
/// token bound to the session id, checked the same way on both hosts (no server-side session store, no host-specific
/// anti-forgery service). Rotating the signing keys ends every link, session and form token at once.
/// </summary>
public sealed class AdminSessions(LinkSigner signer, DashboardOptions options, TimeProvider clock)
{
    public string LinkToken(string programId, string adminEmail) => signer.Sign(new DashboardGrant
    {
        Use = DashboardGrant.LinkUse,
        ProgramId = programId,
        Admin = EmailAddress.Normalise(adminEmail),
        ExpiresAtUnix = (clock.GetUtcNow() + options.LinkLifetime).ToUnixTimeSeconds(),
    });

    /// <summary>Opens a session from a mail link's token; the problem says why not (expired, forged, signed with a retired key).</summary>
    public (AdminSession? Session, TokenProblem Problem) SignIn(string linkToken)
    {
        var (grant, problem) = Verify(linkToken, DashboardGrant.LinkUse);
        if (grant?.ProgramId is null || problem != TokenProblem.None)
        {
            return (null, problem == TokenProblem.None ? TokenProblem.Malformed : problem);
        }
        return (Open(grant.Admin, grant.ProgramId), TokenProblem.None);
    }

    /// <summary>A session over every program, for someone who proved they hold the admin key.</summary>
    public AdminSession SignInOperator() => Open(AdminSession.OperatorName, null);

    /// <summary>The cookie value that carries <paramref name="session"/>.</summary>
    public string Cookie(AdminSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return signer.Sign(new DashboardGrant
        {
            Use = DashboardGrant.SessionUse,
            ProgramId = session.ProgramId,
            Admin = session.Admin,
            SessionId = session.SessionId,
            ExpiresAtUnix = session.ExpiresAt.ToUnixTimeSeconds(),
        });
    }

    /// <summary>The session in a cookie, or null when absent, forged, expired or signed with a retired key.</summary>
    public AdminSession? Read(string? cookie)
    {
        if (string.IsNullOrEmpty(cookie))
        {
            return null;
        }
        var (grant, problem) = Verify(cookie, DashboardGrant.SessionUse);
        return grant is { SessionId: { Length: > 0 } sid } && problem == TokenProblem.None
            ? new AdminSession(sid, grant.Admin, grant.ProgramId, grant.ExpiresAt)
            : null;
    }

    /// <summary>The anti-forgery token every state-changing form of this session carries.</summary>
    public string FormToken(AdminSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return signer.Sign(new DashboardGrant
        {
            Use = DashboardGrant.FormUse,
            ProgramId = session.ProgramId,
            Admin = session.Admin,
            SessionId = session.SessionId,
            ExpiresAtUnix = session.ExpiresAt.ToUnixTimeSeconds(),
        });
    }

    /// <summary>True when <paramref name="token"/> was issued to this very session and has not expired.</summary>
    public bool IsFormTokenValid(AdminSession session, string? token)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }
        var (grant, problem) = Verify(token, DashboardGrant.FormUse);
        return problem == TokenProblem.None && grant is not null
            && string.Equals(grant.SessionId, session.SessionId, StringComparison.Ordinal)
            && string.Equals(grant.Admin, session.Admin, StringComparison.Ordinal)
            && string.Equals(grant.ProgramId, session.ProgramId, StringComparison.Ordinal);
    }

    private AdminSession Open(string admin, string? programId) =>
        new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), admin, programId, clock.GetUtcNow() + options.SessionLifetime);

    private (DashboardGrant? Grant, TokenProblem Problem) Verify(string token, string use)
    {
        var (grant, problem) = signer.Verify<DashboardGrant>(token);
        if (grant is null || problem != TokenProblem.None)
        {
            return (null, problem == TokenProblem.None ? TokenProblem.Malformed : problem);
        }
        if (!string.Equals(grant.Use, use, StringComparison.Ordinal))
        {
            return (null, TokenProblem.Malformed);
        }
        return clock.GetUtcNow() >= grant.ExpiresAt ? (grant, TokenProblem.Expired) : (grant, TokenProblem.None);
    }
}
