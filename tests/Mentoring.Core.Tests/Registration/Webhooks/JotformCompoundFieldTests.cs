using System.Text;
using Mentoring.Core.Common;
using Mentoring.Core.Registration.Webhooks;

namespace Mentoring.Core.Tests.Registration.Webhooks;

/// <summary>Jotform sends its compound widgets (full name, date, phone, address) as objects; each becomes one readable answer.</summary>
public sealed class JotformCompoundFieldTests
{
    private static FormSubmission Submit(string rawRequest) =>
        FormsProviders.Jotform.Parse(new WebhookDelivery(
            Encoding.UTF8.GetBytes(WebhookFixtures.Multipart([("submissionID", "1"), ("rawRequest", rawRequest)])),
            WebhookFixtures.ContentType(WebhookFixtures.Jotform), new Dictionary<string, string>(), new Dictionary<string, string>()));

    private static IReadOnlyList<string> Answer(string json) => Submit($$"""{"q1":{{json}}}""").Fields["q1"];

    [Theory]
    [InlineData("""{"first":"Ada","last":"Lovelace"}""", "Ada Lovelace")]
    [InlineData("""{"last":"Lovelace","middle":"","first":"Ada"}""", "Ada Lovelace")]
    [InlineData("""{"first":"Ada"}""", "Ada")]
    [InlineData("""{"prefix":"Dr.","last":"Hopper"}""", "Dr. Hopper")]
    public void A_full_name_is_its_non_empty_parts_in_name_order(string json, string expected) => Assert.Equal([expected], Answer(json));

    [Theory]
    [InlineData("""{"month":"4","day":"1","year":"2025"}""", "2025-04-01")]
    [InlineData("""{"day":"21","month":"12","year":"2025"}""", "2025-12-21")]
    public void A_date_becomes_iso_8601(string json, string expected) => Assert.Equal([expected], Answer(json));

    [Fact]
    public void A_date_missing_its_day_is_kept_as_the_parts_given()
    {
        Assert.Equal(["4, 2025"], Answer("""{"month":"4","year":"2025"}"""));
        Assert.Equal(["1, 2025"], Answer("""{"day":"1","year":"2025"}"""));
        Assert.Equal(["4, 1"], Answer("""{"month":"4","day":"1"}"""));
    }

    [Theory]
    [InlineData("""{"full":"(555) 555-0123","area":"555","phone":"5550123"}""", "(555) 555-0123")]
    [InlineData("""{"area":"030","phone":"1234567"}""", "030 1234567")]
    [InlineData("""{"phone":"1234567"}""", "1234567")]
    public void A_phone_number_prefers_the_full_number_then_area_and_number(string json, string expected) => Assert.Equal([expected], Answer(json));

    [Theory]
    [InlineData("""{"country":"Germany","city":"Berlin","addr_line1":"1 Main St","postal":"10115","addr_line2":""}""", "1 Main St, Berlin, 10115, Germany")]
    [InlineData("""{"state":"BE","city":"Berlin"}""", "Berlin, BE")]
    [InlineData("""{"addr_line2":"Flat 3","addr_line1":"1 Main St"}""", "1 Main St, Flat 3")]
    public void An_address_lists_its_parts_in_postal_order(string json, string expected) => Assert.Equal([expected], Answer(json));

    [Fact]
    public void An_address_part_beside_an_unknown_part_keeps_only_the_address_order()
    {
        Assert.Equal(["Berlin"], Answer("""{"note":"ring twice","city":"Berlin"}"""));
    }

    [Fact]
    public void Any_other_widget_is_its_values_joined_and_nested_objects_are_ignored()
    {
        Assert.Equal(["Ada, Countess"], Answer("""{"first":"Ada","nickname":"Countess"}"""));
        Assert.Equal(["x, 3, true"], Answer("""{"a":"x","b":3,"c":true,"d":{"e":"nested"},"f":["g"],"h":null}"""));
    }

    [Fact]
    public void A_widget_left_empty_is_no_answer()
    {
        var submission = Submit("""{"q1":{"first":"","last":""},"q2":{},"q3":null,"q4":"","q5":"kept"}""");
        Assert.Equal(["q5"], submission.Fields.Keys);
    }

    [Fact]
    public void Checkbox_answers_keep_scalar_items_and_skip_nested_ones()
    {
        Assert.Equal(["SQL", "2", "false"], Answer("""["SQL",{"x":"y"},2,null,["z"],false]"""));
    }

    [Fact]
    public void Answers_nested_up_to_the_depth_limit_are_read_and_deeper_ones_are_refused()
    {
        // rawRequest itself is one level; 31 arrays inside reach the limit of 32.
        static string Nested(int arrays) => "{\"q1\":" + new string('[', arrays) + "\"x\"" + new string(']', arrays) + ",\"q2\":\"kept\"}";
        Assert.Equal(["kept"], Submit(Nested(31)).Fields["q2"]);

        var error = Assert.Single(Assert.Throws<ValidationFailedException>(() => Submit(Nested(32))).Errors);
        Assert.Equal(("rawRequest", Rules.InvalidJson), (error.Field, error.Rule));
    }

    [Fact]
    public void A_json_body_nested_past_the_depth_limit_is_refused_on_the_root()
    {
        var body = "{\"a\":" + new string('[', 40) + new string(']', 40) + "}";
        var error = Assert.Single(Assert.Throws<ValidationFailedException>(() => FormsProviders.Find(WebhookFixtures.Generic)!.Parse(
            new WebhookDelivery(Encoding.UTF8.GetBytes(body), "application/json", new Dictionary<string, string>(), new Dictionary<string, string>()))).Errors);
        Assert.Equal(("$", Rules.InvalidJson), (error.Field, error.Rule));
    }
}
