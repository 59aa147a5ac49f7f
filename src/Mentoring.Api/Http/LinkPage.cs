using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Http;

/// <summary>The HTML pages behind links in mails: never cached, no referrer (the token is in the URL), never framed, no script.</summary>
internal static class LinkPage
{
    public static IResult Html(HttpRequest request, string html, int statusCode)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        // The pages carry their own <style> and no script at all; their forms post back to this host; nobody may frame them.
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
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
