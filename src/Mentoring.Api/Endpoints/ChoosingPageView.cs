using System.Globalization;
using System.Net;
using System.Text;
using Mentoring.Api.Http;
using Mentoring.Core.Choosing;
using Mentoring.Core.Questionnaires;

namespace Mentoring.Api.Endpoints;

/// <summary>The pages of user-led pairing: a person's suggestions with ordered picks, and one request to accept or decline.</summary>
public static class ChoosingPageView
{
    /// <summary>The most pick fields a form may carry (the program's maxPicks is at most this).</summary>
    public const int MaxPickFields = 10;

    private const string Css =
        "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f4f5f7;color:#1f2328}"
        + "main{max-width:640px;margin:0 auto;padding:24px 16px}h1{font-size:1.5rem}.muted{color:#57606a}"
        + ".card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:12px 14px;margin:0 0 12px;overflow-wrap:anywhere}"
        + ".card h2{font-size:1.1rem;margin:0 0 4px}.card ul{margin:6px 0 0;padding-left:20px}"
        + "label{display:block;margin:12px 0 6px;font-weight:600}select{font:inherit;font-size:1.05rem;padding:10px;width:100%;box-sizing:border-box}"
        + ".check{font-weight:400;display:flex;gap:8px;align-items:flex-start}.check input{width:auto;margin-top:4px}"
        + "button{font-size:1.05rem;padding:14px 20px;border:0;border-radius:6px;background:#1a7f37;color:#fff;width:100%;cursor:pointer;margin:8px 0}"
        + "button.secondary{background:#fff;color:#0969da;border:2px solid #0969da}button.danger{background:#fff;color:#cf222e;border:2px solid #cf222e}"
        + ".warn{background:#fff8c5;border-radius:6px;padding:10px}.role{font-weight:600;color:#8250df;margin:0 0 4px}";

    public static string Choice(ChoicePage page, string postUrl)
    {
        ArgumentNullException.ThrowIfNull(page);
        var html = new StringBuilder();
        LinkPage.AppendHead(html, Title(page.Outcome, page.Role switch
        {
            Core.Windows.ChooserRole.Mentee => "Choose your mentor",
            Core.Windows.ChooserRole.Mentor => "Choose whom to mentor",
            _ => "Choose your partner",
        }), Css);
        Context(html, page.ProgramName, page.ParticipantName);
        Message(html, page.Outcome, page.Message);
        if (page.Outcome is ChoosingOutcome.Confirm or ChoosingOutcome.Incomplete)
        {
            html.Append("<form method=\"post\" action=\"").Append(E(postUrl)).Append("\">");
            if (page.Suggestions.Count > 0)
            {
                foreach (var s in page.Suggestions)
                {
                    html.Append("<div class=\"card\" data-suggestion=\"").Append(E(s.ParticipantId)).Append("\"><h2>").Append(E(s.Name)).Append("</h2>");
                    if (s.Role is { } role)
                    {
                        html.Append("<div class=\"role\">").Append(role == BuiltInQuestions.RoleOptions.Mentor ? "Could be your mentor" : "A mentee you could mentor").Append("</div>");
                    }
                    foreach (var detail in s.Details)
                    {
                        html.Append("<div class=\"muted\">").Append(E(detail)).Append("</div>");
                    }
                    if (s.Reasons.Count > 0)
                    {
                        html.Append("<ul>");
                        foreach (var reason in s.Reasons)
                        {
                            html.Append("<li>").Append(E(reason)).Append("</li>");
                        }
                        html.Append("</ul>");
                    }
                    html.Append("</div>");
                }
                var picks = Math.Min(Math.Min(page.MaxPicks, page.Suggestions.Count), MaxPickFields);
                for (var i = 1; i <= picks; i++)
                {
                    var id = "pick" + i.ToString(CultureInfo.InvariantCulture);
                    html.Append("<label for=\"").Append(id).Append("\">").Append(Ordinal(i)).Append(" choice</label><select id=\"").Append(id)
                        .Append("\" name=\"").Append(id).Append("\"><option value=\"\">Nobody</option>");
                    foreach (var s in page.Suggestions)
                    {
                        html.Append("<option value=\"").Append(E(s.ParticipantId)).Append("\">").Append(E(s.Name))
                            .Append(s.Role is { } role ? $" ({(role == BuiltInQuestions.RoleOptions.Mentor ? "your mentor" : "a mentee")})" : "").Append("</option>");
                    }
                    html.Append("</select>");
                }
                html.Append("<label class=\"check\"><input type=\"checkbox\" name=\"fallback\" value=\"yes\" checked> If none of my picks works out, match me with someone who fits.</label>");
                html.Append("<button type=\"submit\" id=\"send\">Send my choice</button>");
            }
            html.Append("<button type=\"submit\" name=\"auto\" value=\"yes\" class=\"secondary\" id=\"auto\">Match me automatically</button>");
            html.Append("</form><p class=\"muted\">Nothing happens until you press a button; opening this page changed nothing. Nobody sees your email address.</p>");
        }
        return html.Append("</main></body></html>").ToString();
    }

