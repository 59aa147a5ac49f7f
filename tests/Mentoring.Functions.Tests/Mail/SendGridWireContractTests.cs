using System.Net;
using System.Text;
using System.Text.Json;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Mail;
using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Persistence;
using Mentoring.Functions.Mail;
using Mentoring.Sqlite;
using Mentoring.Testing;
using Microsoft.Extensions.Options;
using SendGrid;

namespace Mentoring.Functions.Tests.Mail;

/// <summary>
/// The Azure mailer against a local stand-in of SendGrid's v3 API: the request each mail becomes on the wire (SendGrid's
/// own client library builds it), and what the mailer does with each answer. Claims live in a real (SQLite) store.
/// </summary>
public sealed class SendGridWireContractTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _folder = new();
    private readonly SteppingClock _clock = new(T0);
    private SendGridStandIn _sendGrid = null!;
    private SqliteDocumentStore _store = null!;

    public async Task InitializeAsync()
    {
        _sendGrid = await SendGridStandIn.StartAsync();
        _store = new SqliteDocumentStore(new SqliteStoreOptions(_folder.File("mail.db")));
    }

    public async Task DisposeAsync() => await _sendGrid.DisposeAsync();

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_participant_mail_becomes_one_v3_mail_send_with_every_field_SendGrid_needs()
    {
        var ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
        var message = ListUnsubscribe.With(Message("intro") with
        {
            To = [new MailAddress("ana@example.com", "Ana"), new MailAddress("bo@example.com", "Bo")],
            ReplyTo = new MailAddress("hr@example.com", "HR team"),
            Category = MailCategories.Intro,
            CustomArgs = new Dictionary<string, string> { ["matchId"] = "m-1" },
            Attachments = [new MailAttachment(IntroMail.CalendarFileName, IntroMail.CalendarContentType, Encoding.UTF8.GetBytes(ics))],
        }, new Uri("https://mentoring.example.com/api/links/tok-1"));

        Assert.True(await Mailer(sandbox: true).SendAsync(message));

        var request = Assert.Single(_sendGrid.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v3/mail/send", request.Path);
        Assert.Equal("Bearer SG.stand-in", request.Authorization);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        var body = request.Body;
        Assert.Equal("mentoring@example.com", body.GetProperty("from").GetProperty("email").GetString());
        Assert.Equal("Mentoring", body.GetProperty("from").GetProperty("name").GetString());
        Assert.Equal("hr@example.com", body.GetProperty("reply_to").GetProperty("email").GetString());
        Assert.Equal("HR team", body.GetProperty("reply_to").GetProperty("name").GetString());
        var personalization = Assert.Single(body.GetProperty("personalizations").EnumerateArray());
        Assert.Equal(["ana@example.com", "bo@example.com"], personalization.GetProperty("to").EnumerateArray().Select(t => t.GetProperty("email").GetString()));
        Assert.Equal(["Ana", "Bo"], personalization.GetProperty("to").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("Subject intro", body.GetProperty("subject").GetString());
        // v3 wants text/plain before text/html.
        Assert.Equal([("text/plain", "Text intro"), ("text/html", "<p>Html intro</p>")],
            body.GetProperty("content").EnumerateArray().Select(c => (c.GetProperty("type").GetString(), c.GetProperty("value").GetString())));
        var headers = body.GetProperty("headers");
        Assert.Equal("<https://mentoring.example.com/api/links/tok-1>", headers.GetProperty("List-Unsubscribe").GetString());
        Assert.Equal("List-Unsubscribe=One-Click", headers.GetProperty("List-Unsubscribe-Post").GetString());
        var customArgs = CustomArgs(body);
        Assert.Equal(message.IdempotencyKey, customArgs[SendGridEventWebhook.IdempotencyKeyArg]); // "mentoringKey": events name the mail
        Assert.Equal("prog-1", customArgs[SendGridEventWebhook.ProgramIdArg]);
        Assert.Equal("m-1", customArgs["matchId"]);
        Assert.Equal(["intro"], body.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        var attachment = Assert.Single(body.GetProperty("attachments").EnumerateArray());
        Assert.Equal(ics, Encoding.UTF8.GetString(Convert.FromBase64String(attachment.GetProperty("content").GetString()!)));
        Assert.Equal("text/calendar; charset=utf-8; method=PUBLISH", attachment.GetProperty("type").GetString());
        Assert.Equal("first-meeting.ics", attachment.GetProperty("filename").GetString());
        Assert.Equal("attachment", attachment.GetProperty("disposition").GetString());
        Assert.True(body.GetProperty("mail_settings").GetProperty("sandbox_mode").GetProperty("enable").GetBoolean());
    }

    [Fact]
    public async Task Without_sandbox_mode_the_request_asks_for_delivery_and_replies_go_to_the_configured_address()
    {
        Assert.True(await Mailer(sandbox: false, replyTo: "programs@example.com").SendAsync(Message("plain")));

        var body = Assert.Single(_sendGrid.Requests).Body;
        Assert.False(body.TryGetProperty("mail_settings", out var settings)
            && settings.TryGetProperty("sandbox_mode", out var sandbox) && sandbox.GetProperty("enable").GetBoolean());
        Assert.Equal("programs@example.com", body.GetProperty("reply_to").GetProperty("email").GetString());
        Assert.False(body.TryGetProperty("attachments", out _));
    }

    [Fact]
    public async Task A_202_marks_the_mail_sent_with_SendGrids_message_id_and_the_same_key_is_never_sent_again()
    {
        _sendGrid.Answer(new SendGridAnswer(202, MessageId: "sg-42"));
        var mailer = Mailer();

        Assert.True(await mailer.SendAsync(Message("once")));
        Assert.False(await mailer.SendAsync(Message("once")));
        Assert.False(await Mailer().SendAsync(Message("once"))); // another instance: the store decides

        Assert.Single(_sendGrid.Requests);
        var sent = await SentMailOf("once");
        Assert.Equal(SentMailStatus.Accepted, sent!.Status);
        Assert.Equal("sg-42", sent.ProviderMessageId);
        Assert.Equal(T0, sent.AcceptedAt);
    }

    [Fact]
    public async Task A_429_waits_as_long_as_Retry_After_says_and_then_sends()
    {
        _sendGrid.Answer(new SendGridAnswer(429, """{"errors":[{"message":"too many requests"}]}""", RetryAfter: TimeSpan.FromSeconds(7)));

        Assert.True(await Mailer().SendAsync(Message("throttled")));

        Assert.Equal(2, _sendGrid.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(7)], _clock.Waits);
        Assert.Equal(SentMailStatus.Accepted, (await SentMailOf("throttled"))!.Status);
    }

    [Fact]
    public async Task A_429_with_only_SendGrids_rate_limit_headers_waits_until_the_reset()
    {
        _sendGrid.Answer(new SendGridAnswer(429, """{"errors":[{"field":null,"message":"too many requests"}]}""", RateLimitReset: T0.AddSeconds(12)));

        Assert.True(await Mailer().SendAsync(Message("reset")));

        Assert.Equal([TimeSpan.FromSeconds(12)], _clock.Waits);
        Assert.Equal(2, _sendGrid.Requests.Count);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_cap_is_cut_to_the_cap()
    {
        _sendGrid.Answer(new SendGridAnswer(429, RetryAfter: TimeSpan.FromHours(1)));

        Assert.True(await Mailer().SendAsync(Message("long-wait")));

        Assert.Equal([new SendGridOptions().MaxRetryWait], _clock.Waits);
    }

    [Fact]
    public async Task A_5xx_is_called_again_after_a_growing_pause()
    {
        _sendGrid.Answer(new SendGridAnswer(503), new SendGridAnswer(500));

        Assert.True(await Mailer().SendAsync(Message("flaky")));

        Assert.Equal(3, _sendGrid.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], _clock.Waits);
    }

    [Fact]
    public async Task Throttling_that_outlasts_the_attempts_hands_the_mail_back_and_a_later_retry_sends_it()
    {
        _sendGrid.Answer(new SendGridAnswer(503), new SendGridAnswer(429, RetryAfter: TimeSpan.FromSeconds(2)), new SendGridAnswer(502));
        var mailer = Mailer();

        var failure = await Assert.ThrowsAsync<MailSendFailedException>(() => mailer.SendAsync(Message("later")));

        Assert.True(failure.IsTransient);
        Assert.Equal(HttpStatusCode.BadGateway, failure.Status);
        Assert.Equal(3, _sendGrid.Requests.Count);
        Assert.Null(await SentMailOf("later")); // the claim is released
        Assert.True(await mailer.SendAsync(Message("later")));
        Assert.Equal(4, _sendGrid.Requests.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(413)]
    public async Task Another_4xx_fails_at_once_without_calling_SendGrid_again(int status)
    {
        _sendGrid.Answer(new SendGridAnswer(status, """{"errors":[{"message":"The from address does not match a verified Sender Identity."}]}"""));

        var failure = await Assert.ThrowsAsync<MailSendFailedException>(() => Mailer().SendAsync(Message("refused")));

        Assert.False(failure.IsTransient);
        Assert.Equal(status, (int)failure.Status);
        Assert.Contains("verified Sender Identity", failure.Message, StringComparison.Ordinal);
        Assert.Single(_sendGrid.Requests);
        Assert.Empty(_clock.Waits);
        Assert.Null(await SentMailOf("refused")); // after fixing the cause, a retry may send it
    }

    [Fact]
    public async Task A_crash_after_the_202_and_before_marking_the_mail_sent_never_sends_a_second_copy()
    {
        var crashing = new CrashBeforeMarkingStore(_store);
        var dying = new SendGridMailer(new Lazy<ISendGridClient>(() => Client()), crashing, Options.Create(Settings()), _clock);

        await Assert.ThrowsAsync<InvalidOperationException>(() => dying.SendAsync(Message("crash")));
        Assert.Single(_sendGrid.Accepted);

        // The redelivered command, on another instance: first while the claim is fresh, then long after.
        var next = Mailer();
        await Assert.ThrowsAsync<MailSendInProgressException>(() => next.SendAsync(Message("crash")));
        _clock.Advance(Settings().ClaimTimeout);
        Assert.False(await next.SendAsync(Message("crash")));
        Assert.False(await next.SendAsync(Message("crash")));

        Assert.Single(_sendGrid.Requests);
        Assert.Equal(SentMailStatus.Unconfirmed, (await SentMailOf("crash"))!.Status);
    }

    [Fact]
    public async Task A_send_that_never_reached_SendGrid_releases_the_claim_so_the_retry_sends()
    {
        var closedPort = Settings();
        closedPort.ApiHost = "http://127.0.0.1:1/"; // nothing listens on port 1 here
        var unreachable = new SendGridMailer(new Lazy<ISendGridClient>(() => FunctionsHostClient(closedPort)), _store, Options.Create(closedPort), _clock);

        await Assert.ThrowsAsync<HttpRequestException>(() => unreachable.SendAsync(Message("offline")));
        Assert.Null(await SentMailOf("offline"));

        Assert.True(await Mailer().SendAsync(Message("offline")));
        Assert.Single(_sendGrid.Accepted);
    }

    private SendGridOptions Settings(bool sandbox = false, string replyTo = "") => new()
    {
        ApiKey = "SG.stand-in",
        ApiHost = _sendGrid.BaseUrl,
        FromEmail = "mentoring@example.com",
        FromName = "Mentoring",
        ReplyToEmail = replyTo,
        SandboxMode = sandbox,
    };

    private SendGridMailer Mailer(bool sandbox = false, string replyTo = "")
    {
        var settings = Settings(sandbox, replyTo);
        return new SendGridMailer(new Lazy<ISendGridClient>(() => FunctionsHostClient(settings)), _store, Options.Create(settings), _clock);
    }

    private SendGridClient Client() => FunctionsHostClient(Settings());

    // The client the app builds at start, from the same settings.
    private static SendGridClient FunctionsHostClient(SendGridOptions settings) => FunctionsHost.CreateSendGridClient(settings);

    private async Task<SentMail?> SentMailOf(string name) =>
        (await _store.ReadAsync<SentMail>(new DocumentKey("prog-1", SendGridMailer.Kind, "key-" + name)))?.Value;

    private static Dictionary<string, string> CustomArgs(JsonElement body)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body.TryGetProperty("custom_args", out var top))
        {
            foreach (var p in top.EnumerateObject())
            {
                args[p.Name] = p.Value.GetString()!;
            }
        }

        if (body.GetProperty("personalizations")[0].TryGetProperty("custom_args", out var personal))
        {
            foreach (var p in personal.EnumerateObject())
            {
                args[p.Name] = p.Value.GetString()!;
            }
        }

        return args;
    }

    private static MailMessage Message(string name) => new()
    {
        IdempotencyKey = "key-" + name,
        ProgramId = "prog-1",
        To = [new MailAddress("ana@example.com", "Ana")],
        Subject = "Subject " + name,
        TextBody = "Text " + name,
        HtmlBody = $"<p>Html {name}</p>",
    };

    /// <summary>The process dies right after SendGrid's answer: marking the claim accepted never happens.</summary>
    private sealed class CrashBeforeMarkingStore(IDocumentStore inner) : IDocumentStore
    {
        public Task<StoredDocument<T>?> ReadAsync<T>(DocumentKey key, CancellationToken cancellationToken = default) => inner.ReadAsync<T>(key, cancellationToken);

        public Task<StoredDocument<T>> CreateAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default) =>
            inner.CreateAsync(key, value, cancellationToken);

        public Task<StoredDocument<T>> ReplaceAsync<T>(DocumentKey key, T value, string ifMatch, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the process died");

        public Task<StoredDocument<T>> UpsertAsync<T>(DocumentKey key, T value, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the process died");

        public Task<bool> DeleteAsync(DocumentKey key, string? ifMatch = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the process died");

        public Task<DocumentPage<T>> QueryAsync<T>(DocumentQuery query, CancellationToken cancellationToken = default) =>
            inner.QueryAsync<T>(query, cancellationToken);
    }
}
