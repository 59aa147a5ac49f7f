using System.Globalization;
using System.Text;

namespace Mentoring.Core.Common;

/// <summary>
/// Text people type that ends up in mail headers (names, program names, subjects): no control character (Unicode Cc:
/// NUL, ESC, CR/LF, DEL), no format character (Cf: zero-width space, direction overrides) and no line or paragraph
/// separator may shape a header. Zero-width joiners stay allowed in names: scripts such as Persian and many emoji need them.
/// </summary>
public static class PlainText
{
    /// <summary>The first control, format or separator character in <paramref name="text"/>, or null.</summary>
    public static char? FirstInvisible(string text, bool allowJoiners = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
        {
            if (IsInvisible(c, allowJoiners))
            {
                return c;
            }
        }
        return null;
    }

    /// <summary>"U+001B": how a refusal names the character (printing it would hide it again).</summary>
    public static string CodePoint(char c) => $"U+{(int)c:X4}";

    /// <summary>
    /// One line for a header: every control, format or separator character becomes a space (a line break between words
    /// must not glue them), runs of spaces become one, and the ends are trimmed.
    /// </summary>
    public static string ForHeader(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (FirstInvisible(text, allowJoiners: true) is null && !text.Contains("  ", StringComparison.Ordinal))
        {
            return text.Trim();
        }
        var line = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var keep = IsInvisible(c, allowJoiners: true) || c == ' ' ? ' ' : c;
            if (keep != ' ' || (line.Length > 0 && line[^1] != ' '))
            {
                line.Append(keep);
            }
        }
        return line.ToString().Trim();
    }

    private static bool IsInvisible(char c, bool allowJoiners)
    {
        var category = char.GetUnicodeCategory(c);
        return category is UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            || (category == UnicodeCategory.Format && !(allowJoiners && c is '\u200C' or '\u200D'));
    }
}
