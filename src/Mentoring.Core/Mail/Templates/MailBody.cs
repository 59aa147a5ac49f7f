using System.Globalization;
using System.Net;
using System.Text;

namespace Mentoring.Core.Mail.Templates;

/// <summary>
/// Writes the HTML and the plain-text body of one mail side by side, so both carry the same facts.
/// HTML: one column, inline CSS, max 600px, full-width buttons (large tap targets), no layout tables (one figure table).
/// Every string is HTML-encoded here; callers never pass markup.
/// </summary>
internal sealed class MailBody
{
    private const string Font = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
    private readonly StringBuilder _html = new();
    private readonly StringBuilder _text = new();

    public static string Encode(string value) => WebUtility.HtmlEncode(value);

    /// <summary>Subjects and header values: one line, no control characters.</summary>
    public static string OneLine(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }

    public static string Inv(FormattableString value) => FormattableString.Invariant(value);

    public MailBody Heading(string text)
    {
        _html.Append(CultureInfo.InvariantCulture, $"<h1 style=\"{Font}font-size:22px;line-height:1.3;margin:0 0 12px;color:#1f2328;\">{Encode(text)}</h1>\n");
        _text.Append(text).Append('\n').Append(new string('=', Math.Min(text.Length, 60))).Append('\n').Append('\n');
        return this;
    }

    public MailBody Section(string text)
    {
        _html.Append(CultureInfo.InvariantCulture, $"<h2 style=\"{Font}font-size:18px;line-height:1.3;margin:24px 0 8px;color:#1f2328;\">{Encode(text)}</h2>\n");
        _text.Append(text.ToUpperInvariant()).Append('\n').Append('\n');
        return this;
    }

    public MailBody Paragraph(string text, bool strong = false, bool muted = false)
    {
        var color = muted ? "#57606a" : "#1f2328";
        var weight = strong ? "font-weight:600;" : "";
        _html.Append(CultureInfo.InvariantCulture, $"<p style=\"{Font}font-size:16px;line-height:1.5;margin:0 0 12px;color:{color};{weight}\">{Encode(text)}</p>\n");
        _text.Append(text).Append('\n').Append('\n');
        return this;
    }

    /// <summary>A highlighted notice (a reminder banner, a warning).</summary>
    public MailBody Notice(string text, bool warning = false)
    {
        var (background, border) = warning ? ("#fff8c5", "#d4a72c") : ("#ddf4ff", "#54aeff");
        _html.Append(CultureInfo.InvariantCulture,
            $"<p style=\"{Font}font-size:16px;line-height:1.5;margin:0 0 16px;padding:12px 14px;background:{background};border-left:4px solid {border};border-radius:4px;color:#1f2328;\">{Encode(text)}</p>\n");
        _text.Append("** " + text + " **").Append('\n').Append('\n');
        return this;
    }

    public MailBody Bullets(IEnumerable<string> items)
    {
        var list = items.ToList();
        if (list.Count == 0)
        {
            return this;
        }

        _html.Append(CultureInfo.InvariantCulture, $"<ul style=\"{Font}font-size:16px;line-height:1.5;margin:0 0 12px;padding-left:20px;color:#1f2328;\">\n");
        foreach (var item in list)
        {
            _html.Append(CultureInfo.InvariantCulture, $"<li style=\"margin:0 0 4px;\">{Encode(item)}</li>\n");
            _text.Append("  - ").Append(item).Append('\n');
        }

        _html.Append("</ul>\n");
        _text.Append('\n');
        return this;
    }

    /// <summary>A full-width button: a large tap target on a phone.</summary>
    public MailBody Button(string label, Uri url, bool primary = false, bool danger = false)
    {
        var (background, color, border) = primary ? ("#1a7f37", "#ffffff", "#1a7f37")
            : danger ? ("#ffffff", "#cf222e", "#cf222e")
            : ("#ffffff", "#0969da", "#0969da");
        _html.Append(CultureInfo.InvariantCulture,
            $"<a href=\"{Encode(url.AbsoluteUri)}\" style=\"{Font}display:block;box-sizing:border-box;width:100%;margin:0 0 10px;padding:14px 16px;min-height:48px;border:2px solid {border};border-radius:8px;background:{background};color:{color};font-size:17px;font-weight:600;line-height:1.2;text-align:center;text-decoration:none;\">{Encode(label)}</a>\n");
        _text.Append(label).Append(": ").Append(url.AbsoluteUri).Append('\n');
        return this;
    }

    /// <summary>A smaller inline link on its own line (a per-pair action).</summary>
    public MailBody Link(string label, Uri url)
    {
        _html.Append(CultureInfo.InvariantCulture,
            $"<p style=\"{Font}font-size:15px;margin:8px 0 0;\"><a href=\"{Encode(url.AbsoluteUri)}\" style=\"display:inline-block;padding:10px 0;min-height:24px;color:#0969da;text-decoration:underline;\">{Encode(label)}</a></p>\n");
        _text.Append("  ").Append(label).Append(": ").Append(url.AbsoluteUri).Append('\n');
        return this;
    }

