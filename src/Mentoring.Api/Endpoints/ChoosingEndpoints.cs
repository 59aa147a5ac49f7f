using Mentoring.Api.Http;
using Mentoring.Core.Choosing;
using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Endpoints;

/// <summary>
/// User-led pairing behind signed links: <c>/api/choose/{token}</c> (a person's suggestions; POST sends the picks) and
/// <c>/api/pair-requests/{token}</c> (one request; POST accepts or declines). GET and HEAD change nothing.
/// </summary>
public static class ChoosingEndpoints
{
    public static async Task<IResult> ViewChoice(string token, HttpRequest request, ChoosingDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(desk);
        var page = await desk.ViewChoiceAsync(token, cancellationToken);
        return Page(request, page.Outcome, ChoosingPageView.Choice(page, request.Path));
    }

    public static async Task<IResult> Choose(string token, HttpRequest request, ChoosingDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(desk);
        var picks = new List<string>();
        var fallback = true;
        if (request.HasFormContentType)
        {
            var form = await LinkForm.ReadAsync(request, cancellationToken);
            // "Match me automatically" sends no picks; otherwise pick1..pickN in order, and the fallback checkbox.
            if (form["auto"].ToString().Length == 0)
            {
                for (var i = 1; i <= ChoosingPageView.MaxPickFields; i++)
                {
                    picks.Add(form[$"pick{i}"].ToString());
                }
                fallback = form["fallback"].ToString().Length > 0;
            }
        }
        var page = await desk.ChooseAsync(token, picks, fallback, cancellationToken);
        return Page(request, page.Outcome, ChoosingPageView.Choice(page, request.Path));
    }

    public static async Task<IResult> ViewRequest(string token, HttpRequest request, ChoosingDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(desk);
        var page = await desk.ViewRequestAsync(token, cancellationToken);
        return Page(request, page.Outcome, ChoosingPageView.Request(page, request.Path));
    }

    public static async Task<IResult> Answer(string token, HttpRequest request, ChoosingDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(desk);
        bool? accept = null;
        if (request.HasFormContentType)
        {
            accept = (await LinkForm.ReadAsync(request, cancellationToken))["answer"].ToString() switch
            {
                "accept" => true,
                "decline" => false,
                _ => null,
            };
        }
        var page = await desk.AnswerAsync(token, accept, cancellationToken);
        return Page(request, page.Outcome, ChoosingPageView.Request(page, request.Path));
    }

    private static IResult Page(HttpRequest request, ChoosingOutcome outcome, string html) => LinkPage.Html(request, html, outcome switch
    {
        ChoosingOutcome.Confirm or ChoosingOutcome.Applied or ChoosingOutcome.AlreadyDone => StatusCodes.Status200OK,
        ChoosingOutcome.Incomplete => StatusCodes.Status400BadRequest,
        ChoosingOutcome.Closed => StatusCodes.Status409Conflict,
        ChoosingOutcome.Expired => StatusCodes.Status410Gone,
        _ => StatusCodes.Status403Forbidden,
    });
}
