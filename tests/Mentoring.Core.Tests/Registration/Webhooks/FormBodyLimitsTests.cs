using System.Text;
using Mentoring.Core.Common;
using Mentoring.Core.Registration.Webhooks;

namespace Mentoring.Core.Tests.Registration.Webhooks;

/// <summary>
/// The form reader behind Jotform deliveries at its edges: limits that keep a hostile body cheap, the boundary rules
/// of RFC 2046, content types as real tools spell them, and which parts are answers (text) and which are uploads.
/// </summary>
public sealed class FormBodyLimitsTests
{
    private const string Type = "multipart/form-data; boundary=XyZ";

    private static string Part(string name, string value, params string[] extraHeaders) =>
        $"--XyZ\r\nContent-Disposition: form-data; name=\"{name}\"\r\n" + string.Concat(extraHeaders.Select(h => h + "\r\n")) + $"\r\n{value}\r\n";

    private static string Body(params string[] parts) => string.Concat(parts) + "--XyZ--\r\n";

    private static Dictionary<string, List<string>> Read(string body, string contentType = Type) =>
        FormBody.Read(Encoding.UTF8.GetBytes(body), contentType);

    private static string Refused(string body, string contentType = Type)
    {
        var error = Assert.Single(Assert.Throws<ValidationFailedException>(() => Read(body, contentType)).Errors);
        Assert.Equal(("$", Rules.Format), (error.Field, error.Rule));
        return error.Detail;
    }

    [Fact]
    public void Five_hundred_parts_are_read_and_the_501st_is_refused()
    {
        var parts = Enumerable.Range(0, 501).Select(i => Part($"q{i}", $"{i}")).ToArray();
        Assert.Equal(500, Read(Body(parts[..500])).Count);
        Assert.Equal("The multipart body has more than 500 parts.", Refused(Body(parts)));
    }

    [Fact]
    public void A_part_may_have_sixteen_header_lines_but_not_seventeen()
    {
        var fifteen = Enumerable.Range(0, 15).Select(i => $"X-Extra-{i}: {i}").ToArray();
        Assert.Equal(["Ada"], Read(Body(Part("name", "Ada", fifteen)))["name"]);
        Assert.Equal("A multipart part has too many headers.", Refused(Body(Part("name", "Ada", [.. fifteen, "X-Extra-15: 15"]))));
    }

    [Fact]
    public void A_boundary_of_70_characters_is_accepted_and_71_is_refused()
    {
        var longest = new string('b', 70);
        var body = $"--{longest}\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nyes\r\n--{longest}--";
        Assert.Equal(["yes"], Read(body, $"multipart/form-data; boundary={longest}")["q"]);

        var tooLong = new string('b', 71);
        Refused($"--{tooLong}\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nyes\r\n--{tooLong}--", $"multipart/form-data; boundary={tooLong}");
    }

    [Theory]
    [InlineData("multipart/form-data")]
    [InlineData("multipart/form-data; boundary=")]
    [InlineData("multipart/form-data; boundary=\"XyZ \"")]
    [InlineData("multipart/form-data; boundary=\"Xy\tZ\"")]
    [InlineData("multipart/form-data; boundary=Xy\u00e9Z")]
    [InlineData("multipart/form-data; boundary=Xy\u007fZ")]
    public void A_boundary_that_is_missing_empty_ends_in_a_space_or_is_not_printable_ascii_is_refused(string contentType) =>
        Assert.Equal("The multipart content type needs a boundary parameter of 1-70 printable characters.", Refused(Body(Part("q", "1")), contentType));

    [Fact]
    public void A_boundary_may_contain_inner_spaces_and_printable_punctuation()
    {
        var body = "--a b~'()\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nyes\r\n--a b~'()--";
        Assert.Equal(["yes"], Read(body, "multipart/form-data; boundary=\"a b~'()\"")["q"]);
    }

    [Fact]
    public void An_upper_case_media_type_and_parameter_name_are_accepted()
    {
        Assert.Equal(["1"], Read(Body(Part("q", "1")), "Multipart/Form-Data; BOUNDARY=XyZ")["q"]);
        Assert.Equal(["1"], Read("q=1", "APPLICATION/X-WWW-FORM-URLENCODED")["q"]);
    }

    [Fact]
    public void A_quoted_semicolon_or_escaped_quote_belongs_to_the_parameter_value()
    {
        var body = "--a;b\"c\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nyes\r\n--a;b\"c--";
        Assert.Equal(["yes"], Read(body, "multipart/form-data; charset=utf-8; boundary=\"a;b\\\"c\"")["q"]);
    }

    [Fact]
    public void A_quoted_semicolon_in_a_part_name_is_kept_in_the_field_name()
    {
        var body = "--XyZ\r\nContent-Disposition: form-data; name=\"q;1\"\r\n\r\nyes\r\n--XyZ--";
        Assert.Equal(["yes"], Read(body)["q;1"]);
    }

    [Fact]
    public void Empty_parameters_are_ignored_but_a_parameter_without_a_value_is_refused()
    {
        Assert.Equal(["1"], Read(Body(Part("q", "1")), "multipart/form-data;; boundary=XyZ;")["q"]);
        Refused(Body(Part("q", "1")), "multipart/form-data; boundary=XyZ; charset");
    }

