using System.Text.Json;
using Mentoring.Core.Common;

namespace Mentoring.Core.Registration.Webhooks;

/// <summary>
/// Typeform webhooks: JSON, signed with <c>Typeform-Signature: sha256=&lt;base64 HMAC-SHA256(secret, raw body)&gt;</c>.
/// Submission id = <c>form_response.token</c>; answers keyed by their field's ref: <c>field.ref</c> when the answer carries
/// it, else the ref of the field with that id in <c>form_response.definition.fields</c> (Typeform's documented example
/// carries only <c>field.id</c> and <c>field.type</c> in answers), else the field id. Hidden fields and variables are keyed
/// by their name. <c>form_response_partial</c> events are partial; the "Send test request" button's delivery is a test.
/// </summary>
internal sealed class TypeformProvider : IFormsProvider
{
    public const string SignatureHeader = "Typeform-Signature";
    private const string Prefix = "sha256=";

    public string Name => "typeform";

    public IReadOnlyList<string> AcceptedContentTypes { get; } = ["application/json"];

    public void Authenticate(WebhookDelivery delivery, IReadOnlyList<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var header = delivery.Header(SignatureHeader);
        if (header is not null && !header.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new AuthenticationFailedException($"The {SignatureHeader} header must start with '{Prefix}'.");
        }
        WebhookAuth.RequireHmac(SignatureHeader, header?[Prefix.Length..], delivery.Body.Span, secrets);
    }

    public FormSubmission Parse(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        using var document = JsonField.ParseDocument(delivery.Body, JsonField.Root);
        var root = new JsonField(document.RootElement, JsonField.Root).ExpectObject();

        var kind = DeliveryKind.Response;
        if (root.Optional("event_type") is { } eventType)
        {
            kind = eventType.String() switch
            {
                ResponseEvent => DeliveryKind.Response,
                PartialEvent => DeliveryKind.Partial,
                var other => throw new ValidationFailedException(eventType.Path, Rules.Format,
                    $"Only '{ResponseEvent}' events register people ('{PartialEvent}' is acknowledged and ignored); got '{other}'."),
            };
        }
        var response = root.Required("form_response").ExpectObject();
        if (kind == DeliveryKind.Partial)
        {
            // Nothing of an unfinished response is used, so nothing of it is read beyond its id.
            var partialToken = response.Optional("token") is { Kind: JsonValueKind.String } t ? t.String() : "";
            return new FormSubmission(partialToken, new Dictionary<string, IReadOnlyList<string>>(), null, DeliveryKind.Partial);
        }
        var token = response.RequiredId("token");
        var submittedAt = response.Optional("submitted_at")?.Timestamp();
        var refs = DefinitionRefs(response);

        var fields = new FieldsBuilder();
        if (response.Optional("answers") is { } answers)
        {
            foreach (var answer in answers.Items())
            {
                ReadAnswer(answer.ExpectObject(), refs, fields);
            }
        }
        var hiddenValues = new List<string>();
        if (response.Optional("hidden") is { } hidden)
        {
            foreach (var (name, value) in hidden.Properties())
            {
                if (value.Kind != JsonValueKind.Null)
                {
                    fields.Add(name, value.Scalar());
                    hiddenValues.Add(value.Scalar());
                }
            }
        }
        if (response.Optional("variables") is { } variables)
        {
            foreach (var variable in variables.Items())
            {
                var v = variable.ExpectObject();
                var key = v.RequiredId("key");
                var type = v.Optional("type")?.String();
                if (type is not null && v.Optional(type) is { IsScalar: true } value)
                {
                    fields.Add(key, value.Scalar());
                }
            }
        }
        if (kind == DeliveryKind.Response && IsTestRequest(root, response, token, hiddenValues))
        {
            kind = DeliveryKind.Test;
        }
        return new FormSubmission(token, fields.Build(), submittedAt, kind);
    }

    public const string ResponseEvent = "form_response";
    public const string PartialEvent = "form_response_partial";

    /// <summary>The placeholder Typeform's "Send test request" puts in every hidden field.</summary>
    public const string TestHiddenValue = "hidden_value";

