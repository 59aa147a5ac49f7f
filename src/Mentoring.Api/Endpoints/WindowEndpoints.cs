using Mentoring.Api.Http;
using Mentoring.Core.Windows;
using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Endpoints;

/// <summary>Admin: open, close, cancel and inspect matching windows.</summary>
public static class WindowEndpoints
{
    /// <summary>Who the API acts for; the admin key identifies a deployment, not a person.</summary>
    private const string ApiActor = "admin (API)";

    public sealed record OpenWindowBody
    {
        /// <summary>When registration for this window closes; omit to close now and draft at once.</summary>
        public DateTimeOffset? ClosesAt { get; init; }
    }

    public sealed record CancelWindowBody
    {
        public string? Reason { get; init; }
    }

    public static async Task<IResult> Open(string programId, HttpRequest request, WindowDesk desk, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadOptionalJsonAsync<OpenWindowBody>(request, cancellationToken) ?? new OpenWindowBody();
        var (view, created) = await desk.OpenAsync(programId, body.ClosesAt, cancellationToken);
        var location = $"/api/programs/{programId}/windows/{view.State.WindowId}";
        return created ? Results.Created(location, view) : Results.Ok(view);
    }

    public static async Task<IResult> Close(string programId, string windowId, WindowDesk desk, CancellationToken cancellationToken) =>
        Results.Ok(await desk.CloseAsync(programId, windowId, ApiActor, cancellationToken));

    public static async Task<IResult> Cancel(string programId, string windowId, HttpRequest request, WindowDesk desk, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadOptionalJsonAsync<CancelWindowBody>(request, cancellationToken);
        return Results.Ok(await desk.CancelAsync(programId, windowId, ApiActor, body?.Reason, cancellationToken));
    }

    public static async Task<IResult> Get(string programId, string windowId, WindowDesk desk, CancellationToken cancellationToken) =>
        Results.Ok(await desk.GetAsync(programId, windowId, cancellationToken));

    public static async Task<IResult> List(string programId, WindowDesk desk, CancellationToken cancellationToken) =>
        Results.Ok(await desk.ListAsync(programId, cancellationToken));
}
