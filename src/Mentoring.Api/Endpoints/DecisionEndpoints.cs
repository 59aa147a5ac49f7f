using Mentoring.Api.Http;
using Mentoring.Core.Decisions;
using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Endpoints;

/// <summary>
/// Public, authorised by the signed token in the URL. GET (and HEAD) only shows a confirmation page, because mail link
/// scanners open every link; the page's form POSTs to the same URL, which applies the decision.
/// </summary>
public static class DecisionEndpoints
{
    public static async Task<IResult> Review(string token, HttpRequest request, DecisionDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Page(await desk.ReviewAsync(token, cancellationToken), request);
    }

    public static async Task<IResult> Decide(string token, HttpRequest request, DecisionDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var form = await LinkForm.ReadAsync(request, cancellationToken);
        var reason = request.HasFormContentType ? form["reason"].ToString() : null;
        return Page(await desk.DecideAsync(token, reason, cancellationToken), request);
    }

    private static IResult Page(DecisionPage page, HttpRequest request)
    {
        var status = page.Outcome switch
        {
            DecisionOutcome.Confirm or DecisionOutcome.Applied => StatusCodes.Status200OK,
            DecisionOutcome.Incomplete => StatusCodes.Status400BadRequest,
            DecisionOutcome.AlreadyDecided or DecisionOutcome.Stale => StatusCodes.Status409Conflict,
            DecisionOutcome.Expired => StatusCodes.Status410Gone,
            _ => StatusCodes.Status403Forbidden,
        };
        return LinkPage.Html(request, DecisionPageView.Render(page, request.Path), status);
    }
}
