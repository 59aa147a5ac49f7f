using Mentoring.Api.Http;
using Mentoring.Core.Engagement.Surveys;
using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Endpoints;

/// <summary>
/// Public, authorised by the signed token in the URL. GET (and HEAD) shows the survey form and changes nothing (mail
/// link scanners open every link); the form POSTs (form-urlencoded) to the same URL. 200 form or thank-you page, 400 the
/// form again with the errors, 410 closed, 404 a link that is not valid or a survey that no longer exists.
/// </summary>
public static class SurveyEndpoints
{
    public static async Task<IResult> View(string token, HttpRequest request, SurveyDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(desk);
        return Page(await desk.ViewAsync(token, cancellationToken), request);
    }

    public static async Task<IResult> Submit(string token, HttpRequest request, SurveyDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(desk);
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            var form = await LinkForm.ReadAsync(request, cancellationToken);
            foreach (var (key, values) in form)
            {
                // A field sent twice (two radio values forged into one post) keeps the last one; validation judges it.
                answers[key] = values.Count > 0 ? values[^1] ?? "" : "";
            }
        }
        return Page(await desk.SubmitAsync(token, answers, cancellationToken), request);
    }

    private static IResult Page(SurveyPage page, HttpRequest request)
    {
        var status = page.Outcome switch
        {
            SurveyOutcome.Form or SurveyOutcome.Saved => StatusCodes.Status200OK,
            SurveyOutcome.Incomplete => StatusCodes.Status400BadRequest,
            SurveyOutcome.Closed => StatusCodes.Status410Gone,
            _ => StatusCodes.Status404NotFound,
        };
        return LinkPage.Html(request, SurveyPageView.Render(page, request.Path), status);
    }
}
