using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mentoring.Core.Common;
using Mentoring.Core.Engagement;
using Mentoring.Core.Mail;

namespace Mentoring.Core.Tests.Mail;

public sealed class SendGridEventWebhookTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private const string Batch = """
        [
          {"email":"Ana@Example.com","timestamp":1803805200,"event":"bounce","type":"bounce","reason":"550 5.1.1 no such user","sg_event_id":"e1","mentoringKey":"intro:spring:w1:0","programId":"spring"},
          {"email":"bo@example.com","timestamp":1803805201,"event":"bounce","type":"blocked","reason":"reputation","sg_event_id":"e2"},
          {"email":"cy@example.com","timestamp":1803805202,"event":"spamreport","sg_event_id":"e3"},
          {"email":"di@example.com","timestamp":1803805203,"event":"unsubscribe","sg_event_id":"e4"},
          {"email":"ed@example.com","timestamp":1803805204,"event":"group_unsubscribe","asm_group_id":7,"sg_event_id":"e5"},
          {"email":"fa@example.com","timestamp":1803805205,"event":"delivered","sg_event_id":"e6"},
          {"timestamp":1803805206,"event":"spamreport","sg_event_id":"e7"}
        ]
        """;

    private readonly ECDsa _sendGridKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose() => _sendGridKey.Dispose();

    /// <summary>What SendGrid shows under Mail Settings: base64 of the DER public key.</summary>
    private string PublicKey => Convert.ToBase64String(_sendGridKey.ExportSubjectPublicKeyInfo());

    private SendGridEventWebhook Webhook(DateTimeOffset? now = null) => new(PublicKey, new FixedClock(now ?? Now));

    private static string Timestamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void The_malformed_header_cases_below_use_the_current_timestamp()
    {
        Assert.Equal("1803891600", Timestamp(Now)); // so they fail on the signature, not on the replay window
    }

    /// <summary>Signs the way SendGrid does: ECDSA P-256 over SHA-256 of timestamp + raw body, DER signature, base64.</summary>
    private string Sign(string timestamp, byte[] body, DSASignatureFormat format = DSASignatureFormat.Rfc3279DerSequence) =>
        Convert.ToBase64String(_sendGridKey.SignData([.. Encoding.UTF8.GetBytes(timestamp), .. body], HashAlgorithmName.SHA256, format));

    [Fact]
    public void A_batch_signed_with_the_configured_key_is_accepted()
    {
        var body = Encoding.UTF8.GetBytes(Batch);
        var timestamp = Timestamp(Now);

        Assert.True(Webhook().Verify(body, Sign(timestamp, body), timestamp));
    }

    [Fact]
    public void A_pem_formatted_key_verifies_like_the_bare_base64_key()
    {
        var body = Encoding.UTF8.GetBytes(Batch);
        var timestamp = Timestamp(Now);
        var pem = _sendGridKey.ExportSubjectPublicKeyInfoPem();

        Assert.True(new SendGridEventWebhook(pem, new FixedClock(Now)).Verify(body, Sign(timestamp, body), timestamp));
    }

    [Fact]
    public void A_changed_body_is_refused()
    {
        var body = Encoding.UTF8.GetBytes(Batch);
        var timestamp = Timestamp(Now);
        var signature = Sign(timestamp, body);

        var tampered = Encoding.UTF8.GetBytes(Batch.Replace("spamreport", "delivered", StringComparison.Ordinal));

        Assert.False(Webhook().Verify(tampered, signature, timestamp));
    }

    [Fact]
    public void A_changed_timestamp_is_refused_because_it_is_part_of_the_signed_data()
    {
        var body = Encoding.UTF8.GetBytes(Batch);
        var signature = Sign(Timestamp(Now), body);

        Assert.False(Webhook().Verify(body, signature, Timestamp(Now.AddSeconds(1))));
    }

    [Fact]
    public void A_signature_by_another_key_is_refused()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var body = Encoding.UTF8.GetBytes(Batch);
        var timestamp = Timestamp(Now);
        var forged = Convert.ToBase64String(other.SignData([.. Encoding.UTF8.GetBytes(timestamp), .. body], HashAlgorithmName.SHA256,
            DSASignatureFormat.Rfc3279DerSequence));

        Assert.False(Webhook().Verify(body, forged, timestamp));
    }

    [Fact]
    public void A_signature_older_than_the_tolerance_is_refused_as_a_replay()
    {
        var body = Encoding.UTF8.GetBytes(Batch);
        var signedAt = Now - SendGridEventWebhook.DefaultTolerance - TimeSpan.FromSeconds(1);
        var timestamp = Timestamp(signedAt);

        Assert.False(Webhook().Verify(body, Sign(timestamp, body), timestamp));
        Assert.True(Webhook(now: signedAt.AddMinutes(1)).Verify(body, Sign(timestamp, body), timestamp));
    }

    [Theory]
    [InlineData(null, "1803891600")]
    [InlineData("", "1803891600")]
    [InlineData("not base64!", "1803891600")]
    [InlineData("AAAA", "1803891600")]
    [InlineData("AAAA", null)]
    [InlineData("AAAA", "yesterday")]
    [InlineData("AAAA", "-5")]
    public void Missing_or_malformed_headers_are_refused_without_throwing(string? signature, string? timestamp)
    {
        Assert.False(Webhook().Verify(Encoding.UTF8.GetBytes(Batch), signature, timestamp));
    }

    [Fact]
    public void A_raw_r_and_s_signature_is_refused_because_sendgrid_signs_in_der()
    {
        var body = Encoding.UTF8.GetBytes(Batch);
        var timestamp = Timestamp(Now);

        Assert.False(Webhook().Verify(body, Sign(timestamp, body, DSASignatureFormat.IeeeP1363FixedFieldConcatenation), timestamp));
    }

    [Theory]
    [InlineData("not a key")]
    [InlineData("QUJD")]
    public void A_key_that_is_not_an_ec_public_key_is_refused_at_startup(string key)
    {
        Assert.Throws<ArgumentException>(() => new SendGridEventWebhook(key, new FixedClock(Now)));
    }

    [Fact]
    public void Bounces_spam_reports_and_unsubscribes_become_suppressions_and_other_events_do_not()
    {
        var suppressions = SendGridEventWebhook.Suppressions(Encoding.UTF8.GetBytes(Batch));

        Assert.Equal(
            [
                ("ana@example.com", MailSuppressionReason.Bounce),
                ("cy@example.com", MailSuppressionReason.SpamReport),
                ("di@example.com", MailSuppressionReason.Unsubscribe),
                ("ed@example.com", MailSuppressionReason.GroupUnsubscribe),
            ],
            suppressions.Select(s => (s.Email, s.Reason)));
    }

    [Fact]
    public void A_suppression_keeps_the_event_id_time_reason_and_the_custom_args_of_the_message()
    {
        var bounce = SendGridEventWebhook.Suppressions(Encoding.UTF8.GetBytes(Batch))[0];

        Assert.Equal("e1", bounce.EventId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1803805200), bounce.At);
        Assert.Equal("550 5.1.1 no such user", bounce.Detail);
        Assert.Equal("spring", bounce.ProgramId);
        Assert.Equal("intro:spring:w1:0", bounce.IdempotencyKey);
    }

    [Fact]
    public void A_suppression_is_stored_globally_under_the_digest_of_the_address_not_the_address()
    {
        var spam = SendGridEventWebhook.Suppressions(Encoding.UTF8.GetBytes(Batch))[1];

        var (key, document) = spam.ToDocument();

        Assert.Equal(EngagementDocuments.Suppression(MailSuppression.EmailDigest("CY@example.com ")), key);
        Assert.Equal("spam-report", document.Reason);
        Assert.Equal(spam.At, document.At);
        Assert.DoesNotContain("cy@", key.Id, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"event\":\"bounce\"}", Rules.WrongType)]
    [InlineData("[1, 2]", Rules.WrongType)]
    [InlineData("[{\"event\":", Rules.InvalidJson)]
    public void A_body_that_is_not_an_array_of_events_is_a_validation_error(string body, string rule)
    {
        var error = Assert.Throws<ValidationFailedException>(() => SendGridEventWebhook.Suppressions(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(rule, Assert.Single(error.Errors).Rule);
    }

    [Fact]
    public void An_empty_batch_has_no_suppressions()
    {
        Assert.Empty(SendGridEventWebhook.Suppressions("[]"u8));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
