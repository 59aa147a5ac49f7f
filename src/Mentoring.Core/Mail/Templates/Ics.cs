using System.Globalization;
using System.Text;

namespace Mentoring.Core.Mail.Templates;

/// <summary>
/// A minimal RFC 5545 writer: CRLF line endings, lines folded at 75 octets (never inside a UTF-8 sequence),
/// TEXT values escaped (backslash, semicolon, comma, newline).
/// </summary>
public sealed class Ics
{
    private const int MaxOctets = 75;
    private readonly StringBuilder _builder = new();

    public Ics Line(string name, string value)
    {
        Fold(name + ":" + value);
        return this;
    }

    /// <summary>A TEXT property: the value is escaped.</summary>
    public Ics Text(string name, string value) => Line(name, EscapeText(value));

    /// <summary>A UTC DATE-TIME: 20270302T090000Z.</summary>
    public Ics Utc(string name, DateTimeOffset at) =>
        Line(name, at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));

    public override string ToString() => _builder.ToString();

    public static string EscapeText(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\': builder.Append("\\\\"); break;
                case ';': builder.Append("\\;"); break;
                case ',': builder.Append("\\,"); break;
                case '\r':
                    if (i + 1 < value.Length && value[i + 1] == '\n')
                    {
                        i++;
                    }

                    builder.Append("\\n");
                    break;
                case '\n': builder.Append("\\n"); break;
                default:
                    if (!char.IsControl(c) || c == '\t')
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>A parameter value (CN=...): quoted, without the characters a quoted value cannot hold.</summary>
    public static string ParameterValue(string value)
    {
        var clean = new string([.. value.Where(c => c != '"' && !char.IsControl(c))]);
        return "\"" + clean + "\"";
    }

    private void Fold(string line)
    {
        var octets = 0;
        for (var i = 0; i < line.Length; i++)
        {
            var length = char.IsHighSurrogate(line[i]) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1]) ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(line.AsSpan(i, length));
            if (octets + size > MaxOctets)
            {
                _builder.Append("\r\n ");
                octets = 1;
            }

            _builder.Append(line, i, length);
            octets += size;
            i += length - 1;
        }

        _builder.Append("\r\n");
    }
}
