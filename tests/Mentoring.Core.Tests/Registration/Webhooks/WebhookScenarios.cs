using System.Globalization;
using System.Text;

namespace Mentoring.Core.Tests.Registration.Webhooks;

/// <summary>
/// Variations of the <see cref="WebhookFixtures"/> deliveries that forms tools really send after the first one: edits
/// (same submission id, a later time, other answers or another address), the providers' own test deliveries, Typeform's
/// documented payload whose answers carry no ref, and its partial responses. Written from each provider's documented
/// shapes; shared with the HTTP tests (BCL only).
/// </summary>
public static class WebhookScenarios
{
    /// <summary>The fixtures' submitted time ("2025-03-03T10:01:45"), moved by whole minutes for later versions.</summary>
    public static readonly DateTimeOffset FirstSubmittedAt = new(2025, 3, 3, 10, 1, 45, TimeSpan.Zero);

    /// <summary>Thirty-two IANA zones, one per racing edit.</summary>
    public static IReadOnlyList<string> Zones { get; } =
    [
        "Europe/Paris", "Europe/Lisbon", "Europe/Madrid", "Europe/Rome", "Europe/Vienna", "Europe/Warsaw", "Europe/Prague", "Europe/Oslo",
        "Europe/Stockholm", "Europe/Helsinki", "Europe/Athens", "Europe/Dublin", "Europe/London", "Europe/Zurich", "Europe/Brussels", "Europe/Amsterdam",
        "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Toronto", "America/Sao_Paulo", "America/Mexico_City", "America/Bogota",
        "Asia/Tokyo", "Asia/Seoul", "Asia/Singapore", "Asia/Kolkata", "Asia/Dubai", "Africa/Lagos", "Africa/Nairobi", "Australia/Sydney",
    ];

    /// <summary>
    /// The provider's fixture as a later version of the same submission: another time zone answer, optionally another
    /// address, sent <paramref name="minutesLater"/> minutes after the first (Jotform sends no time: its order is arrival).
    /// </summary>
    public static byte[] Version(string provider, string timeZone, int minutesLater, string submissionId = WebhookFixtures.DefaultSubmissionId,
        string email = WebhookFixtures.DefaultEmail)
    {
        var text = WebhookFixtures.Text(provider, submissionId, email)
            .Replace(WebhookFixtures.ExpectedTimeZone, timeZone, StringComparison.Ordinal)
            .Replace(WebhookFixtures.ExpectedTimeZone.Replace("/", "\\/", StringComparison.Ordinal), timeZone.Replace("/", "\\/", StringComparison.Ordinal), StringComparison.Ordinal);
        var at = FirstSubmittedAt.AddMinutes(minutesLater).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetBytes(text.Replace("2025-03-03T10:01:45", at, StringComparison.Ordinal));
    }

    /// <summary>The providers whose deliveries carry the submitted (or updated) time, so an older version can be recognised.</summary>
    public static IReadOnlyList<string> TimedProviders { get; } =
        [WebhookFixtures.Typeform, WebhookFixtures.Tally, WebhookFixtures.GoogleForms, WebhookFixtures.Generic];

    /// <summary>
    /// Each provider's own test delivery, where it has one. Typeform's "Send test request" posts the form's real fields
    /// with dummy answers; its response token is the event id, landing and submission share one instant, and hidden
    /// fields hold "hidden_value". Our Apps Script's <c>sendTest</c> and the Power Automate recipe's test run add
    /// <c>"test": true</c> to the generic shape. Tally and Jotform send no test deliveries (their tests are real
    /// submissions): they test with <c>?test=true</c>.
    /// </summary>
    public static byte[]? ProviderTestDelivery(string provider) => provider switch
    {
        WebhookFixtures.Typeform => Encoding.UTF8.GetBytes(TypeformTestRequestJson),
        WebhookFixtures.GoogleForms => Encoding.UTF8.GetBytes(WebhookFixtures.Text(provider).Replace("{\"submissionId\"", "{\"test\":true,\"submissionId\"", StringComparison.Ordinal)),
        WebhookFixtures.Generic => Encoding.UTF8.GetBytes(WebhookFixtures.Text(provider).Replace("\"submissionId\"", "\"test\": true,\n  \"submissionId\"", StringComparison.Ordinal)),
        _ => null,
    };

    /// <summary>The providers with a test delivery of their own (see <see cref="ProviderTestDelivery"/>).</summary>
    public static IReadOnlyList<string> ProvidersWithTestDelivery { get; } =
        [WebhookFixtures.Typeform, WebhookFixtures.GoogleForms, WebhookFixtures.Generic];

