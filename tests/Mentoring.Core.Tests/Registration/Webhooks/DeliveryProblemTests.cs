using System.Text;
using Mentoring.Core.Common;
using Mentoring.Core.Registration.Webhooks;

namespace Mentoring.Core.Tests.Registration.Webhooks;

/// <summary>
/// What a forms tool's admin reads when a delivery is refused: the problem document's field, rule and detail. A wrong
/// or empty detail leaves them guessing which field of which delivery to fix.
/// </summary>
public class DeliveryProblemTests
{
    private const string Secret = "whsec-problems-0123456789";
    private static readonly IFormsProvider Generic = FormsProviders.Find("generic")!;

    private static WebhookDelivery Delivery(string body, params (string Name, string Value)[] headers) =>
        new(Encoding.UTF8.GetBytes(body), "application/json",
            headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase), new Dictionary<string, string>());

    private static FieldError Problem(string body)
    {
        var refused = Assert.Throws<ValidationFailedException>(() => Generic.Parse(Delivery(body)));
        return Assert.Single(refused.Errors);
    }

    [Theory]
    [InlineData("", "$", Rules.Required, "The body is empty; a JSON document was expected.")]
    [InlineData("\uFEFF", "$", Rules.Required, "The body is empty; a JSON document was expected.")]
    [InlineData("[1]", "$", Rules.WrongType, "'$' must be an object, not an array.")]
    [InlineData("{\"fields\":{}}", "submissionId", Rules.Required, "'submissionId' is required.")]
    [InlineData("{\"submissionId\":\"  \",\"fields\":{}}", "submissionId", Rules.Required, "'submissionId' must not be empty.")]
    [InlineData("{\"submissionId\":5,\"fields\":{}}", "submissionId", Rules.WrongType, "'submissionId' must be a string, not a number.")]
    [InlineData("{\"submissionId\":true,\"fields\":{}}", "submissionId", Rules.WrongType, "'submissionId' must be a string, not a boolean.")]
    [InlineData("{\"submissionId\":\"s\",\"submittedAt\":\"yesterday\",\"fields\":{}}", "submittedAt", Rules.Format, "'submittedAt' is not an ISO 8601 timestamp.")]
    [InlineData("{\"submissionId\":\"s\",\"submittedAt\":1741000000,\"fields\":{}}", "submittedAt", Rules.WrongType, "'submittedAt' must be a string, not a number.")]
    [InlineData("{\"submissionId\":\"s\",\"updatedAt\":{},\"fields\":{}}", "updatedAt", Rules.WrongType, "'updatedAt' must be a string, not an object.")]
    [InlineData("{\"submissionId\":\"s\",\"test\":\"yes\",\"fields\":{}}", "test", Rules.WrongType, "'test' must be a boolean, not a string.")]
    [InlineData("{\"submissionId\":\"s\"}", "fields", Rules.Required, "'fields' is required.")]
    [InlineData("{\"submissionId\":\"s\",\"fields\":[]}", "fields", Rules.WrongType, "'fields' must be an object, not an array.")]
    [InlineData("{\"submissionId\":\"s\",\"fields\":{\"a\":{\"x\":1}}}", "fields.a", Rules.WrongType, "'fields.a' must be a string, number, boolean or an array of them, not an object.")]
    [InlineData("{\"submissionId\":\"s\",\"fields\":{\"a\":[\"ok\",[1]]}}", "fields.a[1]", Rules.WrongType, "'fields.a[1]' must be a string, number or boolean, not an array.")]
    public void A_malformed_generic_delivery_names_the_field_and_the_rule(string body, string field, string rule, string detail)
    {
        Assert.Equal((field, rule, detail), (Problem(body).Field, Problem(body).Rule, Problem(body).Detail));
    }

    [Fact]
    public void A_jotform_delivery_without_its_raw_request_names_the_missing_form_field()
    {
        var body = WebhookFixtures.Multipart(("submissionID", "5912345678901234567"));
        var delivery = new WebhookDelivery(Encoding.UTF8.GetBytes(body), $"multipart/form-data; boundary={WebhookFixtures.JotformBoundary}",
            new Dictionary<string, string>(), new Dictionary<string, string>());

        var refused = Assert.Throws<ValidationFailedException>(() => FormsProviders.Find("jotform")!.Parse(delivery));

        Assert.Equal(("rawRequest", Rules.Required, "The form field 'rawRequest' is required."),
            (refused.Errors[0].Field, refused.Errors[0].Rule, refused.Errors[0].Detail));
    }

    [Fact]
    public void A_tally_field_whose_type_is_not_text_is_refused()
    {
        var body = WebhookFixtures.Text(WebhookFixtures.Tally).Replace("\"type\": \"INPUT_EMAIL\"", "\"type\": 5", StringComparison.Ordinal);
        var delivery = new WebhookDelivery(Encoding.UTF8.GetBytes(body), "application/json", new Dictionary<string, string>(), new Dictionary<string, string>());

        var refused = Assert.Throws<ValidationFailedException>(() => FormsProviders.Find("tally")!.Parse(delivery));

        Assert.Equal(Rules.WrongType, refused.Errors[0].Rule);
        Assert.EndsWith("type", refused.Errors[0].Field, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tally_field_list_holding_null_names_the_entry()
    {
        const string body = """{ "eventType": "FORM_RESPONSE", "data": { "responseId": "r1", "fields": [null] } }""";
        var delivery = new WebhookDelivery(Encoding.UTF8.GetBytes(body), "application/json", new Dictionary<string, string>(), new Dictionary<string, string>());

        var refused = Assert.Throws<ValidationFailedException>(() => FormsProviders.Find("tally")!.Parse(delivery));

        Assert.Equal(("data.fields[0]", Rules.WrongType, "'data.fields[0]' must be an object, not null."),
            (refused.Errors[0].Field, refused.Errors[0].Rule, refused.Errors[0].Detail));
    }

    [Fact]
    public void A_tally_answer_holding_a_list_inside_its_list_names_the_entry()
    {
        const string body = """{ "eventType": "FORM_RESPONSE", "data": { "responseId": "r1", "fields": [ { "key": "q1", "type": "CHECKBOXES", "value": [["a"]] } ] } }""";
        var delivery = new WebhookDelivery(Encoding.UTF8.GetBytes(body), "application/json", new Dictionary<string, string>(), new Dictionary<string, string>());

        var refused = Assert.Throws<ValidationFailedException>(() => FormsProviders.Find("tally")!.Parse(delivery));

        Assert.Equal(("data.fields[0].value[0]", Rules.WrongType, "'data.fields[0].value[0]' must be a string, number or boolean, not an array."),
            (refused.Errors[0].Field, refused.Errors[0].Rule, refused.Errors[0].Detail));
    }

    [Fact]
    public void A_typeform_signature_in_another_scheme_says_which_one_is_expected()
    {
        var delivery = Delivery("{}", (TypeformProvider.SignatureHeader, "md5=abc"));

        var refused = Assert.Throws<AuthenticationFailedException>(() => FormsProviders.Find("typeform")!.Authenticate(delivery, [Secret]));

        Assert.Equal("The Typeform-Signature header must start with 'sha256='.", refused.Message);
    }

    [Fact]
    public void A_body_that_is_not_json_says_why()
    {
        var problem = Problem("{\"submissionId\":");

        Assert.Equal(("$", Rules.InvalidJson), (problem.Field, problem.Rule));
        Assert.StartsWith("Not valid JSON: ", problem.Detail, StringComparison.Ordinal);
        Assert.True(problem.Detail.Length > "Not valid JSON: ".Length);
    }

    [Fact]
    public void Every_kind_of_value_is_read_as_text_and_nulls_are_skipped()
    {
        var submission = Generic.Parse(Delivery("{\"submissionId\":\"s\",\"test\":false,\"fields\":{\"a\":[\"x\",2.50,true,false,null],\"b\":null,\"c\":7}}"));

        Assert.Equal(["x", "2.50", "true", "false"], submission.Fields["a"]);
        Assert.Equal(["7"], submission.Fields["c"]);
        Assert.False(submission.Fields.ContainsKey("b"));
        Assert.Equal(DeliveryKind.Response, submission.Kind);
    }

    private static string Sign(string body, string secret) =>
        Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private static string Refusal(WebhookDelivery delivery, params string[] secrets) =>
        Assert.Throws<AuthenticationFailedException>(() => Generic.Authenticate(delivery, secrets)).Message;

    [Fact]
    public void A_refused_signature_says_what_is_wrong_with_it()
    {
        const string body = "{}";

        Assert.Equal("The X-Mentoring-Signature header is missing.", Refusal(Delivery(body), Secret));
        Assert.Equal("The X-Mentoring-Signature header must start with 'sha256='.",
            Refusal(Delivery(body, ("X-Mentoring-Signature", "sha1=" + Sign(body, Secret))), Secret));
        Assert.Equal("The X-Mentoring-Signature header is not a base64 HMAC-SHA256 signature.",
            Refusal(Delivery(body, ("X-Mentoring-Signature", "sha256=not base64!")), Secret));
        Assert.Equal("The X-Mentoring-Signature header is not a base64 HMAC-SHA256 signature.",
            Refusal(Delivery(body, ("X-Mentoring-Signature", "sha256=" + Convert.ToBase64String(new byte[31]))), Secret));
        Assert.Equal("The X-Mentoring-Signature signature does not match any of the program's webhook secrets (a program without one takes no deliveries).",
            Refusal(Delivery(body, ("X-Mentoring-Signature", "sha256=" + Sign(body, "another"))), Secret));
        // No secret (or no program): refused in the same words as a wrong signature, so nobody learns which is which.
        Assert.Equal("The X-Mentoring-Signature signature does not match any of the program's webhook secrets (a program without one takes no deliveries).",
            Refusal(Delivery(body, ("X-Mentoring-Signature", "sha256=" + Sign(body, ""))), "", ""));
    }

    [Fact]
    public void A_signature_with_surrounding_spaces_still_verifies()
    {
        const string body = "{}";

        Generic.Authenticate(Delivery(body, ("X-Mentoring-Signature", "sha256= " + Sign(body, Secret) + " ")), ["", Secret]);
    }

    [Fact]
    public void A_refused_token_says_where_it_was_looked_for()
    {
        Assert.Equal("The X-Mentoring-Token header does not match any of the program's webhook secrets (a program without one takes no deliveries).",
            Refusal(Delivery("{}", ("X-Mentoring-Token", "wrong")), Secret));
        Generic.Authenticate(Delivery("{}", ("X-Mentoring-Token", Secret)), ["old", Secret]);

        var jotform = FormsProviders.Find("jotform")!;
        var noToken = new WebhookDelivery(Array.Empty<byte>(), "multipart/form-data; boundary=x", new Dictionary<string, string>(), new Dictionary<string, string>());
        var badToken = noToken with { Query = new Dictionary<string, string> { ["token"] = "wrong" } };
        Assert.Equal("The 'token' query parameter is missing.", Assert.Throws<AuthenticationFailedException>(() => jotform.Authenticate(noToken, [Secret])).Message);
        Assert.Equal("The 'token' query parameter does not match any of the program's webhook secrets (a program without one takes no deliveries).",
            Assert.Throws<AuthenticationFailedException>(() => jotform.Authenticate(badToken, [Secret])).Message);
    }
}
