using Mentoring.Api.Http;
using Mentoring.Core.Engagement.Participation;
using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Endpoints;

/// <summary>
/// Participants' one-click links, public and authorised by the signed token in the URL. GET (and HEAD) only shows a
/// confirmation page, because mail link scanners open every link; the page's form POSTs to the same URL, which applies
/// it. A POST of <c>List-Unsubscribe=One-Click</c> (RFC 8058, sent by mail clients) to an unsubscribe URL unsubscribes at once.
/// </summary>
public static class ParticipantLinkEndpoints
{
    public static async Task<IResult> Review(string token, HttpRequest request, ParticipantDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Page(await desk.ReviewAsync(token, cancellationToken), request);
    }

    public static async Task<IResult> Apply(string token, HttpRequest request, ParticipantDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var form = ParticipantForm.Empty;
        if (request.HasFormContentType)
        {
            var fields = await LinkForm.ReadAsync(request, cancellationToken);
            // The page's 30/60/90 buttons send "preset"; the number field sends "minutes". A pressed button wins.
            var minutes = fields["preset"].ToString() is { Length: > 0 } preset ? preset : fields["minutes"].ToString();
            form = new ParticipantForm(
                minutes.Length > 0 ? minutes : null,
                fields.TryGetValue("until", out var until) ? until.ToString() : null,
                string.Equals(fields[ListUnsubscribe.Header].ToString(), "One-Click", StringComparison.OrdinalIgnoreCase),
                fields.TryGetValue("help", out var help) ? help.ToString() : null);
        }
        return Page(await desk.ApplyAsync(token, form, cancellationToken), request);
    }

    private static IResult Page(ParticipantPage page, HttpRequest request)
    {
        var status = page.Outcome switch
        {
            ParticipantLinkOutcome.Confirm or ParticipantLinkOutcome.Applied or ParticipantLinkOutcome.AlreadyDone => StatusCodes.Status200OK,
            ParticipantLinkOutcome.Incomplete => StatusCodes.Status400BadRequest,
            ParticipantLinkOutcome.Closed => StatusCodes.Status409Conflict,
            ParticipantLinkOutcome.Expired => StatusCodes.Status410Gone,
            _ => StatusCodes.Status403Forbidden,
        };
        return LinkPage.Html(request, ParticipantLinkPageView.Render(page, request.Path), status);
    }
}
