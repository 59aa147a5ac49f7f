using System.Globalization;
using System.Net;
using System.Text;
using Mentoring.Api.Dashboard;
using Mentoring.Api.Http;
using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Decisions;
using Mentoring.Core.Windows;

namespace Mentoring.Api.Endpoints;

/// <summary>The small HTML page behind every decision link: what will happen, and a button that POSTs the decision.</summary>
public static class DecisionPageView
{
    public static string Render(DecisionPage page, string postUrl)
    {
        ArgumentNullException.ThrowIfNull(page);
        var html = new StringBuilder();
        var title = page.Outcome switch
        {
            DecisionOutcome.Confirm or DecisionOutcome.Incomplete when page.Grant is { } asked => ConfirmTitle(asked, page.Draft),
            DecisionOutcome.Confirm or DecisionOutcome.Incomplete => "Please confirm",
            DecisionOutcome.Applied => "Done",
            DecisionOutcome.AlreadyDecided => "Already decided",
            DecisionOutcome.Stale => "This draft has moved on",
            DecisionOutcome.Expired => "This link has expired",
            _ => "This link is not valid",
        };
        LinkPage.AppendHead(html, title,
            "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f4f5f7;color:#1f2328}"
            + "main{max-width:600px;margin:0 auto;padding:24px 16px}h1{font-size:1.5rem}.card{background:#fff;border-radius:8px;padding:16px;margin:12px 0}"
            + ".muted{color:#57606a}.pair{border-top:1px solid #eaecef;padding:8px 0}button{font-size:1.05rem;padding:14px 20px;border:0;border-radius:6px;"
            + "background:#1a7f37;color:#fff;width:100%;cursor:pointer}textarea{width:100%;min-height:90px;font:inherit;box-sizing:border-box}"
            + ".warn{background:#fff8c5;border-radius:6px;padding:10px}");
        if (page.Program is { } program)
        {
            html.Append("<p class=\"muted\">").Append(E(program.Name));
            if (page.Grant is { } g)
            {
                html.Append(" &middot; window ").Append(E(g.WindowId)).Append(" &middot; draft v").Append(g.Version);
            }
            html.Append("</p>");
        }
        html.Append("<p class=\"").Append(page.Outcome == DecisionOutcome.Incomplete ? "warn" : "").Append("\" id=\"message\">").Append(E(page.Message)).Append("</p>");

        if (page.Outcome is DecisionOutcome.Confirm or DecisionOutcome.Incomplete && page.Grant is { } grant)
        {
            html.Append("<form method=\"post\" action=\"").Append(E(postUrl)).Append("\">");
            if (grant.Action is DecisionAction.Reject or DecisionAction.ForbidPair or DecisionAction.Rerun)
            {
                html.Append("<p><label for=\"reason\">Reason").Append(grant.Action == DecisionAction.Reject ? " (required)" : " (optional)")
                    .Append("</label></p><textarea id=\"reason\" name=\"reason\" maxlength=\"2000\"></textarea>");
            }
            html.Append("<p><button type=\"submit\" id=\"confirm\">").Append(E(ButtonLabel(grant.Action))).Append("</button></p></form>");
            html.Append("<p class=\"muted\">Nothing happens until you press the button; opening this page changed nothing.</p>");
        }
        if (page.Outcome is DecisionOutcome.AlreadyDecided or DecisionOutcome.Stale or DecisionOutcome.Expired && page.Program is { } decided)
        {
            html.Append("<p><a href=\"").Append(E(DashboardPaths.Draft(decided.Id))).Append("\">Open the newest draft in the program dashboard</a></p>");
        }
        if (page.Draft is { } stored && page.Outcome is DecisionOutcome.Confirm or DecisionOutcome.Incomplete)
        {
            AppendDraft(html, stored, page.Grant);
        }
        html.Append("</main></body></html>");
        return html.ToString();
    }

