using System.Text;
using System.Text.Json;
using Mentoring.Core.Common;

namespace Mentoring.Core.Registration.Webhooks;

/// <summary>
/// Jotform webhooks: <c>multipart/form-data</c> (or <c>application/x-www-form-urlencoded</c>) with <c>submissionID</c>,
/// <c>formID</c> and <c>rawRequest</c>, a JSON string of the answers keyed like <c>q3_email</c>. Jotform cannot sign,
/// so the webhook URL carries a secret: <c>?token=&lt;secret&gt;</c>. Field id = the rawRequest key (<c>q3_email</c>).
/// </summary>
internal sealed class JotformProvider : IFormsProvider
{
    public const string TokenParameter = "token";

    private static readonly string[] NameParts = ["prefix", "first", "middle", "last", "suffix"];
    private static readonly string[] AddressParts = ["addr_line1", "addr_line2", "city", "state", "postal", "country"];

    public string Name => "jotform";

    public IReadOnlyList<string> AcceptedContentTypes { get; } = [FormBody.Multipart, FormBody.UrlEncoded];

    public void Authenticate(WebhookDelivery delivery, IReadOnlyList<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        WebhookAuth.RequireToken($"'{TokenParameter}' query parameter", delivery.QueryValue(TokenParameter), secrets);
    }

    public FormSubmission Parse(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var form = FormBody.Read(delivery.Body, delivery.ContentType);
        var submissionId = Single(form, "submissionID");
        var rawRequest = Single(form, "rawRequest");

        using var document = JsonField.ParseDocument(Encoding.UTF8.GetBytes(rawRequest), "rawRequest");
        var answers = new JsonField(document.RootElement, "rawRequest").ExpectObject();
        var fields = new FieldsBuilder();
        foreach (var (key, value) in answers.Properties())
        {
            fields.Add(key, Values(value));
        }
        return new FormSubmission(submissionId, fields.Build(), SubmittedAt: null);
    }

    private static string Single(Dictionary<string, List<string>> form, string name)
    {
        if (!form.TryGetValue(name, out var values) || values.Count == 0 || string.IsNullOrWhiteSpace(values[0]))
        {
            throw new ValidationFailedException(name, Rules.Required, $"The form field '{name}' is required.");
        }
        return values.Count == 1
            ? values[0]
            : throw new ValidationFailedException(name, Rules.SingleValue, $"The form field '{name}' appears {values.Count} times.");
    }

    /// <summary>
    /// Strings and numbers as they are; checkbox arrays element by element; compound widgets flattened:
    /// full name {first, last...} -> "First Last"; date {month, day, year} -> "yyyy-MM-dd"; phone {full} or {area, phone};
    /// address -> "line1, city, ..."; any other object -> its non-empty values joined with ", ".
    /// </summary>
    private static IEnumerable<string> Values(JsonField value)
    {
        switch (value.Kind)
        {
            case JsonValueKind.Null:
                return [];
            case JsonValueKind.Array:
                return value.Items().Where(i => i.IsScalar).Select(i => i.Scalar());
            case JsonValueKind.Object:
                return [Flatten(value)];
            default:
                return [value.Scalar()];
        }
    }

    private static string Flatten(JsonField value)
    {
        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, part) in value.Properties())
        {
            if (part.IsScalar && part.Scalar() is { Length: > 0 } text)
            {
                parts[name] = text;
            }
        }
        if (parts.Count == 0)
        {
            return "";
        }
        if (parts.Keys.All(NameParts.Contains))
        {
            return Join(" ", NameParts, parts);
        }
        if (parts.TryGetValue("year", out var year) && parts.TryGetValue("month", out var month) && parts.TryGetValue("day", out var day))
        {
            return $"{year}-{month.PadLeft(2, '0')}-{day.PadLeft(2, '0')}";
        }
        if (parts.TryGetValue("full", out var full))
        {
            return full;
        }
        if (parts.TryGetValue("phone", out var phone))
        {
            return parts.TryGetValue("area", out var area) ? $"{area} {phone}" : phone;
        }
        if (parts.Keys.Any(AddressParts.Contains))
        {
            return Join(", ", AddressParts, parts);
        }
        return string.Join(", ", parts.Values);
    }

    private static string Join(string separator, string[] order, Dictionary<string, string> parts) =>
        string.Join(separator, order.Where(parts.ContainsKey).Select(k => parts[k]));
}
