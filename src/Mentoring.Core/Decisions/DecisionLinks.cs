using Mentoring.Core.Dashboard;
using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Matching;
using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Decisions;

/// <summary>Where links in emails point, and how long a decision link stays valid.</summary>
public sealed class DecisionLinkOptions
{
    /// <summary>The public address of this backend, as admins' mail clients reach it.</summary>
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:7071");

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(14);
}

/// <summary>Builds the signed action links of a draft email, one token per (admin, action[, pair]).</summary>
public sealed class DecisionLinks(DecisionTokens tokens, DecisionLinkOptions options, DashboardLinks? dashboard = null)
{
    /// <summary>The admin's signed link to the program dashboard, when the host serves one.</summary>
    public Uri? Dashboard(string programId, string adminEmail) => dashboard?.For(programId, adminEmail);

    public Uri For(DecisionGrant grant) => new(options.PublicBaseUrl, $"/api/decisions/{tokens.Sign(grant)}");

    public DraftActionLinks Draft(string programId, string windowId, int version, string adminEmail, PairDraft draft, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var expires = (now + options.TokenLifetime).ToUnixTimeSeconds();
        DecisionGrant Grant(DecisionAction action, ParticipantPair? pair = null, string? participantId = null) => new()
        {
            ProgramId = programId,
            WindowId = windowId,
            Version = version,
            Approver = adminEmail,
            Action = action,
            Pair = pair,
            ParticipantId = participantId,
            ExpiresAtUnix = expires,
        };
        return new DraftActionLinks(For(Grant(DecisionAction.Approve)), For(Grant(DecisionAction.Reject)), For(Grant(DecisionAction.Rerun)))
        {
            ForbidPairs = [.. draft.Pairs.Select(p => For(Grant(DecisionAction.ForbidPair, new ParticipantPair(p.A.Id, p.B.Id))))],
            ForbidGroupLinks = [.. draft.Groups.Select(g => g.LeadId is null
                ? (IReadOnlyList<Uri>)[]
                : [.. g.Links.Select(l => For(Grant(DecisionAction.ForbidPair, new ParticipantPair(l.A.Id, l.B.Id))))])],
            // A trio is a drafted pair (its first two members) that took a third: splitting keeps that pair (a pin, and
            // pinned pairs never take a third), so the third is placed elsewhere or waits.
            Trios = [.. draft.Trios.Select(t => new TrioActionLinks(
                [.. t.Links.Select(l => For(Grant(DecisionAction.ForbidPair, new ParticipantPair(l.A.Id, l.B.Id))))],
                t.Members.Count == 3 ? For(Grant(DecisionAction.PinPair, new ParticipantPair(t.Members[0].Id, t.Members[1].Id))) : null))],
            IncludeWaitlisted = [.. draft.Waitlist.Select(w => For(Grant(DecisionAction.IncludeParticipant, participantId: w.Person.Id)))],
            Dashboard = Dashboard(programId, adminEmail),
        };
    }
}