    /// <summary>
    /// A table of figures with a bar per row, the one table in the mails: a bar is a cell with a background colour and a
    /// width in percent inside a fixed-layout table, which Outlook's Word engine and Gmail both draw (neither draws CSS
    /// widths on inline elements or SVG).
    /// </summary>
    public MailBody FigureTable(string caption, IEnumerable<FigureRow> rows)
    {
        _html.Append(CultureInfo.InvariantCulture,
            $"<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"{Font}width:100%;max-width:600px;border-collapse:collapse;margin:0 0 16px;table-layout:fixed;\">\n");
        _html.Append(CultureInfo.InvariantCulture,
            $"<caption style=\"{Font}font-size:16px;font-weight:600;text-align:left;padding:0 0 6px;color:#1f2328;\">{Encode(caption)}</caption>\n");
        _text.Append(caption).Append('\n');
        foreach (var row in rows)
        {
            var percent = (int)Math.Round(Math.Clamp(row.Fraction, 0, 1) * 100);
            _html.Append(CultureInfo.InvariantCulture,
                $"<tr><td width=\"45%\" style=\"{Font}font-size:15px;line-height:1.3;padding:6px 8px 6px 0;border-bottom:1px solid #d8dee4;color:#1f2328;\">{Encode(row.Label)}</td>");
            _html.Append(CultureInfo.InvariantCulture,
                $"<td width=\"25%\" style=\"{Font}font-size:15px;font-weight:600;text-align:right;padding:6px 8px;border-bottom:1px solid #d8dee4;color:#1f2328;\">{Encode(row.Value)}</td>");
            _html.Append("<td width=\"30%\" style=\"padding:6px 0;border-bottom:1px solid #d8dee4;\">");
            _html.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"width:100%;border-collapse:collapse;\"><tr>");
            if (percent > 0)
            {
                _html.Append(CultureInfo.InvariantCulture,
                    $"<td width=\"{percent}%\" height=\"12\" bgcolor=\"#0969da\" style=\"width:{percent}%;height:12px;background:#0969da;font-size:0;line-height:0;\">&nbsp;</td>");
            }
            if (percent < 100)
            {
                _html.Append(CultureInfo.InvariantCulture,
                    $"<td width=\"{100 - percent}%\" height=\"12\" bgcolor=\"#eaeef2\" style=\"width:{100 - percent}%;height:12px;background:#eaeef2;font-size:0;line-height:0;\">&nbsp;</td>");
            }
            _html.Append("</tr></table></td></tr>\n");
            _text.Append("  ").Append(row.Label).Append(": ").Append(row.Value).Append('\n');
        }
        _html.Append("</table>\n");
        _text.Append('\n');
        return this;
    }

    public MailBody EndButtons()
    {
        _text.Append('\n');
        return this;
    }

    /// <summary>A bordered block (one pair, one waitlisted person).</summary>
    public MailBody Card(string title, Action<MailCard> content)
    {
        _html.Append("<div style=\"margin:0 0 12px;padding:12px 14px;border:1px solid #d0d7de;border-radius:8px;background:#ffffff;\">\n");
        _html.Append(CultureInfo.InvariantCulture, $"<p style=\"{Font}font-size:16px;line-height:1.4;margin:0 0 6px;font-weight:600;color:#1f2328;\">{Encode(title)}</p>\n");
        _text.Append("* " + title).Append('\n');
        content(new MailCard(this));
        _html.Append("</div>\n");
        _text.Append('\n');
        return this;
    }

    public string Html(string title, string preheader)
    {
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        page.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        page.Append(CultureInfo.InvariantCulture, $"<title>{Encode(title)}</title>\n</head>\n");
        page.Append("<body style=\"margin:0;padding:0;background:#f6f8fa;\">\n");
        // The preheader: the grey preview line mail clients show after the subject.
        page.Append(CultureInfo.InvariantCulture, $"<div style=\"display:none;max-height:0;overflow:hidden;\">{Encode(preheader)}</div>\n");
        page.Append(CultureInfo.InvariantCulture, $"<div style=\"{Font}max-width:600px;margin:0 auto;padding:20px 16px;background:#f6f8fa;color:#1f2328;\">\n");
        page.Append(_html);
        page.Append("</div>\n</body>\n</html>\n");
        return page.ToString();
    }

    public string Text() => _text.ToString().TrimEnd() + "\n";

    internal void CardLine(string text, bool muted)
    {
        var color = muted ? "#57606a" : "#1f2328";
        _html.Append(CultureInfo.InvariantCulture, $"<p style=\"{Font}font-size:15px;line-height:1.5;margin:0 0 6px;color:{color};\">{Encode(text)}</p>\n");
        _text.Append("  ").Append(text).Append('\n');
    }

    internal void CardBullets(IEnumerable<string> items)
    {
        var list = items.ToList();
        if (list.Count == 0)
        {
            return;
        }

        _html.Append(CultureInfo.InvariantCulture, $"<ul style=\"{Font}font-size:15px;line-height:1.5;margin:0 0 6px;padding-left:20px;color:#1f2328;\">\n");
        foreach (var item in list)
        {
            _html.Append(CultureInfo.InvariantCulture, $"<li style=\"margin:0 0 2px;\">{Encode(item)}</li>\n");
            _text.Append("    - ").Append(item).Append('\n');
        }

        _html.Append("</ul>\n");
    }
}

/// <summary>One row of <see cref="MailBody.FigureTable"/>: the bar is <see cref="Fraction"/> (0..1) of the cell.</summary>
internal sealed record FigureRow(string Label, string Value, double Fraction);

/// <summary>Inside a card: text lines are indented so the plain-text mail keeps the structure.</summary>
internal sealed class MailCard(MailBody body)
{
    public MailCard Line(string text, bool muted = false)
    {
        body.CardLine(text, muted);
        return this;
    }

    public MailCard Bullets(IEnumerable<string> items)
    {
        body.CardBullets(items);
        return this;
    }

    public MailCard Link(string label, Uri url)
    {
        body.Link(label, url);
        return this;
    }
}
