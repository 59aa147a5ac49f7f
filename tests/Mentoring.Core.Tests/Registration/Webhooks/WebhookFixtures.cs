using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Mentoring.Core.Registration.Webhooks;

namespace Mentoring.Core.Tests.Registration.Webhooks;

/// <summary>One ready-to-send webhook delivery: the exact bytes, content type, headers and query a forms tool would send.</summary>
public sealed record FixtureDelivery(
    byte[] Body,
    string ContentType,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> Query)
{
    /// <summary>"?token=..." for Jotform, "" otherwise: append to <c>/api/programs/{id}/webhooks/{provider}</c>.</summary>
    public string QueryString =>
        Query.Count == 0 ? "" : "?" + string.Join('&', Query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));

    public WebhookDelivery ToDelivery() =>
        new(Body, ContentType, new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase), Query);
}

/// <summary>
/// Payloads in each provider's documented shape (Typeform, Tally, Jotform, Google Forms script, generic), signed the way
/// that provider signs. Every fixture describes the same person so tests can assert one set of expected values;
/// <see cref="FieldMap"/> maps each fixture's field ids to built-in question keys, so any program accepts them.
/// Shared with the HTTP integration tests: BCL + Mentoring.Core only.
/// </summary>
public static class WebhookFixtures
{
    public const string DefaultSubmissionId = "sub-0001";
    public const string DefaultEmail = "ada.lovelace@example.com";
    public const string ExpectedName = "Ada Lovelace";
    public const string ExpectedDepartment = "Engineering";
    public const string ExpectedLevel = "Senior";
    public const string ExpectedTimeZone = "Europe/Berlin";

    public const string Typeform = "typeform";
    public const string Tally = "tally";
    public const string Jotform = "jotform";
    public const string GoogleForms = "google-forms";
    public const string Generic = "generic";

    public static IReadOnlyList<string> Providers { get; } = [Typeform, Tally, Jotform, GoogleForms, Generic];

    /// <summary>The Jotform multipart boundary used by <see cref="Body"/>.</summary>
    public const string JotformBoundary = "------------------------J1JNT4vbVO4FCC1qLG4HSv";

    /// <summary>A signed (or, for Jotform, tokened) delivery of the provider's fixture.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Signed/unsigned deliveries, not integer types.")]
    public static FixtureDelivery Signed(string provider, string secret, string submissionId = DefaultSubmissionId, string email = DefaultEmail) =>
        SignedWith(provider, secret, Body(provider, submissionId, email));

    /// <summary>The fixture with no signature header and no token.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Signed/unsigned deliveries, not integer types.")]
    public static FixtureDelivery Unsigned(string provider, string submissionId = DefaultSubmissionId, string email = DefaultEmail) =>
        new(Body(provider, submissionId, email), ContentType(provider), new Dictionary<string, string>(), new Dictionary<string, string>());