    private const string Unreadable = "The content type must be multipart/form-data or application/x-www-form-urlencoded.";

    [Theory]
    [InlineData("multipart /form-data; boundary=XyZ", Unreadable)]
    [InlineData("multipart/; boundary=XyZ", Unreadable)]
    [InlineData("/form-data; boundary=XyZ", Unreadable)]
    [InlineData("multipart; boundary=XyZ", Unreadable)]
    [InlineData("multipart/form-data;=XyZ; boundary=XyZ", Unreadable)]
    [InlineData("", Unreadable)]
    [InlineData("text/plain", "The content type must be multipart/form-data or application/x-www-form-urlencoded, not text/plain.")]
    [InlineData("APPLICATION/ZIP", "The content type must be multipart/form-data or application/x-www-form-urlencoded, not application/zip.")]
    public void A_content_type_that_is_not_a_form_is_refused_saying_which_ones_are(string contentType, string detail) =>
        Assert.Equal(detail, Refused(Body(Part("q", "1")), contentType));

    [Fact]
    public void An_escaped_quote_before_a_semicolon_or_an_escaped_backslash_stays_in_a_quoted_boundary()
    {
        var quote = "--a\"b;c\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nyes\r\n--a\"b;c--";
        Assert.Equal(["yes"], Read(quote, "multipart/form-data; boundary=\"a\\\"b;c\"; charset=utf-8")["q"]);
        var backslash = "--a\\b\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nyes\r\n--a\\b--";
        Assert.Equal(["yes"], Read(backslash, "multipart/form-data; boundary=\"a\\\\b\"")["q"]);
    }

    [Fact]
    public void A_url_encoded_field_without_a_name_is_refused()
    {
        Assert.Equal("The form body has a field without a name.", Refused("=anonymous&q=1", "application/x-www-form-urlencoded"));
        Assert.Equal([""], Read("q", "application/x-www-form-urlencoded")["q"]);
    }

    [Fact]
    public void Uploaded_files_and_non_text_parts_are_skipped_while_text_parts_are_answers()
    {
        var fields = Read(Body(
            Part("cv", "%PDF-1.7 binary", "Content-Type: application/pdf"),
            "--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"me.txt\"\r\nContent-Type: text/plain\r\n\r\nnot an answer\r\n",
            Part("odd", "???", "Content-Type: not a type"),
            Part("bio", "Likes SQL", "Content-Type: text/plain; charset=utf-8"),
            Part("level", "Senior")));
        Assert.Equal(["bio", "level"], fields.Keys.Order());
        Assert.Equal(["Likes SQL"], fields["bio"]);
    }

    [Fact]
    public void An_upload_is_skipped_even_when_its_bytes_are_not_utf8()
    {
        var bytes = Encoding.ASCII.GetBytes("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n\r\n")
            .Concat(new byte[] { 0xFF, 0xFE, 0x00 })
            .Concat(Encoding.ASCII.GetBytes("\r\n" + Body(Part("q", "1")))).ToArray();
        var fields = FormBody.Read(bytes, Type);
        Assert.Equal(["q"], fields.Keys);
    }

    [Fact]
    public void A_repeated_field_keeps_every_value_in_order()
    {
        Assert.Equal(["SQL", "Negotiation"], Read(Body(Part("goals", "SQL"), Part("goals", "Negotiation")))["goals"]);
        Assert.Equal(["SQL", "Negotiation"], Read("goals=SQL&goals=Negotiation", "application/x-www-form-urlencoded")["goals"]);
    }

    [Fact]
    public void A_disposition_other_than_form_data_or_a_part_without_a_name_is_refused()
    {
        Assert.Equal("A multipart part's Content-Disposition is not form-data.",
            Refused("--XyZ\r\nContent-Disposition: attachment; name=\"q\"\r\n\r\n1\r\n--XyZ--"));
        Assert.Equal("A multipart part has no Content-Disposition name.",
            Refused("--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n1\r\n--XyZ--"));
        Assert.Equal("A multipart part has no Content-Disposition name.",
            Refused("--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--"));
    }

    [Fact]
    public void A_header_line_without_a_name_is_refused_and_quoted_briefly()
    {
        var detail = Refused("--XyZ\r\nContent-Disposition: form-data; name=\"q\"\r\n: " + new string('v', 100) + "\r\n\r\n1\r\n--XyZ--");
        Assert.Equal("A multipart part has a malformed header line: ': " + new string('v', 58) + "...'.", detail);
    }

    [Fact]
    public void Url_encoded_bodies_decode_plus_and_percent_and_refuse_a_field_without_a_name()
    {
        var fields = Read("name=Ada+Lovelace&city=M%C3%BCnchen&&flag", "application/x-www-form-urlencoded");
        Assert.Equal(["Ada Lovelace"], fields["name"]);
        Assert.Equal(["München"], fields["city"]);
        Assert.Equal([""], fields["flag"]);
        Assert.Equal("The form body has a field without a name.", Refused("=x&q=1", "application/x-www-form-urlencoded"));
    }
}
