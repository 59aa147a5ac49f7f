using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Mentoring.Functions.Http;

/// <summary>The OpenAPI document of the /api routes, as the embedded server serves it.</summary>
public sealed class ApiSurfaceFunctions(ApiSurface surface)
{
    [Function("OpenApiDocument")]
    public IActionResult OpenApi([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        ApiCall.Action(surface.WriteOpenApiAsync);
}
