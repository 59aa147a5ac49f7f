using Mentoring.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mentoring.Functions.Http;

/// <summary>
/// The embedded server's /api surface, mapped (never started) from the same <see cref="MentoringApi.MapMentoringApi"/>
/// and OpenAPI setup (<see cref="DependencyInjection.AddMentoringOpenApi"/>), so the Functions app serves the same OpenAPI
/// document: the same generator over the same endpoints.
/// </summary>
public sealed class ApiSurface
{
    public const string OpenApiPath = "/api/openapi.json";

    private readonly WebApplication _app;
    private readonly IReadOnlyList<RouteEndpoint> _endpoints;

    public ApiSurface()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddMentoringApi(builder.Configuration);
        builder.Services.AddMentoringOpenApi();
        _app = builder.Build();
        _app.UseRouting();
        _app.MapMentoringApi();
        _app.MapOpenApi(OpenApiPath);
        // Starting the app would hand its endpoints to routing (which the document generator reads); it never starts.
        _app.UseEndpoints(_ => { });
        _endpoints = [.. ((IEndpointRouteBuilder)_app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()];
    }

    /// <summary>Writes the OpenAPI document the embedded server serves, for this request's scheme and host.</summary>
    public async Task WriteOpenApiAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = _endpoints.Single(e => e.RoutePattern.RawText == OpenApiPath);
        var services = context.RequestServices;
        context.RequestServices = _app.Services; // the document generator lives in the surface's container
        try
        {
            await endpoint.RequestDelegate!(context);
        }
        finally
        {
            context.RequestServices = services;
        }
    }
}
