using System.Globalization;
using System.Text;

namespace Mentoring.Cosmos;

/// <summary>
/// The Cosmos item id of a document: <c>{kind}.{id}</c>, each part escaped so the result is always a legal id.
/// </summary>
/// <remarks>
/// <para>
/// ASCII letters, digits, '-' and '_' stay as they are; every other character becomes '~' followed by the two upper-case
/// hex digits of each of its UTF-8 bytes ('.' is "~2E", '/' is "~2F", 'ü' is "~C3~BC"). So neither part contains '.',
/// the separator is unambiguous, the mapping is reversible, and the id never holds '/', '\\', '?', '#' (refused by
/// Cosmos), '%' or spaces (mangled by some HTTP stacks on the way into the URL path) or ':' (which the test emulator uses
/// to build its own index keys). Typical ids (GUIDs, slugs) stay readable in the portal.
/// </para>
/// <para>Cosmos caps an id at 1023 bytes; <see cref="Encode"/> refuses keys whose encoding would be longer.</para>
/// </remarks>
public static class CosmosItemId
{
    public const int MaxLength = 1023;
    private const char Escape = '~';
    private const char Separator = '.';

    public static string Encode(string kind, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(id);
        var builder = new StringBuilder(kind.Length + id.Length + 1);
        Append(builder, kind);
        builder.Append(Separator);
        Append(builder, id);
        if (builder.Length > MaxLength)
        {
            throw new ArgumentException(
                $"The document key ({kind}, {id}) is too long for a Cosmos DB item id ({builder.Length} > {MaxLength} characters once escaped).",
                nameof(id));
        }

        return builder.ToString();
    }

    /// <summary>The kind and id an item id was encoded from; false when <paramref name="itemId"/> is not such an encoding.</summary>
    public static bool TryDecode(string itemId, out string kind, out string id)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        kind = id = string.Empty;
        if (itemId.Length > MaxLength)
        {
            return false;
        }

        var separator = itemId.IndexOf(Separator, StringComparison.Ordinal);
        if (separator <= 0 || separator == itemId.Length - 1)
        {
            return false;
        }

        if (!TryUnescape(itemId.AsSpan(0, separator), out var decodedKind)
            || !TryUnescape(itemId.AsSpan(separator + 1), out var decodedId))
        {
            return false;
        }

        // Only the canonical spelling decodes ("~41" for 'A' does not), so one key has exactly one item id.
        if (!string.Equals(Encode(decodedKind, decodedId), itemId, StringComparison.Ordinal))
        {
            return false;
        }

        kind = decodedKind;
        id = decodedId;
        return true;
    }

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    private static void Append(StringBuilder builder, string text)
    {
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsPlain(c))
            {
                builder.Append(c);
                continue;
            }

            // A surrogate pair is one code point: encode both halves together. A lone surrogate has no UTF-8 form.
            if (!Rune.TryGetRuneAt(text, i, out var rune))
            {
                throw new ArgumentException($"'{text}' holds a lone UTF-16 surrogate.", nameof(text));
            }

            if (rune.Utf16SequenceLength == 2)
            {
                i++;
            }

            var count = rune.EncodeToUtf8(bytes);
            for (var b = 0; b < count; b++)
            {
                builder.Append(Escape).Append(bytes[b].ToString("X2", CultureInfo.InvariantCulture));
            }
        }
    }

    private static bool TryUnescape(ReadOnlySpan<char> text, out string value)
    {
        value = string.Empty;
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsPlain(c))
            {
                bytes.Add((byte)c);
            }
            else if (c == Escape && i + 2 < text.Length && byte.TryParse(text.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                return false;
            }
        }

        try
        {
            value = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
            return value.Length > 0;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
