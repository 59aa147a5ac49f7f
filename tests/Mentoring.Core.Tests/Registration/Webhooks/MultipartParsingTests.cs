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

    [Fact]
    public void A_body_that_does_not_start_with_the_boundary_is_rejected() =>
        Broken("preamble\r\n" + Valid);

    [Fact]
    public void A_body_without_its_closing_boundary_is_rejected() =>
        Broken("--XyZ\r\nContent-Disposition: form-data; name=\"submissionID\"\r\n\r\n77\r\n");

    [Fact]
    public void Bare_line_feeds_are_rejected() =>
        Broken(Valid.Replace("\r\n", "\n", StringComparison.Ordinal));

    [Fact]
    public void Junk_after_a_boundary_is_rejected() =>
        Broken("--XyZjunk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--XyZ--");

    [Fact]
    public void A_part_without_a_name_is_rejected() =>
        Broken("--XyZ\r\nContent-Disposition: form-data\r\n\r\nb\r\n--XyZ--");

    [Fact]
    public void A_part_without_headers_is_rejected() =>
        Broken("--XyZ\r\n\r\nb\r\n--XyZ--");

    [Fact]
    public void A_malformed_header_line_is_rejected() =>
        Broken("--XyZ\r\nContent-Disposition form-data; name=\"a\"\r\n\r\nb\r\n--XyZ--");

    [Fact]
    public void A_non_form_data_disposition_is_rejected() =>
        Broken("--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nb\r\n--XyZ--");

    [Fact]
    public void Invalid_utf8_in_a_text_part_is_rejected()
    {
        var bytes = Encoding.ASCII.GetBytes("--XyZ\r\nContent-Disposition: form-data; name=\"submissionID\"\r\n\r\n")
            .Concat(new byte[] { 0xC3, 0x28 })
            .Concat(Encoding.ASCII.GetBytes("\r\n--XyZ--")).ToArray();
        var error = Assert.Throws<ValidationFailedException>(() => FormsProviders.Jotform.Parse(
            new WebhookDelivery(bytes, "multipart/form-data; boundary=XyZ", new Dictionary<string, string>(), new Dictionary<string, string>())));
        Assert.Equal(Rules.Format, error.Errors[0].Rule);
    }

    [Fact]
    public void An_unsupported_content_type_is_rejected() =>
        Broken(Valid, "application/json");

    [Fact]
    public void An_empty_body_is_rejected() =>
        Broken("");
}
