using Mentoring.Core.Common;

namespace Mentoring.Core.Registration.Webhooks;

/// <summary>One HTTP delivery from a forms tool, exactly as received: the raw body (signatures cover these bytes), its content type, headers and query.</summary>
/// <param name="Headers">Request headers; the host should pass a case-insensitive dictionary (lookups here also fall back to a case-insensitive scan).</param>
/// <param name="Query">URL query parameters (Jotform carries its token there).</param>
public sealed record WebhookDelivery(
    ReadOnlyMemory<byte> Body,
    string? ContentType,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> Query)
{
    /// <summary>The header's value, or null. Case-insensitive even when <see cref="Headers"/> is not.</summary>
    public string? Header(string name) => Lookup(Headers, name);

    /// <summary>The query parameter's value, or null. Exact name first, then case-insensitive.</summary>
    public string? QueryValue(string name) => Lookup(Query, name);

    private static string? Lookup(IReadOnlyDictionary<string, string> values, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (values.TryGetValue(name, out var exact))
        {
            return exact;
        }
        foreach (var (key, value) in values)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        return null;
    }
}

/// <summary>What a delivery is, as the provider marks it.</summary>
public enum DeliveryKind
{
    /// <summary>A person's completed (or edited) response: registers them.</summary>
    Response,
    /// <summary>The provider's own test delivery (Typeform's "Send test request", our script's and flow's test marker): registers nobody.</summary>
    Test,
    /// <summary>An unfinished response (Typeform <c>form_response_partial</c>): acknowledged, stores nothing.</summary>
    Partial,
}

/// <summary>A parsed form submission: the provider's submission id and its answers keyed by the provider's stable field id.</summary>
/// <param name="SubmissionId">The provider's id for this submission (Typeform token, Tally responseId, Jotform submissionID...); deliveries retried by the tool carry the same id.</param>
/// <param name="Fields">Provider field id -> answer values as strings. Unanswered fields are absent; no list is empty.</param>
/// <param name="SubmittedAt">
/// The provider's time of this version of the response (submitted, or updated for an edit), null when the provider sends
/// none (Jotform). An older version arriving after a newer one is ignored; without a time the order of arrival decides.
/// </param>
/// <param name="Kind">A real response, the provider's test delivery, or a partial response.</param>
public sealed record FormSubmission(
    string SubmissionId,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Fields,
    DateTimeOffset? SubmittedAt,
    DeliveryKind Kind = DeliveryKind.Response);

/// <summary>Authenticates and parses webhook deliveries from one forms tool.</summary>
public interface IFormsProvider
{
    /// <summary>The provider's route segment and field-map key: "typeform", "tally", "jotform", "google-forms", "generic".</summary>
    string Name { get; }

    /// <summary>Media types (no parameters) this provider posts; the endpoint answers 415 for others.</summary>
    IReadOnlyList<string> AcceptedContentTypes { get; }

    /// <summary>
    /// Throws <see cref="AuthenticationFailedException"/> unless one of <paramref name="secrets"/> authenticates the delivery
    /// (missing or invalid signature or token). Every secret is tried, each compared in constant time.
    /// </summary>
    void Authenticate(WebhookDelivery delivery, IReadOnlyList<string> secrets);

    /// <summary>
    /// Parses the body. Throws <see cref="ValidationFailedException"/> (field = JSON path or form field, "$" for the whole body;
    /// rule = invalid-json / wrong-type / required / format) for malformed payloads.
    /// </summary>
    FormSubmission Parse(WebhookDelivery delivery);
}

public static class FormsProviderExtensions
{
    /// <summary>True when the delivery's media type (parameters such as charset ignored) is one the provider accepts.</summary>
    public static bool Accepts(this IFormsProvider provider, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var mediaType = MediaType.TryParse(contentType);
        return mediaType is not null &&
               provider.AcceptedContentTypes.Any(t => string.Equals(t, mediaType.Type, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>The registry of supported forms providers.</summary>
public static class FormsProviders
{
    public static IFormsProvider Typeform { get; } = new TypeformProvider();
    public static IFormsProvider Tally { get; } = new TallyProvider();
    public static IFormsProvider Jotform { get; } = new JotformProvider();
    /// <summary>Google Forms through the shipped Apps Script (integrations/google-forms/Code.gs): the generic shape, HMAC only.</summary>
    public static IFormsProvider GoogleForms { get; } = new GenericJsonProvider("google-forms", allowTokenHeader: false);
    /// <summary>Any HTTP client (Microsoft Forms through Power Automate, scripts): the generic shape, HMAC or token header.</summary>
    public static IFormsProvider Generic { get; } = new GenericJsonProvider("generic", allowTokenHeader: true);

    private static readonly IFormsProvider[] All = [Typeform, Tally, Jotform, GoogleForms, Generic];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(p => p.Name)];

    /// <summary>The provider with this name (case-insensitive), or null.</summary>
    public static IFormsProvider? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