    public static string Request(RequestPage page, string postUrl)
    {
        ArgumentNullException.ThrowIfNull(page);
        var html = new StringBuilder();
        LinkPage.AppendHead(html, Title(page.Outcome, page.FromName is not { } from ? "A pairing request"
            : page.FromRole is null ? $"{from} would like to pair with you" : ChoosingMail.RequestWish(from, page.FromRole)), Css);
        Context(html, page.ProgramName, page.ParticipantName);
        Message(html, page.Outcome, page.Message);
        if (page.Outcome is ChoosingOutcome.Confirm or ChoosingOutcome.Incomplete)
        {
            if (page.Reasons.Count > 0)
            {
                html.Append("<div class=\"card\"><h2>What you have in common</h2><ul>");
                foreach (var reason in page.Reasons)
                {
                    html.Append("<li>").Append(E(reason)).Append("</li>");
                }
                html.Append("</ul></div>");
            }
            html.Append("<form method=\"post\" action=\"").Append(E(postUrl)).Append("\">")
                .Append("<button type=\"submit\" name=\"answer\" value=\"accept\" id=\"accept\">Accept</button>")
                .Append("<button type=\"submit\" name=\"answer\" value=\"decline\" class=\"danger\" id=\"decline\">Decline</button></form>")
                .Append("<p class=\"muted\">Your answer is private: a decline is never told to the person who asked.</p>");
        }
        return html.Append("</main></body></html>").ToString();
    }

    private static string Title(ChoosingOutcome outcome, string confirm) => outcome switch
    {
        ChoosingOutcome.Confirm or ChoosingOutcome.Incomplete => confirm,
        ChoosingOutcome.Applied => "Done",
        ChoosingOutcome.AlreadyDone => "Already done",
        ChoosingOutcome.Closed => "This has moved on",
        ChoosingOutcome.Expired => "This link has expired",
        _ => "This link is not valid",
    };

    private static void Context(StringBuilder html, string? program, string? participant)
    {
        if (program is not null)
        {
            html.Append("<p class=\"muted\">").Append(E(program));
            if (participant is not null)
            {
                html.Append(" &middot; ").Append(E(participant));
            }
            html.Append("</p>");
        }
    }

    private static void Message(StringBuilder html, ChoosingOutcome outcome, string message) =>
        html.Append("<p id=\"message\"").Append(outcome == ChoosingOutcome.Incomplete ? " class=\"warn\"" : "").Append('>').Append(E(message)).Append("</p>");

    private static string Ordinal(int i) => i switch
    {
        1 => "First",
        2 => "Second",
        3 => "Third",
        _ => i.ToString(CultureInfo.InvariantCulture) + "th",
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
