using System.Net.Security;
using Mentoring.Api.Mail;
using Mentoring.Core.Work;
using Mentoring.Sqlite;
using Microsoft.Extensions.Options;
using CoreMail = Mentoring.Core.Mail;

namespace Mentoring.Server.Mail;

/// <summary>What one <see cref="OutboxDispatcher.DispatchDueAsync"/> pass did.</summary>
public sealed record DispatchReport(int Delivered, int Retrying, int Failed)
{
    public int Attempted => Delivered + Retrying + Failed;
}

/// <summary>
/// Delivers the embedded outbox at least once: through SMTP when <c>Mentoring:Smtp:Host</c> is set, otherwise it marks
/// messages delivered "kept locally" (read them at /outbox). A failed attempt is retried with exponential backoff;
/// after <see cref="OutboxOptions.MaxAttempts"/> attempts the message is Failed. All times come from <see cref="TimeProvider"/>.
/// The loop wakes when a message is queued, when the next retry falls due, and on a periodic poll.
/// </summary>
public sealed class OutboxDispatcher : BackgroundService
{
    public const string KeptLocally = "kept locally (no SMTP server configured)";

    private readonly SqliteMailOutbox _outbox;
    private readonly SmtpOptions _smtp;
    private readonly OutboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboxDispatcher> _logger;
    private readonly DispatchLoop _loop;
    private readonly SmtpMailSender? _sender;

    public OutboxDispatcher(
        SqliteMailOutbox outbox,
        IOptions<SmtpOptions> smtp,
        IOptions<OutboxOptions> options,
        TimeProvider time,
        ILogger<OutboxDispatcher> logger,
        RemoteCertificateValidationCallback? validateSmtpCertificate = null)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(smtp);
        ArgumentNullException.ThrowIfNull(options);
        _outbox = outbox;
        _smtp = smtp.Value;
        _options = options.Value;
        _time = time ?? TimeProvider.System;
        _logger = logger;
        if (_options.MaxAttempts < 1 || _options.BatchSize < 1)
        {
            throw new ArgumentException("Mentoring:Outbox:MaxAttempts and BatchSize must be at least 1.", nameof(options));
        }

        _sender = _smtp.IsConfigured ? new SmtpMailSender(_smtp, _time, validateSmtpCertificate) : null;
        _loop = new DispatchLoop("Outbox", _time, logger);
        _outbox.MessageQueued += OnQueued;
    }

    /// <summary>Raised after every pass that attempted at least one message (diagnostics and tests).</summary>
    public event EventHandler<DispatchReport>? Dispatched;

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1-based): RetryDelay, doubled per further failure, capped.</summary>
    public TimeSpan RetryDelayAfter(int attempt) => Backoff.After(attempt, _options.RetryDelay, _options.MaxRetryDelay);

    /// <summary>Delivers every message due now (one attempt each) and returns what happened. Safe to call from tests and concurrently.</summary>
    public Task<DispatchReport> DispatchDueAsync(CancellationToken cancellationToken = default) =>
        _loop.OnePassAtATimeAsync(DispatchPassAsync, cancellationToken);

    public override void Dispose()
    {
        _outbox.MessageQueued -= OnQueued;
        _loop.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_smtp.IsConfigured)
        {
            _logger.LogInformation("Outbox dispatcher: delivering through SMTP {Host}:{Port}.", _smtp.Host, _smtp.Port);
        }
        else
        {
            _logger.LogInformation("Outbox dispatcher: no SMTP configured (Mentoring:Smtp:Host); mail is kept locally, see /outbox.");
        }

        await _loop.RunAsync(DispatchDueAsync, _outbox.NextDueAtAsync, _options.PollInterval, stoppingToken);
    }

    private void OnQueued(object? sender, EventArgs e) => _loop.Signal();

    private async Task<DispatchReport> DispatchPassAsync(CancellationToken cancellationToken)
    {
        var (delivered, retrying, failed) = (0, 0, 0);
        while (true)
        {
            var now = _time.GetUtcNow();
            var batch = await _outbox.ClaimDueAsync(now, _options.BatchSize, _options.ClaimLease, cancellationToken);
            foreach (var item in batch)
            {
                try
                {
                    var note = await DeliverAsync(item.Message, cancellationToken);
                    await _outbox.MarkDeliveredAsync(item.Id, _time.GetUtcNow(), note, CancellationToken.None);
                    delivered++;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    var error = FailureText.Describe(ex);
                    if (item.Attempt >= _options.MaxAttempts)
                    {
                        await _outbox.MarkAttemptFailedAsync(item.Id, error, null, CancellationToken.None);
                        failed++;
                        _logger.LogError(ex, "Mail {Id} ({Key}) failed after {Attempts} attempts: {Error}", item.Id, item.Message.IdempotencyKey, item.Attempt, error);
                    }
                    else
                    {
                        var retryAt = _time.GetUtcNow() + RetryDelayAfter(item.Attempt);
                        await _outbox.MarkAttemptFailedAsync(item.Id, error, retryAt, CancellationToken.None);
                        retrying++;
                        _logger.LogWarning("Mail {Id} attempt {Attempt} failed, retrying at {RetryAt:O}: {Error}", item.Id, item.Attempt, retryAt, error);
                    }
                }
            }

            // A short batch means nothing else is due; failed ones are rescheduled into the future.
            if (batch.Count < _options.BatchSize)
            {
                var report = new DispatchReport(delivered, retrying, failed);
                if (report.Attempted > 0)
                {
                    Dispatched?.Invoke(this, report);
                }

                return report;
            }
        }
    }

    private async Task<string> DeliverAsync(CoreMail.MailMessage message, CancellationToken cancellationToken) =>
        _sender is null ? KeptLocally : await _sender.SendAsync(message, cancellationToken);
}
