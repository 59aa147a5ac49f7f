using System.Globalization;
using System.Net;
using System.Text;
using Mentoring.Api.Http;
using Mentoring.Core.Engagement.Participation;

namespace Mentoring.Api.Endpoints;

/// <summary>The small HTML page behind every participant link: what will happen, the one field it may need, and a button that POSTs.</summary>
public static class ParticipantLinkPageView
{
    public static string Render(ParticipantPage page, string postUrl)
    {
        ArgumentNullException.ThrowIfNull(page);
        var title = page.Outcome switch
        {
            ParticipantLinkOutcome.Confirm or ParticipantLinkOutcome.Incomplete => "Please confirm",
            ParticipantLinkOutcome.Applied => "Done",
            ParticipantLinkOutcome.AlreadyDone => "Already done",
            ParticipantLinkOutcome.Closed => "This has moved on",
            ParticipantLinkOutcome.Expired => "This link has expired",
            _ => "This link is not valid",
        };
        var html = new StringBuilder();
        LinkPage.AppendHead(html, title,
            "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f4f5f7;color:#1f2328}"
            + "main{max-width:600px;margin:0 auto;padding:24px 16px}h1{font-size:1.5rem}.muted{color:#57606a}"
            + "button{font-size:1.05rem;padding:14px 20px;border:0;border-radius:6px;background:#1a7f37;color:#fff;width:100%;cursor:pointer}"
            + "input,textarea{font:inherit;font-size:1.05rem;padding:10px;box-sizing:border-box;width:100%}label{display:block;margin:12px 0 6px}"
            + ".choices button{width:auto;margin:0 8px 8px 0;background:#fff;color:#0969da;border:2px solid #0969da}"
            + ".warn{background:#fff8c5;border-radius:6px;padding:10px}");
        if (page.ProgramName is { } program)
        {
            html.Append("<p class=\"muted\">").Append(E(program));
            if (page.ParticipantName is { } name)
            {
                html.Append(" &middot; ").Append(E(name));
            }
            html.Append("</p>");
        }
        html.Append("<p class=\"").Append(page.Outcome == ParticipantLinkOutcome.Incomplete ? "warn" : "").Append("\" id=\"message\">")
            .Append(E(page.Message)).Append("</p>");

        if (page.Outcome is ParticipantLinkOutcome.Confirm or ParticipantLinkOutcome.Incomplete && page.Grant is { } grant)
        {
            html.Append("<form method=\"post\" action=\"").Append(E(postUrl)).Append("\">");
            if (grant.Action == ParticipantAction.CheckInMet)
            {
                html.Append("<label for=\"minutes\">Minutes you met</label><input id=\"minutes\" name=\"minutes\" type=\"number\" inputmode=\"numeric\" min=\"1\" max=\"")
                    .Append(ParticipantDesk.MaxMinutes.ToString(CultureInfo.InvariantCulture)).Append("\" step=\"1\" required");
                if (page.Minutes is { } minutes)
                {
                    html.Append(" value=\"").Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('"');
                }
                html.Append('>');
            }
            if (grant.Action == ParticipantAction.CheckInNeedHelp)
            {
                html.Append("<label for=\"help\">What would help? (optional)</label><textarea id=\"help\" name=\"help\" rows=\"4\" maxlength=\"")
                    .Append(ParticipantDesk.MaxHelpLength.ToString(CultureInfo.InvariantCulture)).Append("\"></textarea>");
            }
            if (grant.Action == ParticipantAction.Pause && page.PauseFrom is { } from && page.PauseTo is { } to)
            {
                html.Append("<label for=\"until\">Pause until</label><input id=\"until\" name=\"until\" type=\"date\" required min=\"").Append(Date(from))
                    .Append("\" max=\"").Append(Date(to)).Append("\" value=\"").Append(Date(page.PauseSuggested ?? from)).Append("\">");
            }
            // The typed value's button comes first: Enter in the field submits the form with its first submit button.
            html.Append("<p><button type=\"submit\" id=\"confirm\">").Append(E(ButtonLabel(grant.Action))).Append("</button></p>");
            if (grant.Action == ParticipantAction.CheckInMet)
            {
                html.Append("<p class=\"muted\">Or in one tap:</p><p class=\"choices\">");
                foreach (var choice in ParticipantLinks.MinuteChoices)
                {
                    var text = choice.ToString(CultureInfo.InvariantCulture);
                    html.Append("<button type=\"submit\" name=\"preset\" value=\"").Append(text).Append("\" formnovalidate>").Append(text).Append(" minutes</button>");
                }
                html.Append("</p>");
            }
            html.Append("</form>");
            html.Append("<p class=\"muted\">Nothing happens until you press the button; opening this page changed nothing.</p>");
        }
        html.Append("</main></body></html>");
        return html.ToString();
    }

    private static string ButtonLabel(ParticipantAction action) => action switch
    {
        ParticipantAction.CheckInMet => "Record our meeting",
        ParticipantAction.CheckInNotYet => "Record \"not yet\"",
        ParticipantAction.CheckInNeedHelp => "Ask the program team for help",
        ParticipantAction.Unsubscribe => "Unsubscribe",
        ParticipantAction.Pause => "Pause my emails",
        ParticipantAction.Withdraw => "Leave the program",
        _ => "Ask for a new partner",
    };

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
