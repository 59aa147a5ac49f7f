using System.Globalization;
using System.Net;
using System.Text;
using Mentoring.Api.Http;
using Mentoring.Core.Engagement.Surveys;
using Mentoring.Core.Programs;

namespace Mentoring.Api.Endpoints;

/// <summary>
/// The small HTML page behind a survey link: the form, the thank-you page, or why the survey cannot be answered.
/// Accessible: one fieldset and legend per question, real labels, an error summary (role="alert") linking to the
/// questions in error, aria-invalid and aria-describedby on them, large tap targets, no script.
/// </summary>
public static class SurveyPageView
{
    public static string Render(SurveyPage page, string postUrl)
    {
        ArgumentNullException.ThrowIfNull(page);
        var title = page.Outcome switch
        {
            SurveyOutcome.Form or SurveyOutcome.Incomplete => page.Survey?.Title ?? "Survey",
            SurveyOutcome.Saved => "Thank you",
            SurveyOutcome.Closed => "This survey has closed",
            _ => "This link is not valid",
        };
        var html = new StringBuilder();
        LinkPage.AppendHead(html, title,
            "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f4f5f7;color:#1f2328;line-height:1.5}"
            + "main{max-width:600px;margin:0 auto;padding:24px 16px}h1{font-size:1.5rem}.muted{color:#57606a}"
            + "fieldset{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:12px 16px;margin:0 0 16px}"
            + "legend{font-weight:600;padding:0 4px}fieldset.error{border:2px solid #cf222e}.error-text{color:#cf222e;font-weight:600;margin:4px 0}"
            + ".choice{display:flex;align-items:center;gap:10px;min-height:44px}.choice input{width:24px;height:24px;margin:0}"
            + ".scale input{width:24px;height:24px;margin:0 0 2px}"
            + ".scale{display:flex;flex-wrap:wrap;gap:6px}.scale label{display:flex;flex-direction:column;align-items:center;min-width:44px;min-height:44px}"
            + "textarea{width:100%;min-height:110px;font:inherit;box-sizing:border-box}"
            + "button{font-size:1.05rem;padding:14px 20px;border:0;border-radius:6px;background:#1a7f37;color:#fff;width:100%;cursor:pointer}"
            + ".summary{background:#ffebe9;border:2px solid #cf222e;border-radius:6px;padding:10px 14px;margin:0 0 16px}.summary a{color:#82071e}"
            + ".ok{background:#dafbe1;border-radius:6px;padding:10px 14px}:focus-visible{outline:3px solid #0969da;outline-offset:2px}");
        if (page.Program is { } program)
        {
            html.Append("<p class=\"muted\">").Append(E(program.Name)).Append("</p>");
        }

        if (page.Outcome == SurveyOutcome.Incomplete && page.Errors.Count > 0)
        {
            html.Append("<div class=\"summary\" role=\"alert\" id=\"message\"><p><strong>Please check your answers</strong></p><ul>");
            foreach (var error in page.Errors)
            {
                html.Append("<li><a href=\"#q-").Append(E(error.Field)).Append("\">").Append(E(error.Detail)).Append("</a></li>");
            }
            html.Append("</ul></div>");
        }
        else
        {
            html.Append("<p id=\"message\"").Append(page.Outcome == SurveyOutcome.Saved ? " class=\"ok\" role=\"status\"" : "").Append('>')
                .Append(E(page.Message)).Append("</p>");
        }

        if (page.Outcome is SurveyOutcome.Form or SurveyOutcome.Incomplete && page.Survey is { } survey)
        {
            AppendForm(html, page, survey, postUrl);
        }
        else if (page.Outcome == SurveyOutcome.Saved)
        {
            html.Append("<p><a href=\"").Append(E(postUrl)).Append("\">Change my answers</a></p>");
        }
        html.Append("</main></body></html>");
        return html.ToString();
    }

    private static void AppendForm(StringBuilder html, SurveyPage page, SurveyDefinition survey, string postUrl)
    {
        html.Append("<form method=\"post\" action=\"").Append(E(postUrl)).Append("\" novalidate>");
        foreach (var question in survey.Questions)
        {
            var id = "q-" + question.Key;
            var error = page.Errors.FirstOrDefault(e => e.Field == question.Key);
            var value = page.Values.TryGetValue(question.Key, out var v) ? v : "";
            html.Append("<fieldset id=\"").Append(E(id)).Append('"');
            if (error is not null)
            {
                html.Append(" class=\"error\" aria-invalid=\"true\" aria-describedby=\"").Append(E(id)).Append("-error\"");
            }
            html.Append("><legend>").Append(E(question.Text));
            if (question.Required)
            {
                html.Append(" <span aria-hidden=\"true\">*</span><span class=\"muted\" style=\"font-weight:400\"> (required)</span>");
            }
            html.Append("</legend>");
            if (error is not null)
            {
                html.Append("<p class=\"error-text\" id=\"").Append(E(id)).Append("-error\">").Append(E(error.Detail)).Append("</p>");
            }
            switch (question.Type)
            {
                case SurveyQuestionType.SingleChoice:
                    for (var i = 0; i < question.Options.Count; i++)
                    {
                        AppendRadio(html, question, question.Options[i], question.Options[i], Inv($"{id}-{i}"), value, "choice");
                    }
                    break;
                case SurveyQuestionType.Nps:
                    html.Append("<p class=\"muted\" id=\"").Append(E(id)).Append("-hint\">0 = not at all likely, 10 = extremely likely</p><div class=\"scale\">");
                    for (var score = 0; score <= 10; score++)
                    {
                        var text = score.ToString(CultureInfo.InvariantCulture);
                        AppendRadio(html, question, text, text, $"{id}-{text}", value, null);
                    }
                    html.Append("</div>");
                    break;
                default:
                    html.Append("<label for=\"").Append(E(id)).Append("-text\" class=\"muted\">Your answer").Append(question.Required ? "" : " (optional)")
                        .Append("</label><textarea id=\"").Append(E(id)).Append("-text\" name=\"").Append(E(question.Key))
                        .Append("\" maxlength=\"").Append(SurveyDesk.MaxTextLength.ToString(CultureInfo.InvariantCulture)).Append('"')
                        .Append(question.Required ? " required aria-required=\"true\"" : "").Append('>').Append(E(value)).Append("</textarea>");
                    break;
            }
            html.Append("</fieldset>");
        }
        html.Append("<p><button type=\"submit\" id=\"submit\">").Append(page.Record?.RespondedAt is null ? "Send my answers" : "Update my answers")
            .Append("</button></p></form>")
            .Append("<p class=\"muted\">Your answers go to the organisers of this program. Opening this page changed nothing.</p>");
    }

    private static void AppendRadio(StringBuilder html, SurveyQuestion question, string optionValue, string label, string id, string current, string? cssClass)
    {
        html.Append("<label").Append(cssClass is null ? "" : " class=\"" + cssClass + "\"").Append(" for=\"").Append(E(id)).Append("\">")
            .Append("<input type=\"radio\" id=\"").Append(E(id)).Append("\" name=\"").Append(E(question.Key)).Append("\" value=\"").Append(E(optionValue)).Append('"')
            .Append(string.Equals(current, optionValue, StringComparison.Ordinal) ? " checked" : "")
            .Append(question.Required ? " required" : "").Append("> <span>").Append(E(label)).Append("</span></label>");
    }

    private static string Inv(FormattableString text) => FormattableString.Invariant(text);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
