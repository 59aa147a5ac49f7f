using System.Text;
using Mentoring.Core.Common;
using Mentoring.Core.Registration.Webhooks;

namespace Mentoring.Core.Tests.Registration.Webhooks;

public class MultipartParsingTests
{
    private const string Raw = """{"q3_email":"ada@example.com"}""";

    private static FormSubmission Parse(string body, string contentType = "multipart/form-data; boundary=XyZ") =>
        FormsProviders.Jotform.Parse(new WebhookDelivery(Encoding.UTF8.GetBytes(body), contentType,
            new Dictionary<string, string>(), new Dictionary<string, string>()));

    private static ValidationFailedException Broken(string body, string contentType = "multipart/form-data; boundary=XyZ")
    {
        var error = Assert.Throws<ValidationFailedException>(() => Parse(body, contentType));
        Assert.Equal("$", error.Errors[0].Field);
        Assert.Equal(Rules.Format, error.Errors[0].Rule);
        return error;
    }

    private static string Valid =>
        "--XyZ\r\nContent-Disposition: form-data; name=\"submissionID\"\r\n\r\n77\r\n" +
        $"--XyZ\r\nContent-Disposition: form-data; name=\"rawRequest\"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{Raw}\r\n" +
        "--XyZ--\r\n";

    [Fact]
    public void A_well_formed_body_parses()
    {
        var s = Parse(Valid);
        Assert.Equal("77", s.SubmissionId);
        Assert.Equal(["ada@example.com"], s.Fields["q3_email"]);
    }

    [Fact]
    public void A_quoted_boundary_parameter_is_unquoted()
    {
        var s = Parse(Valid, "multipart/form-data; charset=utf-8; boundary=\"XyZ\"");
        Assert.Equal("77", s.SubmissionId);
    }

    [Fact]
    public void Values_may_contain_line_breaks_and_dashes()
    {
        var body = "--XyZ\r\nContent-Disposition: form-data; name=\"submissionID\"\r\n\r\n--Xy\r\n-- not a boundary\r\n" +
                   $"--XyZ\r\nContent-Disposition: form-data; name=\"rawRequest\"\r\n\r\n{Raw}\r\n--XyZ--";
        Assert.Equal("--Xy\r\n-- not a boundary", Parse(body).SubmissionId);
    }

    [Fact]
    public void File_parts_are_skipped()
    {
        var body = "--XyZ\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"cv.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\xff\r\n" + Valid;
        Assert.Equal("77", Parse(body).SubmissionId);
    }

    [Fact]
    public void A_missing_boundary_parameter_is_rejected() =>
        Assert.Contains("boundary", Broken(Valid, "multipart/form-data").Message, StringComparison.Ordinal);

    // The detail is what the form's owner reads in the 400 answer (and the webhook log): it must say what is wrong.
    [Theory]
    [InlineData("preamble\r\n--XyZ--", "The multipart body does not start with its boundary.")]
    [InlineData("", "The multipart body does not start with its boundary.")]
    [InlineData("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n77\r\n", "The multipart body ends before its closing boundary.")]
    [InlineData("--XyZ\nContent-Disposition: form-data; name=\"a\"\n\nb\n--XyZ--",
        "A multipart boundary is followed by something other than a line break or '--'.")]
    [InlineData("--XyZjunk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--XyZ--",
        "A multipart boundary is followed by something other than a line break or '--'.")]
    [InlineData("--XyZ\r\nContent-Disposition: form-data\r\n\r\nb\r\n--XyZ--", "A multipart part has no Content-Disposition name.")]
    [InlineData("--XyZ\r\n\r\nb\r\n--XyZ--", "A multipart part has no Content-Disposition header.")]
    [InlineData("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nb\r\n--XyZ--",
        "A multipart part's headers are not terminated by an empty line.")]
    [InlineData("--XyZ\r\nContent-Disposition form-data; name=\"a\"\r\n\r\nb\r\n--XyZ--",
        "A multipart part has a malformed header line: 'Content-Disposition form-data; name=\"a\"'.")]
    [InlineData("--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nb\r\n--XyZ--",
        "A multipart part's Content-Disposition is not form-data.")]
    public void A_malformed_body_is_refused_with_a_detail_that_says_what_is_wrong(string body, string detail) =>
        Assert.Equal(detail, Broken(body).Errors[0].Detail);

    [Fact]
    public void A_malformed_header_line_is_quoted_up_to_sixty_characters()
    {
        var sixty = new string('h', 60);
        Assert.Equal($"A multipart part has a malformed header line: '{sixty}'.",
            Broken($"--XyZ\r\n{sixty}\r\n\r\nb\r\n--XyZ--").Errors[0].Detail);
        Assert.Equal($"A multipart part has a malformed header line: '{sixty}...'.",
            Broken($"--XyZ\r\n{sixty}h\r\n\r\nb\r\n--XyZ--").Errors[0].Detail);
    }

    [Fact]
    public void Invalid_utf8_in_a_text_part_is_rejected()
    {
        var bytes = Encoding.ASCII.GetBytes("--XyZ\r\nContent-Disposition: form-data; name=\"submissionID\"\r\n\r\n")
            .Concat(new byte[] { 0xC3, 0x28 })
            .Concat(Encoding.ASCII.GetBytes("\r\n--XyZ--")).ToArray();
        var error = Assert.Throws<ValidationFailedException>(() => FormsProviders.Jotform.Parse(
            new WebhookDelivery(bytes, "multipart/form-data; boundary=XyZ", new Dictionary<string, string>(), new Dictionary<string, string>())));
        Assert.Equal((Rules.Format, "Multipart field 'submissionID' is not valid UTF-8."), (error.Errors[0].Rule, error.Errors[0].Detail));
    }

    [Fact]
    public void Invalid_utf8_in_part_headers_or_a_url_encoded_body_is_refused_as_such()
    {
        var headers = Encoding.ASCII.GetBytes("--XyZ\r\nContent-Disposition: form-data; name=\"a")
            .Concat(new byte[] { 0xC3, 0x28 })
            .Concat(Encoding.ASCII.GetBytes("\"\r\n\r\nb\r\n--XyZ--")).ToArray();
        var urlEncoded = Encoding.ASCII.GetBytes("a=").Concat(new byte[] { 0xFF }).ToArray();

        Assert.Equal("A multipart part's headers are not valid UTF-8.", Refused(headers, "multipart/form-data; boundary=XyZ").Detail);
        Assert.Equal("The form body is not valid UTF-8.", Refused(urlEncoded, "application/x-www-form-urlencoded").Detail);
    }

    private static FieldError Refused(byte[] body, string contentType) =>
        Assert.Throws<ValidationFailedException>(() => FormsProviders.Jotform.Parse(
            new WebhookDelivery(body, contentType, new Dictionary<string, string>(), new Dictionary<string, string>()))).Errors[0];

    [Fact]
    public void An_unsupported_or_unreadable_content_type_is_refused_naming_the_two_that_work()
    {
        Assert.Equal("The content type must be multipart/form-data or application/x-www-form-urlencoded, not application/json.",
            Broken(Valid, "application/json").Errors[0].Detail);
        Assert.Equal("The content type must be multipart/form-data or application/x-www-form-urlencoded.",
            Broken(Valid, "form data").Errors[0].Detail);
    }
}
