using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Http;

/// <summary>The HTML pages behind links in mails: never cached, and no referrer (the token is in the URL).</summary>
internal static class LinkPage
{
    public static IResult Html(HttpRequest request, string html, int statusCode)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        request.HttpContext.Response.Headers["Referrer-Policy"] = "no-referrer";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: statusCode);
    }
}
