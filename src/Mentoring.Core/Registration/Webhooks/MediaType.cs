namespace Mentoring.Core.Registration.Webhooks;

/// <summary>A parsed Content-Type: lower-case media type plus parameters (names case-insensitive, quoted values unquoted).</summary>
internal sealed record MediaType(string Type, IReadOnlyDictionary<string, string> Parameters)
{
    public string? Parameter(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    public static MediaType? TryParse(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }
        var segments = Split(contentType);
        var type = segments[0].Trim();
        var slash = type.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == type.Length - 1 || type.Any(char.IsWhiteSpace))
        {
            return null;
        }
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in segments.Skip(1))
        {
            var eq = segment.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                if (string.IsNullOrWhiteSpace(segment))
                {
                    continue;
                }
                return null;
            }
            var name = segment[..eq].Trim();
            var value = segment[(eq + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            }
            parameters[name] = value;
        }
        return new MediaType(type.ToLowerInvariantAscii(), parameters);
    }

    /// <summary>Splits on ';' outside double quotes.</summary>
    private static List<string> Split(string value)
    {
        var parts = new List<string>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && quoted && i + 1 < value.Length)
            {
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ';' && !quoted)
            {
                parts.Add(value[start..i]);
                start = i + 1;
            }
        }
        parts.Add(value[start..]);
        return parts;
    }
}

internal static class AsciiExtensions
{
    /// <summary>Lower-cases ASCII letters only (media types are ASCII; avoids CA1308's culture concerns).</summary>
    public static string ToLowerInvariantAscii(this string value) =>
        string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
            }
        });
}
