using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mentoring.Api.Dashboard;

/// <summary>
/// Renders a Razor component to an HTML string (static rendering: no circuit, no script), so a handler returns the same
/// page on the embedded server and on Azure Functions. Every value a component writes is HTML-encoded by Razor.
/// </summary>
internal static class PageRenderer
{
    // The pages take everything through parameters; the renderer itself only needs logging.
    private static readonly ServiceProvider RendererServices = new ServiceCollection().AddLogging().BuildServiceProvider();

    public static async Task<string> RenderAsync<TComponent>(object model) where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(RendererServices, RendererServices.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(new Dictionary<string, object?> { ["Model"] = model }));
            return output.ToHtmlString();
        });
    }

    /// <summary>A dashboard page: never cached (it shows personal data), never framed, no referrer, no script.</summary>
    public static async Task<IResult> PageAsync<TComponent>(HttpRequest request, object model, int statusCode = StatusCodes.Status200OK)
        where TComponent : IComponent
    {
        ArgumentNullException.ThrowIfNull(request);
        var html = await RenderAsync<TComponent>(model);
        NoStore(request.HttpContext.Response);
        return Results.Content(html, "text/html; charset=utf-8", statusCode: statusCode);
    }

    public static void NoStore(HttpResponse response)
    {
        var headers = response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }
}
