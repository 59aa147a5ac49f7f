using System.Text.Json;
using Mentoring.Core.Common;

namespace Mentoring.Core.Registration.Webhooks;

/// <summary>
/// The documented shape for Google Forms (Apps Script), Microsoft Forms (Power Automate) and any HTTP client:
/// <code>
/// { "submissionId": "...", "submittedAt": "2025-03-03T10:01:45Z", "updatedAt": "...", "test": false,
///   "fields": { "&lt;field id&gt;": "value" | ["a", "b"] | 4 | true | null } }
/// </code>
/// signed with <c>X-Mentoring-Signature: sha256=&lt;base64 HMAC-SHA256(secret, raw body)&gt;</c>. The generic provider also
/// accepts <c>X-Mentoring-Token: &lt;secret&gt;</c> for tools that cannot compute an HMAC (Power Automate).
/// </summary>
internal sealed class GenericJsonProvider(string name, bool allowTokenHeader) : IFormsProvider
{
    public const string SignatureHeader = "X-Mentoring-Signature";
    public const string TokenHeader = "X-Mentoring-Token";

    /// <summary>Top-level <c>"test": true</c>: the script's and flow's test delivery, answered without registering anyone.</summary>
    public const string TestProperty = "test";
    private const string Prefix = "sha256=";

    public string Name { get; } = name;

    public IReadOnlyList<string> AcceptedContentTypes { get; } = ["application/json"];

    public void Authenticate(WebhookDelivery delivery, IReadOnlyList<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var signature = delivery.Header(SignatureHeader);
        if (signature is null && allowTokenHeader && delivery.Header(TokenHeader) is { } token)
        {
            WebhookAuth.RequireToken($"{TokenHeader} header", token, secrets);
            return;
        }
        if (signature is not null && !signature.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new AuthenticationFailedException($"The {SignatureHeader} header must start with '{Prefix}'.");
        }
        WebhookAuth.RequireHmac(SignatureHeader, signature?[Prefix.Length..], delivery.Body.Span, secrets);
    }

    public FormSubmission Parse(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        using var document = JsonField.ParseDocument(delivery.Body, JsonField.Root);
        var root = new JsonField(document.RootElement, JsonField.Root).ExpectObject();
        var submissionId = root.RequiredId("submissionId");
        // An edited response keeps its id; updatedAt (or a later submittedAt) orders its versions.
        var submittedAt = root.Optional("updatedAt") is { Kind: not JsonValueKind.Null } updated
            ? updated.Timestamp()
            : root.Optional("submittedAt")?.Timestamp();
        var kind = root.Optional(TestProperty) is { } test
            ? test.Kind switch
            {
                JsonValueKind.True => DeliveryKind.Test,
                JsonValueKind.False or JsonValueKind.Null => DeliveryKind.Response,
                _ => throw test.WrongType("a boolean"),
            }
            : DeliveryKind.Response;

        var fields = new FieldsBuilder();
        foreach (var (id, value) in root.Required("fields").Properties())
        {
            switch (value.Kind)
            {
                case JsonValueKind.Null:
                    break;
                case JsonValueKind.Array:
                    foreach (var item in value.Items())
                    {
                        if (item.Kind != JsonValueKind.Null)
                        {
                            fields.Add(id, item.IsScalar ? item.Scalar() : throw item.WrongType("a string, number or boolean"));
                        }
                    }
                    break;
                default:
                    fields.Add(id, value.IsScalar ? value.Scalar() : throw value.WrongType("a string, number, boolean or an array of them"));
                    break;
            }
        }
        return new FormSubmission(submissionId, fields.Build(), submittedAt, kind);
    }
}