    /// <summary>
    /// Typeform's "Send test request" posts dummy answers to the form's real fields ("Lorem ipsum dolor", an example.com
    /// address, an option label the form may not have). It carries no flag, but it differs from any real response in
    /// two ways: the response token is the event id itself, with landing and submission at the same instant (a person
    /// takes longer than no time at all), and every hidden field holds the placeholder "hidden_value".
    /// </summary>
    private static bool IsTestRequest(JsonField root, JsonField response, string token, List<string> hiddenValues)
    {
        var eventId = root.Optional("event_id") is { Kind: JsonValueKind.String } e ? e.String() : null;
        var landed = response.Optional("landed_at") is { Kind: JsonValueKind.String } l ? l.String() : null;
        var submitted = response.Optional("submitted_at") is { Kind: JsonValueKind.String } s ? s.String() : null;
        var tokenIsEvent = eventId is not null && string.Equals(eventId, token, StringComparison.Ordinal)
            && landed is not null && string.Equals(landed, submitted, StringComparison.Ordinal);
        var placeholders = hiddenValues.Count > 0 && hiddenValues.All(v => string.Equals(v, TestHiddenValue, StringComparison.Ordinal));
        return tokenIsEvent || placeholders;
    }

    /// <summary>Field id -> ref from <c>form_response.definition.fields</c>, for answers that carry only the id.</summary>
    private static Dictionary<string, string> DefinitionRefs(JsonField response)
    {
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (response.Optional("definition") is { Kind: JsonValueKind.Object } definition
            && definition.Optional("fields") is { Kind: JsonValueKind.Array } definedFields)
        {
            foreach (var defined in definedFields.Items())
            {
                var d = defined.ExpectObject();
                if (d.Optional("id") is { Kind: JsonValueKind.String } id && d.Optional("ref") is { Kind: JsonValueKind.String } reference
                    && !string.IsNullOrWhiteSpace(reference.String()))
                {
                    refs[id.String()] = reference.String();
                }
            }
        }
        return refs;
    }

    private static void ReadAnswer(JsonField answer, Dictionary<string, string> refs, FieldsBuilder fields)
    {
        var field = answer.Required("field").ExpectObject();
        var id = field.Optional("ref") is { Kind: JsonValueKind.String } reference && !string.IsNullOrWhiteSpace(reference.String())
            ? reference.String()
            : field.RequiredId("id") is var fieldId && refs.TryGetValue(fieldId, out var defined) ? defined : fieldId;
        var type = answer.Required("type").String();
        switch (type)
        {
            case "choice":
            {
                var choice = answer.Required("choice").ExpectObject();
                var picked = choice.Optional("other") ?? choice.Optional("label")
                    ?? throw new ValidationFailedException(choice.Child("label"), Rules.Required, $"'{choice.Child("label")}' is required.");
                fields.Add(id, picked.String());
                break;
            }
            case "choices":
            {
                var choices = answer.Required("choices").ExpectObject();
                if (choices.Optional("labels") is { } labels)
                {
                    fields.Add(id, labels.Items().Select(l => l.String()));
                }
                fields.Add(id, choices.Optional("other")?.String());
                break;
            }
            case "number":
            {
                var number = answer.Required("number");
                fields.Add(id, number.Kind == JsonValueKind.Number ? number.Scalar() : throw number.WrongType("a number"));
                break;
            }
            case "boolean":
            {
                var boolean = answer.Required("boolean");
                fields.Add(id, boolean.Kind is JsonValueKind.True or JsonValueKind.False ? boolean.Scalar() : throw boolean.WrongType("a boolean"));
                break;
            }
            case "text" or "email" or "url" or "phone_number" or "date" or "file_url":
                fields.Add(id, answer.Required(type).String());
                break;
            default:
                // Types this program cannot use (payment, multi_format...): keep a plain value when there is one.
                if (answer.Optional(type) is { IsScalar: true } value)
                {
                    fields.Add(id, value.Scalar());
                }
                break;
        }
    }
}
