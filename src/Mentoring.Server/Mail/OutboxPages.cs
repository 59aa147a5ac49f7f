using System.Globalization;
using System.Net;
using System.Text;
using Mentoring.Core.Dashboard;
using Mentoring.Core.Mail;

namespace Mentoring.Server.Mail;

/// <summary>The local mailbox: plain server-rendered HTML, inline CSS, no script.</summary>
internal static class OutboxPages
{
    private const string Css = """
        body{margin:0;font:15px/1.45 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1f2328;background:#f6f8fa}
        main{max-width:1100px;margin:0 auto;padding:16px}
        h1{font-size:22px;margin:4px 0 12px}h2{font-size:17px;margin:20px 0 8px}
        a{color:#0969da}
        table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #d0d7de}
        th,td{text-align:left;padding:8px 10px;border-bottom:1px solid #d0d7de;vertical-align:top;overflow-wrap:anywhere}
        .scroll{overflow-x:auto;max-width:100%}.scroll table{min-width:560px}
        h1{overflow-wrap:anywhere}
        th{background:#f6f8fa;font-weight:600}
        .status{display:inline-block;padding:1px 8px;border-radius:10px;font-size:13px}
        .queued{background:#fff8c5}.delivered{background:#dafbe1}.failed{background:#ffebe9}
        .muted{color:#57606a}.meta td:first-child{width:140px;color:#57606a}
        iframe{width:100%;height:70vh;border:1px solid #d0d7de;background:#fff}
        pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #d0d7de;padding:12px;overflow:auto}
        form{margin:0 0 12px;display:flex;flex-wrap:wrap;gap:8px;align-items:end}form label{display:grid;gap:2px;font-size:13px;color:#57606a}
        input,select{font:inherit;padding:4px 6px;max-width:100%}*{box-sizing:border-box}
        """;

    public static async Task<IResult> ListAsync(HttpContext context, IMailbox mailbox, string? program, string? category, string? to, CancellationToken cancellationToken)
    {
        var query = new MailboxQuery
        {
            ProgramId = ScopeOf(context) ?? Blank(program),
            Category = Blank(category),
            Recipient = Blank(to),
            Limit = 500,
        };
        var messages = await mailbox.ListAsync(query, cancellationToken);
        var html = new StringBuilder();
        html.Append("<h1>Outbox</h1>\n");
        html.Append("<p class=\"muted\">Every mail the server has queued, newest first (at most 500). Without SMTP configured, mail is only kept here.</p>\n");
        html.Append("<form method=\"get\" action=\"/outbox\">")
            .Append(CultureInfo.InvariantCulture, $"<label>Program<input name=\"program\" placeholder=\"program id\" value=\"{E(query.ProgramId ?? "")}\"></label> ")
            .Append(CultureInfo.InvariantCulture, $"<label>Category<input name=\"category\" placeholder=\"category\" value=\"{E(query.Category ?? "")}\"></label> ")
            .Append(CultureInfo.InvariantCulture, $"<label>Recipient<input name=\"to\" placeholder=\"email\" value=\"{E(query.Recipient ?? "")}\"></label> ")
            .Append("<button type=\"submit\">Filter</button> <a href=\"/outbox\">clear</a></form>\n");
        if (messages.Count == 0)
        {
            html.Append("<p>No mail yet.</p>\n");
        }
        else
        {
            html.Append("<div class=\"scroll\"><table>\n<thead><tr><th>Queued (UTC)</th><th>Category</th><th>To</th><th>Subject</th><th>Status</th></tr></thead>\n<tbody>\n");
            foreach (var mail in messages)
            {
                html.Append("<tr>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{E(Time(mail.QueuedAt))}</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{E(mail.Message.Category)}</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{E(string.Join(", ", mail.Message.To.Select(a => a.Email)))}</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td><a href=\"/outbox/{Uri.EscapeDataString(mail.Id)}\">{E(mail.Message.Subject)}</a></td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{Status(mail)}</td>")
                    .Append("</tr>\n");
            }

            html.Append("</tbody>\n</table></div>\n");
        }

        return Page("Outbox", html.ToString());
    }

