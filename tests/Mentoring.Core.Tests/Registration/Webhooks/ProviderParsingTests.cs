using System.Text;
using Mentoring.Core.Common;
using Mentoring.Core.Registration.Webhooks;

namespace Mentoring.Core.Tests.Registration.Webhooks;

public class ProviderParsingTests
{
    private static FormSubmission Parse(string provider, string submissionId = "sub-42") =>
        FormsProviders.Find(provider)!.Parse(WebhookFixtures.Signed(provider, "s", submissionId).ToDelivery());

    private static FormSubmission ParseJson(IFormsProvider provider, string json) =>
        provider.Parse(new WebhookDelivery(Encoding.UTF8.GetBytes(json), "application/json",
            new Dictionary<string, string>(), new Dictionary<string, string>()));

    private static void AssertField(FormSubmission submission, string id, params string[] expected) =>
        Assert.Equal(expected, submission.Fields[id]);

    [Fact]
    public void Typeform_answers_of_every_type_become_strings_keyed_by_ref()
    {
        var s = Parse(WebhookFixtures.Typeform);

        Assert.Equal("sub-42", s.SubmissionId);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 10, 1, 45, TimeSpan.Zero), s.SubmittedAt);
        AssertField(s, "work_email", WebhookFixtures.DefaultEmail);
        AssertField(s, "full_name", "Ada Lovelace");
        AssertField(s, "department", "Engineering");
        AssertField(s, "level", "Senior");
        AssertField(s, "goals", "Public speaking", "Leadership", "Negotiation");
        AssertField(s, "years_in_role", "4");
        AssertField(s, "consent", "true");
        AssertField(s, "start_date", "2025-04-01");
        AssertField(s, "profile_url", "https://example.com/ada");
        AssertField(s, "phone", "+15555550123");
        AssertField(s, "location", "Berlin office");
        AssertField(s, "OldField0001", "No ref on this old field");
        AssertField(s, "utm_source", "newsletter");
        Assert.False(s.Fields.ContainsKey("cohort"));
    }

    [Fact]
    public void Typeform_numbers_keep_their_json_text()
    {
        var s = ParseJson(FormsProviders.Typeform, """
            {"form_response":{"token":"t","answers":[
              {"type":"number","number":3.5,"field":{"id":"a","ref":"score"}},
              {"type":"boolean","boolean":false,"field":{"id":"b","ref":"ok"}}]}}
            """);
        AssertField(s, "score", "3.5");
        AssertField(s, "ok", "false");
        Assert.Null(s.SubmittedAt);
    }

    [Fact]
    public void Tally_option_ids_resolve_to_option_text_and_scalars_become_strings()
    {
        var s = Parse(WebhookFixtures.Tally);

        Assert.Equal("sub-42", s.SubmissionId);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 10, 1, 45, TimeSpan.Zero), s.SubmittedAt);
        AssertField(s, "question_mVGEg3", WebhookFixtures.DefaultEmail);
        AssertField(s, "question_nPZ0xQ", "Ada Lovelace");
        AssertField(s, "question_3EKz4n", "Engineering");
        AssertField(s, "question_w4Q4Xn", "Senior");
        AssertField(s, "question_wA6rGp", "Public speaking", "Negotiation");
        AssertField(s, "question_wA6rGp_g1", "true");
        AssertField(s, "question_wA6rGp_g2", "false");
        AssertField(s, "question_nr0bJN", "Chess", "Hiking");
        AssertField(s, "question_mRoGbZ", "Data", "Writing", "Design");
        AssertField(s, "question_3y5Ebk", "4");
        AssertField(s, "question_mYkNaY", "7");
        AssertField(s, "question_wvW1oy", "5");
        AssertField(s, "question_w2qNk5", "Likes engines.\nAnd maths.");
        AssertField(s, "question_nWyXPd", "true");
        AssertField(s, "question_7Ro1Vd", "2025-04-01");
        AssertField(s, "question_mJ9k2L", "https://storage.tally.so/private/cv.pdf");
        AssertField(s, "question_3qDLJx", "newsletter");
        Assert.False(s.Fields.ContainsKey("question_mDOzKj"));
    }

    [Fact]
    public void Tally_choice_values_that_are_not_option_ids_are_kept_as_sent()
    {
        var s = ParseJson(FormsProviders.Tally, """
            {"eventType":"FORM_RESPONSE","data":{"responseId":"r1","fields":[
              {"key":"q","type":"MULTIPLE_CHOICE","value":"Sales","options":[{"id":"a","text":"Engineering"}]},
              {"key":"d","type":"DROPDOWN","value":"a","options":[{"id":"a","text":"Engineering"}]}]}}
            """);
        AssertField(s, "q", "Sales");
        AssertField(s, "d", "Engineering");
    }

    [Fact]
    public void Jotform_multipart_fields_come_from_raw_request_keys()
    {
        var s = Parse(WebhookFixtures.Jotform);

        Assert.Equal("sub-42", s.SubmissionId);
        Assert.Null(s.SubmittedAt);
        AssertField(s, "q3_email", WebhookFixtures.DefaultEmail);
        AssertField(s, "q4_name", "Ada Lovelace");
        AssertField(s, "q5_department", "Engineering");
        AssertField(s, "q7_goals", "Public speaking", "Leadership");
        AssertField(s, "q8_timeZone", "Europe/Berlin");
        AssertField(s, "q9_consent", "I agree to be matched and contacted");
        AssertField(s, "q10_startDate", "2025-04-01");
        AssertField(s, "q11_phone", "(555) 555-0123");
        AssertField(s, "q13_address", "1 Main St, Berlin, 10115, Germany");
        Assert.False(s.Fields.ContainsKey("q14_notes"));
    }

    [Fact]
    public void Jotform_full_names_keep_prefix_middle_and_suffix_in_order()
    {
        var raw = """{"q4_name":{"suffix":"Jr.","first":"Grace","middle":"B.","last":"Hopper","prefix":"Dr."}}""";
        var s = FormsProviders.Jotform.Parse(Multipart(("submissionID", "1"), ("rawRequest", raw)));
        AssertField(s, "q4_name", "Dr. Grace B. Hopper Jr.");
    }

    [Fact]
    public void Jotform_also_accepts_urlencoded_bodies()
    {
        var raw = """{"q3_email":"a+b@example.com","q7_goals":["Public speaking","R&D"]}""";
        var body = $"submissionID=6084250982513018472&formID=243231271343446&rawRequest={Uri.EscapeDataString(raw)}&pretty=x+y";
        var s = FormsProviders.Jotform.Parse(new WebhookDelivery(Encoding.UTF8.GetBytes(body), "application/x-www-form-urlencoded; charset=UTF-8",
            new Dictionary<string, string>(), new Dictionary<string, string>()));

        Assert.Equal("6084250982513018472", s.SubmissionId);
        AssertField(s, "q3_email", "a+b@example.com");
        AssertField(s, "q7_goals", "Public speaking", "R&D");
    }

    [Fact]
    public void Generic_fields_accept_strings_arrays_numbers_and_booleans()
    {
        var s = Parse(WebhookFixtures.Generic);

        Assert.Equal("sub-42", s.SubmissionId);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 10, 1, 45, TimeSpan.Zero), s.SubmittedAt);
        AssertField(s, "email", WebhookFixtures.DefaultEmail);
        AssertField(s, "goals", "Public speaking", "Leadership");
        AssertField(s, "yearsInRole", "4");
        AssertField(s, "consent", "true");
        Assert.False(s.Fields.ContainsKey("comments"));
    }

    [Fact]
    public void Google_forms_uses_the_generic_shape_with_item_ids()
    {
        var s = Parse(WebhookFixtures.GoogleForms);

        Assert.Equal("sub-42", s.SubmissionId);
        AssertField(s, "respondentEmail", WebhookFixtures.DefaultEmail);
        AssertField(s, "1203448871", "Ada Lovelace");
        AssertField(s, "930517744", "I agree to be matched and contacted");
    }

    public static TheoryData<string, string, string, string> MalformedJson() => new()
    {
        // provider, body, field, rule
        { "typeform", "{\"form_response\":", "$", Rules.InvalidJson },
        { "typeform", "", "$", Rules.Required },
        { "typeform", "[1,2]", "$", Rules.WrongType },
        { "typeform", "{}", "form_response", Rules.Required },
        { "typeform", """{"form_response":{"answers":[]}}""", "form_response.token", Rules.Required },
        { "typeform", """{"form_response":{"token":"  "}}""", "form_response.token", Rules.Required },
        { "typeform", """{"form_response":{"token":7}}""", "form_response.token", Rules.WrongType },
        { "typeform", """{"form_response":{"token":"t","submitted_at":"yesterday"}}""", "form_response.submitted_at", Rules.Format },
        { "typeform", """{"form_response":{"token":"t","answers":{}}}""", "form_response.answers", Rules.WrongType },
        { "typeform", """{"form_response":{"token":"t","answers":[{"type":"text","text":"x"}]}}""", "form_response.answers[0].field", Rules.Required },
        { "typeform", """{"form_response":{"token":"t","answers":[{"type":"text","text":5,"field":{"ref":"r"}}]}}""", "form_response.answers[0].text", Rules.WrongType },
        { "typeform", """{"form_response":{"token":"t","answers":[{"type":"number","number":"5","field":{"ref":"r"}}]}}""", "form_response.answers[0].number", Rules.WrongType },
        { "typeform", """{"form_response":{"token":"t","answers":[{"type":"choice","choice":{},"field":{"ref":"r"}}]}}""", "form_response.answers[0].choice.label", Rules.Required },
        { "typeform", """{"form_response":{"token":"t","answers":[{"type":"choices","choices":{"labels":"a"},"field":{"ref":"r"}}]}}""", "form_response.answers[0].choices.labels", Rules.WrongType },
        { "typeform", """{"form_response":{"token":"t","hidden":{"h":{"x":1}}}}""", "form_response.hidden.h", Rules.WrongType },
        { "typeform", """{"event_type":"form_deleted","form_response":{"token":"t"}}""", "event_type", Rules.Format },
        { "tally", "not json", "$", Rules.InvalidJson },
        { "tally", """{"data":{"fields":[]}}""", "data.responseId", Rules.Required },
        { "tally", """{"data":{"responseId":"r"}}""", "data.fields", Rules.Required },
        { "tally", """{"data":{"responseId":"r","fields":{}}}""", "data.fields", Rules.WrongType },
        { "tally", """{"data":{"responseId":"r","fields":[{"value":"x"}]}}""", "data.fields[0].key", Rules.Required },
        { "tally", """{"data":{"responseId":"r","fields":[{"key":"k","value":"a","options":[{"id":"a"}]}]}}""", "data.fields[0].options[0].text", Rules.Required },
        { "tally", """{"data":{"responseId":"r","createdAt":"soon","fields":[]}}""", "data.createdAt", Rules.Format },
        { "tally", """{"eventType":"FORM_DELETED","data":{"responseId":"r","fields":[]}}""", "eventType", Rules.Format },
        { "generic", "{\"submissionId\":\"x\",", "$", Rules.InvalidJson },
        { "generic", """{"fields":{}}""", "submissionId", Rules.Required },
        { "generic", """{"submissionId":1,"fields":{}}""", "submissionId", Rules.WrongType },
        { "generic", """{"submissionId":"x"}""", "fields", Rules.Required },
        { "generic", """{"submissionId":"x","fields":[]}""", "fields", Rules.WrongType },
        { "generic", """{"submissionId":"x","fields":{"a":{"b":1}}}""", "fields.a", Rules.WrongType },
        { "generic", """{"submissionId":"x","fields":{"a":["ok",["nested"]]}}""", "fields.a[1]", Rules.WrongType },
        { "generic", """{"submissionId":"x","submittedAt":"3 March","fields":{}}""", "submittedAt", Rules.Format },
        { "google-forms", """{"submissionId":"","fields":{}}""", "submissionId", Rules.Required },
    };

    [Theory]
    [MemberData(nameof(MalformedJson))]
    public void Malformed_json_payloads_name_the_field_and_rule(string provider, string body, string field, string rule)
    {
        var error = Assert.Throws<ValidationFailedException>(() => ParseJson(FormsProviders.Find(provider)!, body));
        var single = Assert.Single(error.Errors);
        Assert.Equal(field, single.Field);
        Assert.Equal(rule, single.Rule);
    }

    public static TheoryData<string, string, string> MalformedJotform() => new()
    {
        // rawRequest, field, rule (submissionID present)
        { "{\"q3_email\":", "rawRequest", Rules.InvalidJson },
        { "[]", "rawRequest", Rules.WrongType },
        { "", "rawRequest", Rules.Required },
    };

    [Theory]
    [MemberData(nameof(MalformedJotform))]
    public void Malformed_jotform_raw_requests_are_rejected(string rawRequest, string field, string rule)
    {
        var error = Assert.Throws<ValidationFailedException>(() =>
            FormsProviders.Jotform.Parse(Multipart(("submissionID", "1"), ("rawRequest", rawRequest))));
        Assert.Equal(field, error.Errors[0].Field);
        Assert.Equal(rule, error.Errors[0].Rule);
    }

    [Fact]
    public void Jotform_requires_a_submission_id()
    {
        var error = Assert.Throws<ValidationFailedException>(() =>
            FormsProviders.Jotform.Parse(Multipart(("formID", "1"), ("rawRequest", "{}"))));
        Assert.Equal(("submissionID", Rules.Required), (error.Errors[0].Field, error.Errors[0].Rule));
    }

    [Fact]
    public void Jotform_rejects_two_submission_ids()
    {
        var error = Assert.Throws<ValidationFailedException>(() =>
            FormsProviders.Jotform.Parse(Multipart(("submissionID", "1"), ("submissionID", "2"), ("rawRequest", "{}"))));
        Assert.Equal(("submissionID", Rules.SingleValue, "The form field 'submissionID' appears 2 times."),
            (error.Errors[0].Field, error.Errors[0].Rule, error.Errors[0].Detail));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("email")]
    [InlineData("url")]
    [InlineData("phone_number")]
    [InlineData("date")]
    [InlineData("file_url")]
    public void A_typeform_answer_without_its_value_is_refused_rather_than_dropped(string type)
    {
        var error = Assert.Throws<ValidationFailedException>(() => ParseJson(FormsProviders.Typeform,
            $$$"""{"form_response":{"token":"t","answers":[{"type":"{{{type}}}","{{{type}}}s":"x","field":{"ref":"r"}}]}}"""));
        Assert.Equal(($"form_response.answers[0].{type}", Rules.Required), (error.Errors[0].Field, error.Errors[0].Rule));
        var wrongType = Assert.Throws<ValidationFailedException>(() => ParseJson(FormsProviders.Typeform,
            $$$"""{"form_response":{"token":"t","answers":[{"type":"{{{type}}}","{{{type}}}":7,"field":{"ref":"r"}}]}}"""));
        Assert.Equal($"'form_response.answers[0].{type}' must be a string, not a number.", wrongType.Errors[0].Detail);
    }

    [Fact]
    public void A_typeform_answer_of_the_wrong_kind_says_what_was_expected()
    {
        static string Detail(string answer) => Assert.Throws<ValidationFailedException>(() => ParseJson(FormsProviders.Typeform,
            $$$"""{"form_response":{"token":"t","answers":[{{{answer}}}]}}""")).Errors[0].Detail;

        Assert.Equal("'form_response.answers[0].number' must be a number, not a string.",
            Detail("""{"type":"number","number":"5","field":{"ref":"r"}}"""));
        Assert.Equal("'form_response.answers[0].boolean' must be a boolean, not a string.",
            Detail("""{"type":"boolean","boolean":"yes","field":{"ref":"r"}}"""));
        Assert.Equal("'form_response.answers[0].choice.label' is required.",
            Detail("""{"type":"choice","choice":{},"field":{"ref":"r"}}"""));
    }

    [Fact]
    public void A_tally_payload_whose_fields_are_not_a_list_says_so() =>
        Assert.Equal("'data.fields' must be an array, not an object.", Assert.Throws<ValidationFailedException>(() =>
            ParseJson(FormsProviders.Find("tally")!, """{"data":{"responseId":"r","fields":{}}}""")).Errors[0].Detail);

    [Fact]
    public void A_delivery_of_another_event_type_is_refused_naming_the_one_that_registers_people()
    {
        var typeform = Assert.Throws<ValidationFailedException>(() => ParseJson(FormsProviders.Typeform,
            """{"event_type":"form_deleted","form_response":{"token":"t"}}""")).Errors[0];
        Assert.Equal("Only 'form_response' events register people ('form_response_partial' is acknowledged and ignored); got 'form_deleted'.",
            typeform.Detail);
        var tally = Assert.Throws<ValidationFailedException>(() => ParseJson(FormsProviders.Find("tally")!,
            """{"eventType":"FORM_DELETED","data":{"responseId":"r","fields":[]}}""")).Errors[0];
        Assert.Equal("Only FORM_RESPONSE events register people; got 'FORM_DELETED'.", tally.Detail);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_tolerated()
    {
        var body = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"submissionId":"x","fields":{"a":"é"}}""")).ToArray();
        var s = FormsProviders.Generic.Parse(new WebhookDelivery(body, "application/json", new Dictionary<string, string>(), new Dictionary<string, string>()));
        AssertField(s, "a", "é");
    }

    private static WebhookDelivery Multipart(params (string Name, string Value)[] parts) =>
        new(Encoding.UTF8.GetBytes(WebhookFixtures.Multipart(parts)), WebhookFixtures.ContentType(WebhookFixtures.Jotform),
            new Dictionary<string, string>(), new Dictionary<string, string>());
}
