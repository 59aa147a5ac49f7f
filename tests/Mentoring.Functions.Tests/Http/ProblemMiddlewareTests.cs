using System.Text.Json.Nodes;
using Mentoring.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Mentoring.Functions.Tests.Http;

/// <summary>
/// The worker middleware in the Functions pipeline: a real FunctionContext as the ASP.NET Core integration fills it
/// (its HttpContext under the integration's key), a function that throws, and the response the client gets.
/// </summary>
public sealed class ProblemMiddlewareTests
{
    private static (FunctionContext Context, HttpContext Http, MemoryStream Body) HttpInvocation()
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        var body = new MemoryStream();
        http.Response.Body = body;
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns("OpenWindow");
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.Items).Returns(new Dictionary<object, object> { ["HttpRequestContext"] = http });
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        return (context.Object, http, body);
    }

    private static JsonNode Problem(HttpContext http, MemoryStream body)
    {
        Assert.Equal("application/problem+json", http.Response.ContentType);
        return JsonNode.Parse(body.ToArray())!;
    }

    [Fact]
    public async Task An_unhandled_error_answers_the_servers_internal_error_problem_document()
    {
        var (context, http, body) = HttpInvocation();

        await new ProblemMiddleware(NullLogger<ProblemMiddleware>.Instance).Invoke(context, _ => throw new InvalidOperationException("Cosmos is down"));

        Assert.Equal(500, http.Response.StatusCode);
        var problem = Problem(http, body);
        Assert.Equal("urn:mentoring:problem:internal-error", (string?)problem["type"]);
        Assert.DoesNotContain("Cosmos", problem.ToJsonString(), StringComparison.Ordinal); // no internals leak to the client
    }

    [Fact]
    public async Task A_body_the_server_refused_while_reading_is_the_clients_4xx()
    {
        var (context, http, body) = HttpInvocation();

        await new ProblemMiddleware(NullLogger<ProblemMiddleware>.Instance).Invoke(context,
            _ => throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge));

        Assert.Equal(413, http.Response.StatusCode);
        Assert.Equal("urn:mentoring:problem:bad-request", (string?)Problem(http, body)["type"]);
    }

    [Fact]
    public async Task A_function_that_succeeds_is_left_alone()
    {
        var (context, http, body) = HttpInvocation();

        await new ProblemMiddleware(NullLogger<ProblemMiddleware>.Instance).Invoke(context, _ => Task.CompletedTask);

        Assert.Equal(200, http.Response.StatusCode);
        Assert.Equal(0, body.Length);
    }

    [Fact]
    public async Task A_non_http_function_keeps_its_exception_so_the_host_retries_it()
    {
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.Items).Returns(new Dictionary<object, object>());

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new ProblemMiddleware(NullLogger<ProblemMiddleware>.Instance).Invoke(context.Object, _ => throw new InvalidOperationException("queue item failed")));
    }
}