    public static async Task<IResult> DetailAsync(HttpContext context, IMailbox mailbox, string id, CancellationToken cancellationToken)
    {
        var mail = await mailbox.GetAsync(id, cancellationToken);
        if (mail is null || !InScope(context, mail))
        {
            return Results.NotFound();
        }

        var message = mail.Message;
        var html = new StringBuilder();
        html.Append("<p><a href=\"/outbox\">&larr; Outbox</a></p>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>{E(message.Subject)}</h1>\n");
        html.Append("<table class=\"meta\">\n");
        Row(html, "To", string.Join(", ", message.To.Select(a => a.ToString())));
        Row(html, "Category", message.Category);
        Row(html, "Program", message.ProgramId ?? "");
        Row(html, "Queued", Time(mail.QueuedAt));
        html.Append(CultureInfo.InvariantCulture, $"<tr><td>Status</td><td>{Status(mail)} attempts: {mail.Attempts}</td></tr>\n");
        if (mail.DeliveredAt is { } deliveredAt)
        {
            Row(html, "Delivered", Time(deliveredAt) + (mail.DeliveryNote is null ? "" : ", " + mail.DeliveryNote));
        }

        if (mail.LastError is not null)
        {
            Row(html, "Last error", mail.LastError);
        }

        Row(html, "Idempotency key", message.IdempotencyKey);
        foreach (var (name, value) in message.Headers)
        {
            Row(html, "Header " + name, value);
        }

        foreach (var (name, value) in message.CustomArgs)
        {
            Row(html, "Arg " + name, value);
        }

        html.Append("</table>\n");
        if (message.Attachments.Count > 0)
        {
            html.Append("<h2>Attachments</h2>\n<ul>\n");
            for (var i = 0; i < message.Attachments.Count; i++)
            {
                var attachment = message.Attachments[i];
                html.Append(CultureInfo.InvariantCulture,
                    $"<li><a href=\"/outbox/{Uri.EscapeDataString(mail.Id)}/attachments/{i}\">{E(attachment.FileName)}</a> <span class=\"muted\">{E(attachment.ContentType)}, {attachment.Content.Length} bytes</span></li>\n");
            }

            html.Append("</ul>\n");
        }

        // The mail's own HTML in a sandboxed frame: no scripts run, links open in the whole tab (the confirmation pages).
        html.Append("<h2>HTML</h2>\n");
        html.Append(CultureInfo.InvariantCulture,
            $"<iframe title=\"HTML body\" sandbox=\"allow-top-navigation-by-user-activation allow-popups\" srcdoc=\"{E(WithBaseTarget(message.HtmlBody))}\"></iframe>\n");
        html.Append("<h2>Plain text</h2>\n");
        html.Append(CultureInfo.InvariantCulture, $"<pre>{E(message.TextBody)}</pre>\n");
        return Page(message.Subject, html.ToString());
    }

    public static async Task<IResult> AttachmentAsync(HttpContext context, IMailbox mailbox, string id, int index, CancellationToken cancellationToken)
    {
        var mail = await mailbox.GetAsync(id, cancellationToken);
        if (mail is null || !InScope(context, mail) || index < 0 || index >= mail.Message.Attachments.Count)
        {
            return Results.NotFound();
        }

        var attachment = mail.Message.Attachments[index];
        return Results.File(attachment.Content, attachment.ContentType, attachment.FileName);
    }

    /// <summary>The one program an admin signed in from a mail link may see; null for an operator (every program).</summary>
    private static string? ScopeOf(HttpContext context) =>
        context.Items.TryGetValue(typeof(AdminSession), out var session) && session is AdminSession { ProgramId: { } programId } ? programId : null;

    private static bool InScope(HttpContext context, StoredMail mail) =>
        ScopeOf(context) is not { } programId || string.Equals(mail.Message.ProgramId, programId, StringComparison.Ordinal);

    private static IResult Page(string title, string content)
    {
        var page = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append(CultureInfo.InvariantCulture, $"<title>{E(title)} - Mentoring outbox</title>\n")
            .Append(CultureInfo.InvariantCulture, $"<style>{Css}</style>\n</head>\n<body>\n<main>\n{content}</main>\n</body>\n</html>\n")
            .ToString();
        return new PageResult(page);
    }

    private static string WithBaseTarget(string html)
    {
        const string Base = "<base target=\"_top\">";
        var head = html.IndexOf("<head>", StringComparison.OrdinalIgnoreCase);
        return head >= 0 ? html.Insert(head + "<head>".Length, Base) : Base + html;
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(name)}</td><td>{E(value)}</td></tr>\n");

    private static string Status(StoredMail mail)
    {
        var name = mail.Status.ToString().ToLowerInvariant();
        return $"<span class=\"status {name}\">{name}</span>";
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string E(string value) => WebUtility.HtmlEncode(value);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>An HTML page with headers that keep the mails' links and scripts in check.</summary>
    private sealed class PageResult(string html) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var headers = httpContext.Response.Headers;
            // Inline styles only; no script anywhere (the srcdoc frame inherits this policy); images from anywhere.
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; frame-src 'self'; form-action 'self'; base-uri 'self'; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            // Admin action links carry tokens: never leak them as a referrer.
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            return httpContext.Response.WriteAsync(html, httpContext.RequestAborted);
        }
    }
}
