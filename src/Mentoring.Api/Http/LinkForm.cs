using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mentoring.Api.Http;

/// <summary>
/// Reads the small forms the link pages post (a reason, minutes, a date, survey answers) under tight limits. Anyone can
/// post to a token URL, so a broken or oversized form is refused as a problem document (400, or 413 for size) before
/// it costs more than a few kilobytes, and it never reaches the handler as an exception.
/// </summary>
public static class LinkForm
{
    public const int MaxBytes = 64 * 1024;
    public const int MaxFields = 64;
    public const int MaxKeyLength = 200;
    public const int MaxValueLength = 8 * 1024;

    private static readonly FormOptions Limits = new()
    {
        BufferBody = false,
        MemoryBufferThreshold = MaxBytes,
        ValueCountLimit = MaxFields,
        KeyLengthLimit = MaxKeyLength,
        ValueLengthLimit = MaxValueLength,
        MultipartBodyLengthLimit = MaxBytes,
        MultipartHeadersCountLimit = 8,
        MultipartHeadersLengthLimit = 2 * 1024,
        MultipartBoundaryLengthLimit = 70,
    };

    /// <summary>The posted fields, or an empty form when the body is not a form at all.</summary>
    public static async Task<IFormCollection> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasFormContentType)
        {
            return FormCollection.Empty;
        }

        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(Limits, cancellationToken);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            // Too many fields, a key or value too long, a body too long: all a question of size.
            throw TooLarge();
        }
        catch (InvalidDataException e)
        {
            throw Broken(e.Message);
        }
        catch (IOException e) when (e is not EndOfStreamException)
        {
            throw Broken(e.Message);
        }
        catch (EndOfStreamException e)
        {
            throw Broken(e.Message);
        }
        catch (InvalidOperationException e) when (!cancellationToken.IsCancellationRequested)
        {
            // A multipart content type without a usable boundary.
            throw Broken(e.Message);
        }

        if (form.Files.Count > 0)
        {
            throw new RequestRejectedException(StatusCodes.Status400BadRequest, "invalid-form", "Invalid form",
                "This form takes no files.", form.Files[0].Name);
        }

        foreach (var (key, values) in form)
        {
            if (HasControl(key) || values.Any(v => v is not null && HasControl(v)))
            {
                throw new RequestRejectedException(StatusCodes.Status400BadRequest, "control-character", "Invalid form",
                    $"Form field '{Printable(key)}' contains a control character.", Printable(key));
            }
        }

        return form;
    }

    // Tab, CR and LF are what a textarea sends; every other control character (NUL, ESC, DEL...) has no place in these forms.
    private static bool HasControl(string text) =>
        text.Any(c => char.IsControl(c) && c is not '\t' and not '\r' and not '\n');

    private static string Printable(string key) =>
        new([.. key.Take(MaxKeyLength).Select(c => char.IsControl(c) ? '?' : c)]);

    private static RequestRejectedException Broken(string why) =>
        new(StatusCodes.Status400BadRequest, "invalid-form", "Invalid form", "The form body could not be read: " + why, "body");

    private static RequestRejectedException TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, "payload-too-large", "Payload too large",
            string.Create(CultureInfo.InvariantCulture, $"A form here is at most {MaxBytes / 1024} KB, {MaxFields} fields, {MaxValueLength / 1024} KB per value."), "body");
}
