using System.Text.Json.Nodes;
using Mentoring.Functions.Http;
using Mentoring.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Mentoring.Functions.Tests.Http;

/// <summary>The Functions app's <c>/api/openapi.json</c> is the document the embedded server serves.</summary>
public sealed class OpenApiParityTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mentoring-openapi-parity", Guid.NewGuid().ToString("n"));

    /// <summary>The real embedded server (any public type of its assembly names it; both apps have a Program).</summary>
    private sealed class EmbeddedServer(string folder) : WebApplicationFactory<EmbeddedHostOptions>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Mentoring:DatabasePath", Path.Combine(folder, "mentoring.db"));
            builder.UseSetting("Mentoring:AdminKeys", "parity-test-key");
            builder.UseEnvironment("Production"); // as deployed: no development-only pages
        }
    }

    [Fact]
    public async Task The_functions_app_serves_the_same_openapi_document_as_the_embedded_server()
    {
        using var server = new EmbeddedServer(_folder);
        var served = JsonNode.Parse(await server.CreateClient().GetStringAsync(ApiSurface.OpenApiPath))!;

        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost");
        context.Request.Path = ApiSurface.OpenApiPath;
        context.Request.Method = "GET";
        using var body = new MemoryStream();
        context.Response.Body = body;
        await new ApiSurface().WriteOpenApiAsync(context);
        var functions = JsonNode.Parse(body.ToArray())!;

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.True(functions["paths"]!.AsObject().Count >= 20, functions.ToJsonString());
        Assert.True(JsonNode.DeepEquals(served, functions), $"Server:{Environment.NewLine}{served}{Environment.NewLine}Functions:{Environment.NewLine}{functions}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // the folder was never created, or SQLite still holds it: the OS cleans temp
        }
    }
}
