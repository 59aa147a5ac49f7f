using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mentoring.Core.Common;
using Mentoring.Core.Engagement;
using Mentoring.Core.Persistence;

namespace Mentoring.Core.Mail;

/// <summary>Why an address must not get mail any more.</summary>
public enum MailSuppressionReason
{
    /// <summary>A hard bounce: the mailbox does not exist or refuses mail for good.</summary>
    Bounce,
    SpamReport,
    Unsubscribe,
    /// <summary>Unsubscribed from one unsubscribe group (SendGrid ASM).</summary>
    GroupUnsubscribe,
}

/// <summary>One address to stop mailing, from a SendGrid event. <see cref="Email"/> is normalised (trimmed, lower-case).</summary>
public sealed record MailSuppression(
    string Email,
    MailSuppressionReason Reason,
    DateTimeOffset At,
    string? EventId,
    string? ProgramId,
    string? IdempotencyKey,
    string? Detail)
{
    /// <summary>The global suppression document for this address: keyed by a digest, so the store holds no address in clear.</summary>
    public (DocumentKey Key, Suppression Value) ToDocument()
    {
        var digest = EmailDigest(Email);
        var reason = Reason switch
        {
            MailSuppressionReason.Bounce => "bounce",
            MailSuppressionReason.SpamReport => "spam-report",
            MailSuppressionReason.Unsubscribe => "unsubscribe",
            _ => "group-unsubscribe",
        };
        return (EngagementDocuments.Suppression(digest), new Suppression(digest, reason, At));
    }

    /// <summary>SHA-256 (hex) of the normalised address: <see cref="EmailAddress.Digest"/>.</summary>
    public static string EmailDigest(string email) => EmailAddress.Digest(email);
}

/// <summary>
/// SendGrid's signed event webhook: checks the ECDSA (P-256, SHA-256) signature SendGrid puts over the timestamp header
/// followed by the raw body, and turns bounces, spam reports and unsubscribes into <see cref="MailSuppression"/>s.
/// Other events (delivered, open, click, deferred, blocked bounces...) change nothing here.
/// </summary>
public sealed class SendGridEventWebhook
{
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    /// <summary>The custom_args names the SendGrid mailer sets, echoed back in every event of the message.</summary>
    public const string IdempotencyKeyArg = "mentoringKey";
    public const string ProgramIdArg = "programId";

    /// <summary>How far the signed timestamp may be from now: a captured request cannot be replayed later than this.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(10);

    private readonly byte[] _publicKey;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _tolerance;

    /// <param name="publicKey">The verification key from SendGrid's Mail Settings: base64 of the DER public key, with or without PEM lines.</param>
    public SendGridEventWebhook(string publicKey, TimeProvider clock, TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _publicKey = ParsePublicKey(publicKey);
        _clock = clock;
        _tolerance = tolerance ?? DefaultTolerance;
    }

    /// <summary>The DER SubjectPublicKeyInfo of an EC key given as PEM or bare base64; throws when it is neither or not an EC key.</summary>
    public static byte[] ParsePublicKey(string publicKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(publicKey);
        var base64 = string.Concat(publicKey
            .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith("-----", StringComparison.Ordinal)));
        byte[] der;
        try
        {
            der = Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The SendGrid event webhook key is not base64 (copy it from Mail Settings > Event Webhook).", nameof(publicKey), e);
        }
        using var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportSubjectPublicKeyInfo(der, out _);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException("The SendGrid event webhook key is not an EC public key.", nameof(publicKey), e);
        }
        return der;
    }

    /// <summary>True when the signature is SendGrid's over <paramref name="timestamp"/> + <paramref name="body"/> and the timestamp is recent.</summary>
    public bool Verify(ReadOnlySpan<byte> body, string? signature, string? timestamp)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((_clock.GetUtcNow() - signedAt).Duration() > _tolerance)
        {
            return false;
        }
        byte[] derSignature;
        try
        {
            derSignature = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return false;
        }
        var prefix = Encoding.UTF8.GetBytes(timestamp);
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(_publicKey, out _);
        try
        {
            return ecdsa.VerifyData(signed, derSignature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false; // a signature that is not even a DER sequence
        }
    }

    /// <summary>
    /// The suppressions in a batch of events (a JSON array). Throws <see cref="ValidationFailedException"/> when the body is
    /// not an array of objects; events without an email are skipped.
    /// </summary>
    public static IReadOnlyList<MailSuppression> Suppressions(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new ValidationFailedException("body", Rules.InvalidJson, $"The event batch is not JSON: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new ValidationFailedException("body", Rules.WrongType, "SendGrid posts events as a JSON array.");
            }
            var suppressions = new List<MailSuppression>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw new ValidationFailedException("body", Rules.WrongType, "Every event in the batch must be a JSON object.");
                }
                if (ToSuppression(item) is { } suppression)
                {
                    suppressions.Add(suppression);
                }
            }
            return suppressions;
        }
    }

    private static MailSuppression? ToSuppression(JsonElement item)
    {
        var reason = Text(item, "event") switch
        {
            // "blocked" bounces are temporary refusals (reputation, content); only a real bounce stops mail for good.
            "bounce" when Text(item, "type") is null or "bounce" => MailSuppressionReason.Bounce,
            "spamreport" => MailSuppressionReason.SpamReport,
            "unsubscribe" => MailSuppressionReason.Unsubscribe,
            "group_unsubscribe" => MailSuppressionReason.GroupUnsubscribe,
            _ => (MailSuppressionReason?)null,
        };
        if (reason is null || Text(item, "email") is not { Length: > 0 } email)
        {
            return null;
        }
        var at = item.TryGetProperty("timestamp", out var ts) && ts.ValueKind == JsonValueKind.Number && ts.TryGetInt64(out var unix)
            && unix >= 0 && unix <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(unix)
            : DateTimeOffset.UnixEpoch;
        return new MailSuppression(EmailAddress.Normalise(email), reason.Value, at, Text(item, "sg_event_id"),
            Text(item, ProgramIdArg), Text(item, IdempotencyKeyArg), Text(item, "reason") ?? Text(item, "status"));
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