    private static void AppendDraft(StringBuilder html, StoredDraft stored, DecisionGrant? grant)
    {
        var draft = stored.Draft;
        var s = draft.Stats;
        html.Append("<div class=\"card\"><strong>").Append(MailFormat.Plural(s.People, "person", "people")).Append(", ").Append(MailFormat.Plural(s.Pairs, "pair", "pairs"));
        if (s.Trios > 0)
        {
            html.Append(", ").Append(MailFormat.Plural(s.Trios, "trio", "trios"));
        }
        if (s.Groups > 0)
        {
            html.Append(", ").Append(MailFormat.Plural(s.Groups, "group", "groups"));
        }
        html.Append(", ").Append(s.PeopleWaitlisted).Append(" waitlisted</strong><br><span class=\"muted\">mean score ")
            .Append(s.MeanScore.ToString("0.#", CultureInfo.InvariantCulture)).Append(", lowest ").Append(s.MinScore).Append("</span>");
        if (draft.Certificate is { } certificate)
        {
            html.Append("<p>").Append(E(certificate.Statement)).Append("</p>");
        }
        foreach (var pair in draft.Pairs)
        {
            var highlighted = grant?.Pair is { } p && ((p.A == pair.A.Id && p.B == pair.B.Id) || (p.A == pair.B.Id && p.B == pair.A.Id));
            html.Append("<div class=\"pair\">").Append(highlighted ? "<strong>" : "").Append(E(pair.A.Name)).Append(" &amp; ").Append(E(pair.B.Name))
                .Append(" &middot; ").Append(pair.Score).Append(highlighted ? "</strong>" : "")
                .Append("<br><span class=\"muted\">").Append(E(pair.Sentence)).Append("</span></div>");
        }
        foreach (var group in draft.Trios.Concat(draft.Groups))
        {
            html.Append("<div class=\"pair\">").Append(E(string.Join(", ", group.Members.Select(m => m.Name)))).Append(" &middot; ").Append(group.Score)
                .Append("<br><span class=\"muted\">").Append(E(group.Sentence)).Append("</span></div>");
        }
        foreach (var waiting in draft.Waitlist)
        {
            html.Append("<div class=\"pair\">Waitlisted: ").Append(E(waiting.Person.Name)).Append("<br><span class=\"muted\">")
                .Append(E(waiting.Explanation)).Append("</span></div>");
        }
        html.Append("</div>");
    }

    /// <summary>The confirmation page says what it confirms: "Forbid Ana & Bo?", not "Please confirm".</summary>
    private static string ConfirmTitle(DecisionGrant grant, StoredDraft? draft)
    {
        var names = (draft?.Draft.Pairs.SelectMany(p => new[] { p.A, p.B }) ?? [])
            .Concat(draft?.Draft.Trios.Concat(draft.Draft.Groups).SelectMany(g => g.Members) ?? [])
            .Concat(draft?.Draft.Waitlist.Select(w => w.Person) ?? [])
            .DistinctBy(m => m.Id).ToDictionary(m => m.Id, m => m.Name, StringComparer.Ordinal);
        string Name(string id) => names.TryGetValue(id, out var name) ? name : "one person";
        string Pair() => grant.Pair is { } p ? $"{Name(p.A)} & {Name(p.B)}" : "this pair";
        return grant.Action switch
        {
            DecisionAction.Approve => $"Approve pair draft v{grant.Version}?",
            DecisionAction.Reject => $"Reject pair draft v{grant.Version}?",
            DecisionAction.ForbidPair => $"Forbid {Pair()}?",
            DecisionAction.PinPair => $"Keep {Pair()} together?",
            DecisionAction.ExcludeParticipant => $"Leave {(grant.ParticipantId is { } id ? Name(id) : "one person")} out?",
            DecisionAction.IncludeParticipant => $"Include {(grant.ParticipantId is { } included ? Name(included) : "one person")} in the next draft?",
            _ => $"Re-run the matching for draft v{grant.Version}?",
        };
    }

    private static string ButtonLabel(DecisionAction action) => action switch
    {
        DecisionAction.Approve => "Approve and send the intros",
        DecisionAction.Reject => "Reject this draft",
        DecisionAction.ForbidPair => "Forbid this pair and re-draft",
        DecisionAction.PinPair => "Keep this pair and re-draft",
        DecisionAction.ExcludeParticipant => "Leave this person out and re-draft",
        DecisionAction.IncludeParticipant => "Include this person and re-draft",
        _ => "Re-run the matching",
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
