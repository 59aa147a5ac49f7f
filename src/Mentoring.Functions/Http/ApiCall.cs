using Mentoring.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Mentoring.Functions.Http;

/// <summary>
/// Runs one of the shared /api handlers from an HTTP trigger. The handlers return ASP.NET Core <see cref="IResult"/>s;
/// the Functions ASP.NET Core integration executes <see cref="IActionResult"/>s, so the result is wrapped, and domain
/// errors become the same problem documents the embedded server sends.
/// </summary>
internal static class ApiCall
{
    public static async Task<IActionResult> RunAsync(Func<Task<IResult>> handler) => new ResultAction(await Problems.Catch(handler));

    private sealed class ResultAction(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            return result.ExecuteAsync(context.HttpContext);
        }
    }
}
