using System.Buffers;
using System.Text.Json;
using Mentoring.Core.Common;
using Microsoft.AspNetCore.Http;

namespace Mentoring.Api.Http;

/// <summary>Reads request bodies strictly: size cap (413), content type (415), JSON that names the offending field (400).</summary>
public static class RequestBody
{
    public const int MaxBytes = 256 * 1024;

    /// <summary>The raw body (webhook signatures are computed over exactly these bytes).</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadRawAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }
        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and <= MaxBytes ? (int)request.ContentLength.Value : 4096);
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBytes)
            {
                throw TooLarge();
            }
        }
    }

    public static void RequireContentType(HttpRequest request, IReadOnlyList<string> accepted)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(accepted);
        var mediaType = MediaType(request.ContentType);
        if (mediaType is null || !accepted.Any(a => string.Equals(a, mediaType, StringComparison.OrdinalIgnoreCase)))
        {
            throw new RequestRejectedException(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                $"Send the body as {string.Join(" or ", accepted)}; got '{request.ContentType ?? "no Content-Type"}'.", "Content-Type");
        }
    }

    public static async Task<T> ReadJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken)
    {
        RequireContentType(request, ["application/json"]);
        var raw = await ReadRawAsync(request, cancellationToken);
        return ParseJson<T>(raw.Span);
    }

    /// <summary>Like <see cref="ReadJsonAsync{T}"/>, but null when the request has no body at all.</summary>
    public static async Task<T?> ReadOptionalJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.ContentLength is 0 || (request.ContentLength is null && request.ContentType is null)
            ? null
            : await ReadJsonAsync<T>(request, cancellationToken);
    }

    public static T ParseJson<T>(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            throw new ValidationFailedException("$", Rules.Required, "The request body is empty; a JSON object is expected.");
        }
        try
        {
            var body = JsonSerializer.Deserialize<T>(json, MentoringJson.Strict)
                ?? throw new ValidationFailedException("$", Rules.WrongType, "The body must be a JSON object, not null.");
            return NullFields.Find(body) is { Count: > 0 } nulls ? throw new ValidationFailedException(nulls) : body;
        }
        catch (JsonException e)
        {
            throw new ValidationFailedException(Describe(e));
        }
    }

    internal static IReadOnlyList<FieldError> Describe(JsonException e)
    {
        var field = FieldName(e.Path);
        var message = e.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var name = message.Split('\'') is { Length: > 2 } parts ? parts[1] : field;
            var path = field is "$" or "" ? name : $"{field}.{name}";
            if (e.Path is { } p && p.EndsWith(name, StringComparison.Ordinal))
            {
                path = field;
            }
            return [new FieldError(path, Rules.UnknownField, $"'{path}' is not a field of this request.")];
        }
        if (message.Contains("could not be converted", StringComparison.Ordinal) || message.Contains("The JSON value", StringComparison.Ordinal))
        {
            return [new FieldError(field, Rules.WrongType, $"'{field}' has the wrong type: {FirstSentence(message)}")];
        }
        return [new FieldError(field, Rules.InvalidJson, $"The body is not valid JSON near '{field}': {FirstSentence(message)}")];
    }

    private static string FieldName(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..(cut + 1)] : message;
    }

    private static string? MediaType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim();
    }

    private static RequestRejectedException TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, "payload-too-large", "Payload too large",
            $"The body is larger than {MaxBytes / 1024} KB.", "body");
}
