using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Mentoring.Core.Mail;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mentoring.Functions.Tests.Mail;

/// <summary>One request SendGrid's API received: the raw JSON body and the headers that matter.</summary>
internal sealed record SendGridRequest(string Method, string Path, string? Authorization, string ContentType, JsonElement Body);

/// <summary>What the stand-in answers to one request.</summary>
internal sealed record SendGridAnswer(int Status, string Body = "", TimeSpan? RetryAfter = null, string? MessageId = null, DateTimeOffset? RateLimitReset = null);

/// <summary>
/// A local stand-in for SendGrid's v3 API on Kestrel (127.0.0.1, a port the OS picks): records every request and answers
/// from a script (202 with an <c>X-Message-Id</c> by default). The SendGrid client is pointed at it through
/// <c>SendGridOptions.ApiHost</c>, so the requests are the library's real wire format.
/// </summary>
internal sealed class SendGridStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SendGridAnswer> _script = new();
    private int _messageIds;

    private SendGridStandIn(WebApplication app) => _app = app;

    public ConcurrentQueue<SendGridRequest> Requests { get; } = new();

    /// <summary>The requests answered 202: the messages SendGrid would deliver.</summary>
    public ConcurrentQueue<SendGridRequest> Accepted { get; } = new();

    public string BaseUrl { get; private set; } = "";

    /// <summary>Called with each request before it is answered (to simulate what happens meanwhile).</summary>
    public Action<SendGridRequest>? OnRequest { get; set; }

    public static async Task<SendGridStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new SendGridStandIn(app);
        app.MapPost("/v3/mail/send", standIn.ReceiveAsync);
        await app.StartAsync();
        standIn.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/') + "/";
        return standIn;
    }

    /// <summary>The next answers, in order; after them, 202.</summary>
    public void Answer(params SendGridAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            _script.Enqueue(answer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var request = new SendGridRequest(context.Request.Method, context.Request.Path, context.Request.Headers.Authorization.ToString(),
            context.Request.ContentType ?? "", body.RootElement.Clone());
        Requests.Enqueue(request);
        OnRequest?.Invoke(request);
        var answer = _script.TryDequeue(out var scripted) ? scripted : new SendGridAnswer(202);
        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        if (answer.RateLimitReset is { } reset)
        {
            context.Response.Headers["X-RateLimit-Limit"] = "600";
            context.Response.Headers["X-RateLimit-Remaining"] = "0";
            context.Response.Headers["X-RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        }

        if (answer.Status == 202)
        {
            Accepted.Enqueue(request);
            context.Response.Headers["X-Message-Id"] = answer.MessageId ?? $"msg-{Interlocked.Increment(ref _messageIds)}";
        }

        if (answer.Body.Length > 0)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body);
        }
    }
}

/// <summary>
/// The Azure host's mailbox, seen from SendGrid's side: every message the stand-in accepted (202), read back from its v3
/// JSON. The Functions host has no outbox of its own; what SendGrid accepted is what was sent.
/// </summary>
internal sealed class SendGridStandInMailbox(SendGridStandIn standIn) : IMailbox
{
    public Task<IReadOnlyList<StoredMail>> ListAsync(MailboxQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        IReadOnlyList<StoredMail> mails = [.. standIn.Accepted.Select(ToStoredMail)
            .Where(m => query.ProgramId is null || m.Message.ProgramId == query.ProgramId)
            .Where(m => query.Category is null || m.Message.Category == query.Category)
            .Where(m => query.Recipient is null || m.Message.To.Any(t => string.Equals(t.Email, query.Recipient, StringComparison.OrdinalIgnoreCase)))
            .Reverse().Take(query.Limit)];
        return Task.FromResult(mails);
    }

    public async Task<StoredMail?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        (await ListAsync(new MailboxQuery { Limit = int.MaxValue }, cancellationToken)).FirstOrDefault(m => m.Id == id);

    private static StoredMail ToStoredMail(SendGridRequest request)
    {
        var body = request.Body;
        var args = body.GetProperty("personalizations")[0].TryGetProperty("custom_args", out var personal) ? personal
            : body.GetProperty("custom_args");
        var key = args.GetProperty(SendGridEventWebhook.IdempotencyKeyArg).GetString()!;
        var message = new MailMessage
        {
            IdempotencyKey = key,
            ProgramId = args.TryGetProperty(SendGridEventWebhook.ProgramIdArg, out var program) ? program.GetString() : null,
            To = [.. body.GetProperty("personalizations")[0].GetProperty("to").EnumerateArray()
                .Select(t => new MailAddress(t.GetProperty("email").GetString()!, t.TryGetProperty("name", out var n) ? n.GetString() : null))],
            Subject = body.GetProperty("subject").GetString()!,
            TextBody = Content(body, "text/plain"),
            HtmlBody = Content(body, "text/html"),
            Category = body.TryGetProperty("categories", out var categories) ? categories[0].GetString()! : MailCategories.General,
        };
        return new StoredMail(key, message, DateTimeOffset.UnixEpoch, MailDeliveryStatus.Queued, 0, null, null, "accepted by the SendGrid stand-in");
    }

    private static string Content(JsonElement body, string type) =>
        body.GetProperty("content").EnumerateArray().FirstOrDefault(c => c.GetProperty("type").GetString() == type) is { ValueKind: JsonValueKind.Object } c
            ? c.GetProperty("value").GetString()!
            : "";
}
