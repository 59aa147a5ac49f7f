using Mentoring.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace Mentoring.Functions.Http;

/// <summary>
/// Worker middleware: an HTTP function that throws answers the embedded server's problem document (500
/// <c>internal-error</c>, or 4xx for a request the server refused while reading it), not the host's empty 500.
/// The exception is logged first. Non-HTTP functions keep throwing, so the host retries them.
/// </summary>
public sealed class ProblemMiddleware(ILogger<ProblemMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context);
        }
        catch (Exception error) when (context.GetHttpContext() is { } http && !http.Response.HasStarted)
        {
            logger.LogError(error, "Function {Function} failed; it answered with a problem document.", context.FunctionDefinition.Name);
            var problem = Unwrap(error) is BadHttpRequestException bad
                ? Problems.Problem(bad.StatusCode, "bad-request", "Bad request", bad.Message)
                : Problems.Unhandled();
            await problem.ExecuteAsync(http);
        }
    }

    private static Exception Unwrap(Exception error) => error is AggregateException { InnerException: { } inner } ? inner : error;
}
