using Mentoring.Core.Common;
using Mentoring.Core.Registration;
using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Http;

/// <summary>RFC 7807 problem documents for everything a client can get wrong. Each names the field and the rule.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static IResult For(DomainException exception) => exception switch
    {
        ValidationFailedException v => Validation(v.Errors),
        NotFoundException => Problem(StatusCodes.Status404NotFound, "not-found", "Not found", exception.Message),
        ConflictException => Problem(StatusCodes.Status409Conflict, "conflict", "Conflict", exception.Message),
        StaleETagException => Problem(StatusCodes.Status412PreconditionFailed, "stale-etag", "Precondition failed", exception.Message),
        AuthenticationFailedException => Problem(StatusCodes.Status401Unauthorized, "unauthenticated", "Unauthenticated", exception.Message),
        UnsupportedContentTypeException => Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type", exception.Message, "Content-Type"),
        RequestRejectedException r => Problem(r.StatusCode, r.Rule, r.Title, exception.Message, r.Field),
        _ => Problem(StatusCodes.Status400BadRequest, "bad-request", "Bad request", exception.Message),
    };

    public static IResult Validation(IReadOnlyList<FieldError> errors) =>
        Results.Json(new
        {
            type = TypeUri("validation-failed"),
            title = "The request is invalid",
            status = StatusCodes.Status400BadRequest,
            detail = errors.Count == 1 ? errors[0].Detail : $"{errors.Count} fields are invalid: " + string.Join(" ", errors.Select(e => e.Detail)),
            errors = errors.Select(e => new { field = e.Field, rule = e.Rule, detail = e.Detail }),
        }, contentType: ContentType, statusCode: StatusCodes.Status400BadRequest);

    public static IResult Problem(int status, string rule, string title, string detail, string? field = null) =>
        Results.Json(new
        {
            type = TypeUri(rule),
            title,
            status,
            detail,
            errors = field is null ? null : new[] { new { field, rule, detail } },
        }, contentType: ContentType, statusCode: status);

    /// <summary>An error on our side: the same document on both hosts, with no internals (they are logged).</summary>
    public static IResult Unhandled() =>
        Problem(StatusCodes.Status500InternalServerError, "internal-error", "Internal error", "Something went wrong on our side; it has been logged.");

    private static string TypeUri(string rule) => $"urn:mentoring:problem:{rule}";

    /// <summary>Runs a handler and turns the client's mistakes into problem documents (for hosts without the endpoint filter).</summary>
    public static async Task<IResult> Catch(Func<Task<IResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        try
        {
            return await handler();
        }
        catch (DomainException e)
        {
            return For(e);
        }
    }
}

/// <summary>A request refused before it reached the domain: wrong content type, too large, missing precondition.</summary>
public sealed class RequestRejectedException(int statusCode, string rule, string title, string message, string? field = null)
    : DomainException(message)
{
    public int StatusCode { get; } = statusCode;
    public string Rule { get; } = rule;
    public string Title { get; } = title;
    public string? Field { get; } = field;
}

/// <summary>Endpoint filter mapping <see cref="DomainException"/> to problem documents.</summary>
public sealed class DomainExceptionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (DomainException e)
        {
            return Problems.For(e);
        }
    }
}