    /// <summary>
    /// Typeform's "Send test request" for the fixture form: the form's real field ids and refs, dummy answers (a Lorem
    /// ipsum name, an example.com address, a choice label the form does not offer), token = event id, landed = submitted.
    /// </summary>
    public const string TypeformTestRequestJson = """
        {
          "event_id": "01JQ7ZK3M4N5P6Q7R8S9T0V1W2",
          "event_type": "form_response",
          "form_response": {
            "form_id": "lT4Z3j",
            "token": "01JQ7ZK3M4N5P6Q7R8S9T0V1W2",
            "landed_at": "2025-03-28T08:15:00Z",
            "submitted_at": "2025-03-28T08:15:00Z",
            "hidden": { "utm_source": "hidden_value", "cohort": "hidden_value" },
            "definition": {
              "id": "lT4Z3j",
              "title": "Peer mentoring signup",
              "fields": [
                { "id": "k2Jd8sQp1aLm", "title": "Work email", "type": "email", "ref": "work_email" },
                { "id": "Yc5bQ1rT0wEe", "title": "Full name", "type": "short_text", "ref": "full_name" },
                { "id": "Pq7nH2xZ4vLs", "title": "Department", "type": "multiple_choice", "ref": "department" }
              ]
            },
            "answers": [
              { "type": "email", "email": "an_account@example.com", "field": { "id": "k2Jd8sQp1aLm", "type": "email", "ref": "work_email" } },
              { "type": "text", "text": "Lorem ipsum dolor", "field": { "id": "Yc5bQ1rT0wEe", "type": "short_text", "ref": "full_name" } },
              { "type": "choice", "choice": { "label": "Barcelona" }, "field": { "id": "Pq7nH2xZ4vLs", "type": "multiple_choice", "ref": "department" } },
              { "type": "boolean", "boolean": true, "field": { "id": "Cs1dF2gH3jKl", "type": "legal", "ref": "consent" } }
            ]
          }
        }
        """;

    /// <summary>
    /// Typeform in the shape of its documented example payload: answers carry only <c>field.id</c> and <c>field.type</c>;
    /// the refs the field map uses are in <c>definition.fields</c>. Also a variable, a score and an ending, as documented.
    /// </summary>
    public static byte[] TypeformWithoutRefs(string token = WebhookFixtures.DefaultSubmissionId, string email = WebhookFixtures.DefaultEmail) =>
        Encoding.UTF8.GetBytes(TypeformWithoutRefsJson.Replace("{{token}}", token, StringComparison.Ordinal).Replace("{{email}}", email, StringComparison.Ordinal));

    private const string TypeformWithoutRefsJson = """
        {
          "event_id": "01JNE4X9V2S8K1M3N5P7R9T0BD",
          "event_type": "form_response",
          "form_response": {
            "form_id": "lT4Z3j",
            "token": "{{token}}",
            "landed_at": "2025-03-03T09:58:12Z",
            "submitted_at": "2025-03-03T10:01:45Z",
            "calculated": { "score": 0 },
            "variables": [ { "key": "cohort_size", "type": "number", "number": 12 }, { "key": "track", "type": "text", "text": "leaders" } ],
            "hidden": { "utm_source": "intranet" },
            "definition": {
              "id": "lT4Z3j",
              "title": "Peer mentoring signup",
              "fields": [
                { "id": "k2Jd8sQp1aLm", "title": "Work email", "type": "email", "ref": "work_email", "allow_multiple_selections": false, "allow_other_choice": false },
                { "id": "Yc5bQ1rT0wEe", "title": "Full name", "type": "short_text", "ref": "full_name", "allow_multiple_selections": false, "allow_other_choice": false },
                { "id": "Pq7nH2xZ4vLs", "title": "Department", "type": "multiple_choice", "ref": "department", "allow_multiple_selections": false, "allow_other_choice": false,
                  "choices": [ { "id": "c1Eng", "label": "Engineering" }, { "id": "c3Sal", "label": "Sales" } ] },
                { "id": "Tz8yU1iO2pAs", "title": "Time zone", "type": "short_text", "ref": "time_zone" },
                { "id": "Cs1dF2gH3jKl", "title": "I agree to be matched", "type": "legal", "ref": "consent" }
              ],
              "endings": [ { "id": "EndScr0001", "ref": "default_tys", "title": "Thanks!", "type": "thankyou_screen" } ]
            },
            "answers": [
              { "type": "email", "email": "{{email}}", "field": { "id": "k2Jd8sQp1aLm", "type": "email" } },
              { "type": "text", "text": "Ada Lovelace", "field": { "id": "Yc5bQ1rT0wEe", "type": "short_text" } },
              { "type": "choice", "choice": { "id": "c1Eng", "label": "Engineering" }, "field": { "id": "Pq7nH2xZ4vLs", "type": "multiple_choice" } },
              { "type": "text", "text": "Europe/Berlin", "field": { "id": "Tz8yU1iO2pAs", "type": "short_text" } },
              { "type": "boolean", "boolean": true, "field": { "id": "Cs1dF2gH3jKl", "type": "legal" } }
            ],
            "ending": { "id": "EndScr0001", "ref": "default_tys" }
          }
        }
        """;

    /// <summary>A Typeform <c>form_response_partial</c> event: an unfinished response, sent when partial responses are on.</summary>
    public static byte[] TypeformPartial(string token = "partial-0001") => Encoding.UTF8.GetBytes($$"""
        {
          "event_id": "01JNE4X9V2S8K1M3N5P7R9T0BE",
          "event_type": "form_response_partial",
          "form_response": {
            "form_id": "lT4Z3j",
            "token": "{{token}}",
            "landed_at": "2025-03-03T09:58:12Z",
            "definition": { "id": "lT4Z3j", "title": "Peer mentoring signup", "fields": [ { "id": "k2Jd8sQp1aLm", "title": "Work email", "type": "email", "ref": "work_email" } ] },
            "answers": [ { "type": "email", "email": "half.done@example.com", "field": { "id": "k2Jd8sQp1aLm", "type": "email" } } ]
          }
        }
        """);
}
