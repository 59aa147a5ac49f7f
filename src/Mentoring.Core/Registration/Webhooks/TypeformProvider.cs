using System.Text.Json;
using Mentoring.Core.Common;

namespace Mentoring.Core.Registration.Webhooks;

/// <summary>
/// Typeform webhooks: JSON, signed with <c>Typeform-Signature: sha256=&lt;base64 HMAC-SHA256(secret, raw body)&gt;</c>.
/// Submission id = <c>form_response.token</c>; answers keyed by <c>field.ref</c> (falls back to <c>field.id</c>);
/// hidden fields keyed by their name.
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
        WebhookAuth.RequireHmac(Name, SignatureHeader, header?[Prefix.Length..], delivery.Body.Span, secrets);
    }

    public FormSubmission Parse(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        using var document = JsonField.ParseDocument(delivery.Body, JsonField.Root);
        var root = new JsonField(document.RootElement, JsonField.Root).ExpectObject();

        if (root.Optional("event_type") is { } eventType && eventType.String() != "form_response")
        {
            throw new ValidationFailedException(eventType.Path, Rules.Format,
                $"Only 'form_response' events register people; got '{eventType.String()}'. Turn off partial-response webhooks.");
        }
        var response = root.Required("form_response").ExpectObject();
        var token = response.RequiredId("token");
        var submittedAt = response.Optional("submitted_at")?.Timestamp();

        var fields = new FieldsBuilder();
        if (response.Optional("answers") is { } answers)
        {
            foreach (var answer in answers.Items())
            {
                ReadAnswer(answer.ExpectObject(), fields);
            }
        }
        if (response.Optional("hidden") is { } hidden)
        {
            foreach (var (name, value) in hidden.Properties())
            {
                if (value.Kind != JsonValueKind.Null)
                {
                    fields.Add(name, value.Scalar());
                }
            }
        }
        return new FormSubmission(token, fields.Build(), submittedAt);
    }

    private static void ReadAnswer(JsonField answer, FieldsBuilder fields)
    {
        var field = answer.Required("field").ExpectObject();
        var id = field.Optional("ref") is { } reference ? reference.String() : field.RequiredId("id");
        if (string.IsNullOrWhiteSpace(id))
        {
            id = field.RequiredId("id");
        }
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