    /// <summary>Any body, signed for the provider (Typeform/Tally/Google Forms/generic headers; Jotform query token).</summary>
    public static FixtureDelivery SignedWith(string provider, string secret, byte[] body, string? contentType = null)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (provider)
        {
            case Typeform:
                headers["Typeform-Signature"] = "sha256=" + Sign(secret, body);
                break;
            case Tally:
                headers["Tally-Signature"] = Sign(secret, body);
                break;
            case Jotform:
                query["token"] = secret;
                break;
            case GoogleForms or Generic:
                headers["X-Mentoring-Signature"] = "sha256=" + Sign(secret, body);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown provider.");
        }
        return new FixtureDelivery(body, contentType ?? ContentType(provider), headers, query);
    }

    /// <summary>Base64 HMAC-SHA256 of the body under the secret (UTF-8).</summary>
    public static string Sign(string secret, byte[] body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static string ContentType(string provider) =>
        provider == Jotform ? $"multipart/form-data; boundary={JotformBoundary}" : "application/json";

    /// <summary>The fixture body's bytes.</summary>
    public static byte[] Body(string provider, string submissionId = DefaultSubmissionId, string email = DefaultEmail) =>
        Encoding.UTF8.GetBytes(Text(provider, submissionId, email));

    /// <summary>The fixture body as text.</summary>
    public static string Text(string provider, string submissionId = DefaultSubmissionId, string email = DefaultEmail)
    {
        var template = provider switch
        {
            Typeform => TypeformJson,
            Tally => TallyJson,
            Jotform => JotformMultipart(JotformRawRequest),
            GoogleForms => GoogleFormsJson,
            Generic => GenericJson,
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown provider."),
        };
        return template.Replace("{{submissionId}}", submissionId, StringComparison.Ordinal)
                       .Replace("{{email}}", email, StringComparison.Ordinal);
    }

    /// <summary>Field map for the fixture: the provider's field ids -> email, name, consent, department, level, timeZone.</summary>
    public static IReadOnlyDictionary<string, string> FieldMap(string provider) => provider switch
    {
        Typeform => new Dictionary<string, string>
        {
            ["work_email"] = "email", ["full_name"] = "name", ["consent"] = "consent",
            ["department"] = "department", ["level"] = "level", ["time_zone"] = "timeZone",
        },
        Tally => new Dictionary<string, string>
        {
            ["question_mVGEg3"] = "email", ["question_nPZ0xQ"] = "name", ["question_nWyXPd"] = "consent",
            ["question_3EKz4n"] = "department", ["question_w4Q4Xn"] = "level", ["question_31dpzA"] = "timeZone",
        },
        Jotform => new Dictionary<string, string>
        {
            ["q3_email"] = "email", ["q4_name"] = "name", ["q9_consent"] = "consent",
            ["q5_department"] = "department", ["q6_level"] = "level", ["q8_timeZone"] = "timeZone",
        },
        GoogleForms => new Dictionary<string, string>
        {
            ["respondentEmail"] = "email", ["1203448871"] = "name", ["930517744"] = "consent",
            ["508329012"] = "department", ["1776201933"] = "level", ["2044517220"] = "timeZone",
        },
        Generic => new Dictionary<string, string>
        {
            ["email"] = "email", ["name"] = "name", ["consent"] = "consent",
            ["department"] = "department", ["level"] = "level", ["timeZone"] = "timeZone",
        },
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown provider."),
    };

    /// <summary>A multipart/form-data body (CRLF line breaks) with <see cref="JotformBoundary"/> and the given text parts.</summary>
    public static string Multipart(params (string Name, string Value)[] parts)
    {
        var builder = new StringBuilder();
        foreach (var (name, value) in parts)
        {
            builder.Append("--").Append(JotformBoundary).Append("\r\n")
                   .Append("Content-Disposition: form-data; name=\"").Append(name).Append("\"\r\n\r\n")
                   .Append(value).Append("\r\n");
        }
        return builder.Append("--").Append(JotformBoundary).Append("--\r\n").ToString();
    }

    /// <summary>Jotform's webhook parts around a rawRequest JSON string.</summary>
    public static string JotformMultipart(string rawRequest, string submissionId = "{{submissionId}}") => Multipart(
        ("action", ""),
        ("webhookURL", "https://mentoring.example.com/api/programs/p1/webhooks/jotform?token=redacted"),
        ("username", "peopleteam"),
        ("formID", "251234567890123"),
        ("type", "WEB"),
        ("customParams", ""),
        ("product", ""),
        ("formTitle", "Peer mentoring signup"),
        ("customTitle", ""),
        ("submissionID", submissionId),
        ("event", ""),
        ("documentID", ""),
        ("teamID", ""),
        ("subject", ""),
        ("isSilent", ""),
        ("customBody", ""),
        ("rawRequest", rawRequest),
        ("fromTable", ""),
        ("appID", ""),
        ("pretty", "Email:{{email}}, Name:Ada Lovelace, Department:Engineering, Level:Senior"),
        ("unread", ""),
        ("parent", ""),
        ("ip", "203.0.113.7"));

    // Typeform: https://www.typeform.com/developers/webhooks/example-payload/ (answers keyed by field.ref).
    public const string TypeformJson = """
        {
          "event_id": "01JNE4X9V2S8K1M3N5P7R9T0BC",
          "event_type": "form_response",
          "form_response": {
            "form_id": "lT4Z3j",
            "token": "{{submissionId}}",
            "landed_at": "2025-03-03T09:58:12Z",
            "submitted_at": "2025-03-03T10:01:45Z",
            "hidden": { "utm_source": "newsletter", "cohort": "" },
            "definition": {
              "id": "lT4Z3j",
              "title": "Peer mentoring signup",
              "fields": [
                { "id": "k2Jd8sQp1aLm", "title": "Work email", "type": "email", "ref": "work_email" },
                { "id": "Yc5bQ1rT0wEe", "title": "Full name", "type": "short_text", "ref": "full_name" }
              ]
            },
            "answers": [
              { "type": "email", "email": "{{email}}", "field": { "id": "k2Jd8sQp1aLm", "type": "email", "ref": "work_email" } },
              { "type": "text", "text": "Ada Lovelace", "field": { "id": "Yc5bQ1rT0wEe", "type": "short_text", "ref": "full_name" } },
              { "type": "choice", "choice": { "id": "c1Eng", "label": "Engineering", "ref": "dep-eng" }, "field": { "id": "Pq7nH2xZ4vLs", "type": "multiple_choice", "ref": "department" } },
              { "type": "choice", "choice": { "id": "c2Sen", "label": "Senior" }, "field": { "id": "Lm3kJ9aB6cDx", "type": "dropdown", "ref": "level" } },
              { "type": "text", "text": "Europe/Berlin", "field": { "id": "Tz8yU1iO2pAs", "type": "short_text", "ref": "time_zone" } },
              { "type": "choices", "choices": { "ids": ["g1", "g2"], "labels": ["Public speaking", "Leadership"], "other": "Negotiation" }, "field": { "id": "Gh4jK5lZ6xCv", "type": "multiple_choice", "ref": "goals" } },
              { "type": "number", "number": 4, "field": { "id": "Nb7mQ8wE9rTy", "type": "number", "ref": "years_in_role" } },
              { "type": "boolean", "boolean": true, "field": { "id": "Cs1dF2gH3jKl", "type": "legal", "ref": "consent" } },
              { "type": "date", "date": "2025-04-01", "field": { "id": "Dt4fG5hJ6kLz", "type": "date", "ref": "start_date" } },
              { "type": "url", "url": "https://example.com/ada", "field": { "id": "Ur7lK8jH9gFd", "type": "website", "ref": "profile_url" } },
              { "type": "phone_number", "phone_number": "+15555550123", "field": { "id": "Ph1qW2eR3tYu", "type": "phone_number", "ref": "phone" } },
              { "type": "choice", "choice": { "other": "Berlin office" }, "field": { "id": "Lo4iU5yT6rEw", "type": "multiple_choice", "ref": "location" } },
              { "type": "text", "text": "No ref on this old field", "field": { "id": "OldField0001", "type": "long_text" } }
            ]
          }
        }
        """;

    // Tally: https://tally.so/help/webhooks ("Example webhook event"): choice values are option ids; checkbox groups add boolean sub-fields.
    public const string TallyJson = """
        {
          "eventId": "a4cb511e-d513-4fa5-baee-b815d718dfd1",
          "eventType": "FORM_RESPONSE",
          "createdAt": "2025-03-03T10:01:46.000Z",
          "data": {
            "responseId": "{{submissionId}}",
            "submissionId": "{{submissionId}}",
            "respondentId": "dwQKYm",
            "formId": "VwbNEw",
            "formName": "Peer mentoring signup",
            "createdAt": "2025-03-03T10:01:45.000Z",
            "fields": [
              { "key": "question_mVGEg3", "label": "Work email", "type": "INPUT_EMAIL", "value": "{{email}}" },
              { "key": "question_nPZ0xQ", "label": "Full name", "type": "INPUT_TEXT", "value": "Ada Lovelace" },
              { "key": "question_3EKz4n", "label": "Department", "type": "MULTIPLE_CHOICE", "value": ["0c3ee57e-4bd4-4a8c-9c2a-2c0ad01d3f11"],
                "options": [ { "id": "0c3ee57e-4bd4-4a8c-9c2a-2c0ad01d3f11", "text": "Engineering" }, { "id": "6f0c9d9b-7b3c-4b83-9f7e-1d2d1b5a8e22", "text": "Sales" } ] },
              { "key": "question_w4Q4Xn", "label": "Level", "type": "DROPDOWN", "value": ["d1"],
                "options": [ { "id": "d1", "text": "Senior" }, { "id": "d2", "text": "Junior" } ] },
              { "key": "question_wA6rGp", "label": "Goals", "type": "CHECKBOXES", "value": ["g1", "g3"],
                "options": [ { "id": "g1", "text": "Public speaking" }, { "id": "g2", "text": "Leadership" }, { "id": "g3", "text": "Negotiation" } ] },
              { "key": "question_wA6rGp_g1", "label": "Goals (Public speaking)", "type": "CHECKBOXES", "value": true },
              { "key": "question_wA6rGp_g2", "label": "Goals (Leadership)", "type": "CHECKBOXES", "value": false },
              { "key": "question_wA6rGp_g3", "label": "Goals (Negotiation)", "type": "CHECKBOXES", "value": true },
              { "key": "question_nr0bJN", "label": "Interests", "type": "MULTI_SELECT", "value": ["i2", "i1"],
                "options": [ { "id": "i1", "text": "Hiking" }, { "id": "i2", "text": "Chess" } ] },
              { "key": "question_mRoGbZ", "label": "Rank these skills", "type": "RANKING", "value": ["r3", "r1", "r2"],
                "options": [ { "id": "r1", "text": "Writing" }, { "id": "r2", "text": "Design" }, { "id": "r3", "text": "Data" } ] },
              { "key": "question_3y5Ebk", "label": "Years in role", "type": "INPUT_NUMBER", "value": 4 },
              { "key": "question_mYkNaY", "label": "Confidence", "type": "LINEAR_SCALE", "value": 7 },
              { "key": "question_wvW1oy", "label": "Rate onboarding", "type": "RATING", "value": 5 },
              { "key": "question_w2qNk5", "label": "About you", "type": "TEXTAREA", "value": "Likes engines.\nAnd maths." },
              { "key": "question_31dpzA", "label": "Time zone", "type": "INPUT_TEXT", "value": "Europe/Berlin" },
              { "key": "question_nWyXPd", "label": "I agree to be matched", "type": "CHECKBOX", "value": true },
              { "key": "question_mDOzKj", "label": "Phone", "type": "INPUT_PHONE_NUMBER", "value": null },
              { "key": "question_7Ro1Vd", "label": "Start date", "type": "INPUT_DATE", "value": "2025-04-01" },
              { "key": "question_mJ9k2L", "label": "CV", "type": "FILE_UPLOAD",
                "value": [ { "id": "5Q4xVa", "name": "cv.pdf", "url": "https://storage.tally.so/private/cv.pdf", "mimeType": "application/pdf", "size": 1024 } ] },
              { "key": "question_3qDLJx", "label": "utm_source", "type": "HIDDEN_FIELDS", "value": "newsletter" }
            ]
          }
        }
        """;

    // Jotform rawRequest: keys are q<id>_<unique name>; full name is an object; checkboxes are arrays.
    public const string JotformRawRequest =
        """{"slug":"submit\/251234567890123","jsExecutionTracker":"build-date-1740995000000=>init-started:1740995001000","submitSource":"form","buildDate":"1740995000000","q3_email":"{{email}}","q4_name":{"first":"Ada","last":"Lovelace"},"q5_department":"Engineering","q6_level":"Senior","q7_goals":["Public speaking","Leadership"],"q8_timeZone":"Europe\/Berlin","q9_consent":["I agree to be matched and contacted"],"q10_startDate":{"month":"4","day":"01","year":"2025"},"q11_phone":{"full":"(555) 555-0123"},"q12_years":"4","q13_address":{"addr_line1":"1 Main St","addr_line2":"","city":"Berlin","state":"","postal":"10115","country":"Germany"},"q14_notes":"","q15_appointment":{"implementation":"new","date":"","duration":"60"},"timeToSubmit":"42","validatedNewRequiredFieldIDs":"{\"new\":1}","path":"\/submit\/251234567890123"}""";

    // Google Forms through integrations/google-forms/Code.gs: item ids as field ids, respondent email when collected.
    public const string GoogleFormsJson = """
        {"submissionId":"{{submissionId}}","submittedAt":"2025-03-03T10:01:45.123Z","fields":{"respondentEmail":"{{email}}","1203448871":"Ada Lovelace","508329012":"Engineering","1776201933":"Senior","2044517220":"Europe/Berlin","930517744":["I agree to be matched and contacted"],"1618204399":["Public speaking","Leadership"],"377091562":"4"}}
        """;

    // The generic shape: question keys as field ids, so no field map is needed.
    public const string GenericJson = """
        {
          "submissionId": "{{submissionId}}",
          "submittedAt": "2025-03-03T10:01:45Z",
          "fields": {
            "email": "{{email}}",
            "name": "Ada Lovelace",
            "department": "Engineering",
            "level": "Senior",
            "timeZone": "Europe/Berlin",
            "goals": ["Public speaking", "Leadership"],
            "yearsInRole": 4,
            "consent": true,
            "comments": null
          }
        }
        """;
}
