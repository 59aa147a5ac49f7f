using System.Text.Json;
using Mentoring.Core.Common;

namespace Mentoring.Core.Registration.Webhooks;

/// <summary>
/// Tally webhooks: JSON, signed with <c>Tally-Signature: &lt;base64 HMAC-SHA256(secret, raw body)&gt;</c>.
/// Submission id = <c>data.responseId</c>; answers keyed by <c>data.fields[].key</c>. Choice values are option ids,
/// resolved to the option's <c>text</c> through the field's <c>options</c>; checkbox groups also send one boolean
/// sub-field per option (key <c>&lt;group key&gt;_&lt;option id&gt;</c>), kept as its own field.
/// </summary>
internal sealed class TallyProvider : IFormsProvider
{
    public const string SignatureHeader = "Tally-Signature";

    public string Name => "tally";

    public IReadOnlyList<string> AcceptedContentTypes { get; } = ["application/json"];

    public void Authenticate(WebhookDelivery delivery, IReadOnlyList<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        WebhookAuth.RequireHmac(SignatureHeader, delivery.Header(SignatureHeader), delivery.Body.Span, secrets);
    }

    public FormSubmission Parse(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        using var document = JsonField.ParseDocument(delivery.Body, JsonField.Root);
        var root = new JsonField(document.RootElement, JsonField.Root).ExpectObject();

        if (root.Optional("eventType") is { } eventType && eventType.String() != "FORM_RESPONSE")
        {
            throw new ValidationFailedException(eventType.Path, Rules.Format, $"Only FORM_RESPONSE events register people; got '{eventType.String()}'.");
        }
        var data = root.Required("data").ExpectObject();
        var responseId = data.RequiredId("responseId");
        var createdAt = data.Optional("createdAt")?.Timestamp();

        var fields = new FieldsBuilder();
        foreach (var field in data.Required("fields").Items())
        {
            ReadField(field.ExpectObject(), fields);
        }
        return new FormSubmission(responseId, fields.Build(), createdAt);
    }

    private static void ReadField(JsonField field, FieldsBuilder fields)
    {
        var key = field.RequiredId("key");
        _ = field.Optional("type")?.String(); // present in every Tally field; must be a string when sent
        var value = field.Optional("value");
        if (value is null)
        {
            return;
        }
        var options = Options(field);
        switch (value.Value.Kind)
        {
            case JsonValueKind.Array:
                foreach (var item in value.Value.Items())
                {
                    if (item.Kind == JsonValueKind.Null)
                    {
                        continue;
                    }
                    if (item.Kind == JsonValueKind.Object)
                    {
                        // File uploads: {id, name, url, mimeType, size}; keep the url.
                        fields.Add(key, item.Optional("url") is { IsScalar: true } url ? url.Scalar() : null);
                        continue;
                    }
                    fields.Add(key, Resolve(item.Scalar(), options));
                }
                break;
            case JsonValueKind.Object:
                // Matrix, payment and similar compound answers have no plain value to register.
                break;
            default:
                fields.Add(key, Resolve(value.Value.Scalar(), options));
                break;
        }
    }

    private static Dictionary<string, string>? Options(JsonField field)
    {
        if (field.Optional("options") is not { } options)
        {
            return null;
        }
        var byId = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in options.Items())
        {
            var o = option.ExpectObject();
            var id = o.Required("id").Scalar();
            byId[id] = o.Required("text").String();
        }
        return byId;
    }

    /// <summary>An option id becomes its text; anything else (older payloads send the text itself) is kept.</summary>
    private static string Resolve(string value, Dictionary<string, string>? options) =>
        options is not null && options.TryGetValue(value, out var text) ? text : value;
}
