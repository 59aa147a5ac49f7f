using Mentoring.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Mentoring.Functions.Http;

/// <summary>
/// Runs one of the shared /api handlers from an HTTP trigger. The handlers return ASP.NET Core <see cref="IResult"/>s;
/// the Functions ASP.NET Core integration executes <see cref="IActionResult"/>s, so the result is wrapped, and domain
/// errors become the same problem documents the embedded server sends. A body the server refuses while it is read
/// (<see cref="BadHttpRequestException"/>: cut short, over the limit) is the client's doing, a 4xx, as the embedded
/// server's exception handler answers it; anything else stays a 500 for the Functions host to log.
/// </summary>
internal static class ApiCall
{
    public static async Task<IActionResult> RunAsync(Func<Task<IResult>> handler)
    {
        try
        {
            return new ResultAction(await Problems.Catch(handler));
        }
        catch (BadHttpRequestException bad)
        {
            return new ResultAction(Problems.Problem(bad.StatusCode, "bad-request", "Bad request", bad.Message));
        }
    }

    /// <summary>An action result that writes the response itself.</summary>
    public static IActionResult Action(Func<HttpContext, Task> write) => new WriteAction(write);

    private sealed class WriteAction(Func<HttpContext, Task> write) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            return write(context.HttpContext);
        }
    }

    private sealed class ResultAction(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            return result.ExecuteAsync(context.HttpContext);
        }
    }
}
