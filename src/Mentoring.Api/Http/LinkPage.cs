using System.Net;
using System.Text;
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

    /// <summary>The page's head with <paramref name="css"/>, then the opening of its body up to the title heading.</summary>
    public static void AppendHead(StringBuilder html, string title, string css)
    {
        var encoded = WebUtility.HtmlEncode(title);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"robots\" content=\"noindex\"><title>").Append(encoded).Append("</title><style>")
            .Append(css)
            .Append("</style></head><body><main><h1>").Append(encoded).Append("</h1>");
    }
}
