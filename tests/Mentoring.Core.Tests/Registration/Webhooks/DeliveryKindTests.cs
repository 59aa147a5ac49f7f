using System.Text;
using Mentoring.Core.Common;
using Mentoring.Core.Registration.Webhooks;

namespace Mentoring.Core.Tests.Registration.Webhooks;

/// <summary>What each provider's payload is (a response, its test delivery, a partial response) and how its answers are keyed.</summary>
public class DeliveryKindTests
{
    private static FormSubmission Parse(string provider, byte[] body) =>
        FormsProviders.Find(provider)!.Parse(WebhookFixtures.SignedWith(provider, "s", body).ToDelivery());

    [Fact]
    public void Typeform_answers_without_refs_are_keyed_by_the_ref_their_field_has_in_the_definition()
    {
        var s = Parse(WebhookFixtures.Typeform, WebhookScenarios.TypeformWithoutRefs());

        Assert.Equal(DeliveryKind.Response, s.Kind);
        Assert.Equal([WebhookFixtures.DefaultEmail], s.Fields["work_email"]);
        Assert.Equal(["Ada Lovelace"], s.Fields["full_name"]);
        Assert.Equal(["Engineering"], s.Fields["department"]);
        Assert.Equal(["true"], s.Fields["consent"]);
        Assert.False(s.Fields.ContainsKey("k2Jd8sQp1aLm"));
    }

    [Fact]
    public void Typeform_hidden_fields_and_variables_are_keyed_by_their_names()
    {
        var s = Parse(WebhookFixtures.Typeform, WebhookScenarios.TypeformWithoutRefs());

        Assert.Equal(["intranet"], s.Fields["utm_source"]);
        Assert.Equal(["12"], s.Fields["cohort_size"]);
        Assert.Equal(["leaders"], s.Fields["track"]);
    }

    [Fact]
    public void Typeform_send_test_request_is_a_test_delivery()
    {
        var s = Parse(WebhookFixtures.Typeform, Encoding.UTF8.GetBytes(WebhookScenarios.TypeformTestRequestJson));

        Assert.Equal(DeliveryKind.Test, s.Kind);
        Assert.Equal(["Lorem ipsum dolor"], s.Fields["full_name"]);
    }

    [Fact]
    public void Typeform_hidden_fields_holding_the_test_placeholder_mark_a_test_even_with_distinct_ids()
    {
        var body = WebhookFixtures.Text(WebhookFixtures.Typeform).Replace("\"hidden\": { \"utm_source\": \"newsletter\", \"cohort\": \"\" }",
            "\"hidden\": { \"utm_source\": \"hidden_value\" }", StringComparison.Ordinal);
        Assert.Contains("hidden_value", body, StringComparison.Ordinal);

        Assert.Equal(DeliveryKind.Test, Parse(WebhookFixtures.Typeform, Encoding.UTF8.GetBytes(body)).Kind);
    }

    [Fact]
    public void Either_sign_of_typeforms_test_request_is_enough_but_a_real_hidden_value_or_no_hidden_field_is_not_a_placeholder()
    {
        const string Placeholders = "\"hidden\": { \"utm_source\": \"hidden_value\", \"cohort\": \"hidden_value\" }";
        const string EventToken = "\"token\": \"01JQ7ZK3M4N5P6Q7R8S9T0V1W2\"";
        Assert.Contains(Placeholders, WebhookScenarios.TypeformTestRequestJson, StringComparison.Ordinal);
        Assert.Contains(EventToken, WebhookScenarios.TypeformTestRequestJson, StringComparison.Ordinal);
        DeliveryKind KindOf(string hidden, string token) => Parse(WebhookFixtures.Typeform, Encoding.UTF8.GetBytes(
            WebhookScenarios.TypeformTestRequestJson.Replace(Placeholders, hidden, StringComparison.Ordinal).Replace(EventToken, token, StringComparison.Ordinal))).Kind;
        const string RealToken = "\"token\": \"a1b2c3d4e5\"";

        // The token is the event id and landing took no time: a test, whatever the hidden fields hold.
        Assert.Equal(DeliveryKind.Test, KindOf("\"hidden\": { \"utm_source\": \"newsletter\" }", EventToken));
        // Only placeholders in the hidden fields: a test, whatever the token.
        Assert.Equal(DeliveryKind.Test, KindOf(Placeholders, RealToken));
        // One real hidden value among placeholders, or no hidden field at all, with a real token: a person's response.
        Assert.Equal(DeliveryKind.Response, KindOf("\"hidden\": { \"utm_source\": \"hidden_value\", \"cohort\": \"2025\" }", RealToken));
        Assert.Equal(DeliveryKind.Response, KindOf("\"hidden\": {}", RealToken));
    }

    [Fact]
    public void A_real_typeform_response_is_not_taken_for_a_test()
    {
        Assert.Equal(DeliveryKind.Response, Parse(WebhookFixtures.Typeform, WebhookFixtures.Body(WebhookFixtures.Typeform)).Kind);
        // Same instant for landing and submitting is not enough on its own: the token must also be the event id.
        var quick = WebhookFixtures.Text(WebhookFixtures.Typeform).Replace("2025-03-03T09:58:12Z", "2025-03-03T10:01:45Z", StringComparison.Ordinal);
        Assert.Equal(DeliveryKind.Response, Parse(WebhookFixtures.Typeform, Encoding.UTF8.GetBytes(quick)).Kind);
    }

    [Fact]
    public void Typeform_partial_responses_are_partial()
    {
        var s = Parse(WebhookFixtures.Typeform, WebhookScenarios.TypeformPartial("half-1"));

        Assert.Equal(DeliveryKind.Partial, s.Kind);
        Assert.Equal("half-1", s.SubmissionId);
        Assert.Empty(s.Fields);
    }

    [Theory]
    [InlineData(WebhookFixtures.GoogleForms)]
    [InlineData(WebhookFixtures.Generic)]
    public void The_generic_shape_marks_a_test_with_test_true(string provider)
    {
        Assert.Equal(DeliveryKind.Test, Parse(provider, WebhookScenarios.ProviderTestDelivery(provider)!).Kind);
        Assert.Equal(DeliveryKind.Response, Parse(provider, WebhookFixtures.Body(provider)).Kind);
    }

    [Fact]
    public void A_generic_test_marker_that_is_not_a_boolean_is_400_naming_it()
    {
        var body = Encoding.UTF8.GetBytes("""{"test":"yes","submissionId":"x","fields":{}}""");
        var error = Assert.Throws<ValidationFailedException>(() => Parse(WebhookFixtures.Generic, body));
        Assert.Contains(error.Errors, e => e.Field == "test" && e.Rule == Rules.WrongType);
    }

    [Fact]
    public void The_generic_shape_orders_edits_by_updatedAt_when_sent()
    {
        var body = Encoding.UTF8.GetBytes("""{"submissionId":"x","submittedAt":"2025-03-03T10:00:00Z","updatedAt":"2025-03-04T08:30:00Z","fields":{}}""");
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 8, 30, 0, TimeSpan.Zero), Parse(WebhookFixtures.Generic, body).SubmittedAt);
    }

    [Theory]
    [InlineData(WebhookFixtures.Tally)]
    [InlineData(WebhookFixtures.Jotform)]
    public void Tally_and_jotform_deliveries_are_always_responses(string provider)
    {
        Assert.Equal(DeliveryKind.Response, Parse(provider, WebhookFixtures.Body(provider)).Kind);
    }
}
