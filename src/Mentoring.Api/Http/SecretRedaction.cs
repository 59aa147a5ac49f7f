using System.Text.RegularExpressions;

namespace Mentoring.Api.Http;

/// <summary>Removes secrets from text that goes to logs: the value of every <c>token=</c> query parameter (Jotform's webhook secret).</summary>
public static partial class SecretRedaction
{
    public const string Redacted = "***";

    /// <summary><c>/x?token=abc&amp;test=1</c> -> <c>/x?token=***&amp;test=1</c>; any case of the name, anywhere in the text.</summary>
    public static string RedactQuery(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TokenValue().Replace(text, m => m.Groups["name"].Value + Redacted);
    }

    [GeneratedRegex(@"(?<name>(?:^|[?&;\s])token=)[^&#\s]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenValue();
}
