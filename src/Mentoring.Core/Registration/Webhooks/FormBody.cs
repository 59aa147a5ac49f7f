using System.Net;
using System.Text;
using Mentoring.Core.Common;

namespace Mentoring.Core.Registration.Webhooks;

/// <summary>
/// Form bodies without any I/O package: a small, strict <c>multipart/form-data</c> reader (RFC 7578: CRLF line
/// breaks, boundary from the content type, text parts only) and an <c>application/x-www-form-urlencoded</c> reader.
/// Field name -> values, in order. Structural errors are <see cref="ValidationFailedException"/> on "$".
/// </summary>
internal static class FormBody
{
    public const string Multipart = "multipart/form-data";
    public const string UrlEncoded = "application/x-www-form-urlencoded";

    private const int MaxParts = 500;
    private const int MaxHeaderLines = 16;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Dictionary<string, List<string>> Read(ReadOnlyMemory<byte> body, string? contentType)
    {
        var mediaType = MediaType.TryParse(contentType)
            ?? throw Malformed($"The content type must be {Multipart} or {UrlEncoded}.");
        return mediaType.Type switch
        {
            Multipart => ReadMultipart(body.Span, mediaType.Parameter("boundary")),
            UrlEncoded => ReadUrlEncoded(body.Span),
            _ => throw Malformed($"The content type must be {Multipart} or {UrlEncoded}, not {mediaType.Type}."),
        };
    }

    public static Dictionary<string, List<string>> ReadUrlEncoded(ReadOnlySpan<byte> body)
    {
        var text = Decode(body, "The form body is not valid UTF-8.");
        var fields = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in text.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = WebUtility.UrlDecode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : WebUtility.UrlDecode(pair[(eq + 1)..]);
            if (name.Length == 0)
            {
                throw Malformed("The form body has a field without a name.");
            }
            AddField(fields, name, value);
        }
        return fields;
    }

    public static Dictionary<string, List<string>> ReadMultipart(ReadOnlySpan<byte> body, string? boundary)
    {
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 70 || boundary.Any(c => c > 126 || c < 32) || boundary.EndsWith(' '))
        {
            throw Malformed("The multipart content type needs a boundary parameter of 1-70 printable characters.");
        }
        var dashBoundary = Encoding.ASCII.GetBytes("--" + boundary);
        var delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);
        ReadOnlySpan<byte> crlf = "\r\n"u8;
        ReadOnlySpan<byte> dashes = "--"u8;

        if (!body.StartsWith(dashBoundary))
        {
            throw Malformed("The multipart body does not start with its boundary.");
        }
        var rest = body[dashBoundary.Length..];
        var fields = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var parts = 0; ; parts++)
        {
            // After a boundary: "--" closes the body; CRLF starts a part.
            if (rest.StartsWith(dashes))
            {
                return fields;
            }
            if (!rest.StartsWith(crlf))
            {
                throw Malformed("A multipart boundary is followed by something other than a line break or '--'.");
            }
            if (parts == MaxParts)
            {
                throw Malformed($"The multipart body has more than {MaxParts} parts.");
            }
            rest = rest[crlf.Length..];

            if (rest.StartsWith(crlf))
            {
                throw Malformed("A multipart part has no Content-Disposition header.");
            }
            var headersEnd = rest.IndexOf("\r\n\r\n"u8);
            if (headersEnd < 0)
            {
                throw Malformed("A multipart part's headers are not terminated by an empty line.");
            }
            var (name, isText) = ReadPartHeaders(rest[..headersEnd]);
            rest = rest[(headersEnd + 4)..];

            var end = rest.IndexOf(delimiter);
            if (end < 0)
            {
                throw Malformed("The multipart body ends before its closing boundary.");
            }
            if (isText)
            {
                AddField(fields, name, Decode(rest[..end], $"Multipart field '{name}' is not valid UTF-8."));
            }
            rest = rest[(end + delimiter.Length)..];
        }
    }

    private static (string Name, bool IsText) ReadPartHeaders(ReadOnlySpan<byte> block)
    {
        var text = Decode(block, "A multipart part's headers are not valid UTF-8.");
        var lines = text.Split("\r\n");
        if (lines.Length > MaxHeaderLines)
        {
            throw Malformed("A multipart part has too many headers.");
        }
        string? name = null;
        var isText = true;
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw Malformed($"A multipart part has a malformed header line: '{Truncate(line)}'.");
            }
            var headerName = line[..colon].Trim();
            var headerValue = line[(colon + 1)..].Trim();
            if (headerName.Equals("Content-Disposition", StringComparison.OrdinalIgnoreCase))
            {
                var disposition = MediaType.TryParse("x/" + headerValue);
                if (disposition is null || !headerValue.StartsWith("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    throw Malformed("A multipart part's Content-Disposition is not form-data.");
                }
                name = disposition.Parameter("name");
                // File parts carry uploads; forms tools send answers as text, so file contents are skipped.
                if (disposition.Parameter("filename") is not null)
                {
                    isText = false;
                }
            }
            else if (headerName.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                var type = MediaType.TryParse(headerValue);
                if (type is null || !type.Type.StartsWith("text/", StringComparison.Ordinal))
                {
                    isText = false;
                }
            }
        }
        if (string.IsNullOrEmpty(name))
        {
            throw Malformed("A multipart part has no Content-Disposition name.");
        }
        return (name, isText);
    }

    private static void AddField(Dictionary<string, List<string>> fields, string name, string value)
    {
        if (!fields.TryGetValue(name, out var values))
        {
            fields[name] = values = [];
        }
        values.Add(value);
    }

    private static string Decode(ReadOnlySpan<byte> bytes, string error)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed(error);
        }
    }

    private static string Truncate(string value) => value.Length <= 60 ? value : value[..60] + "...";

    private static ValidationFailedException Malformed(string detail) => new(JsonField.Root, Rules.Format, detail);
}
