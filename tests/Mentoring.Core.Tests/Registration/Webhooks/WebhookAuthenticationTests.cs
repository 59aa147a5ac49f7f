using System.Text;
using Mentoring.Core.Common;
using Mentoring.Core.Registration.Webhooks;

namespace Mentoring.Core.Tests.Registration.Webhooks;

public class WebhookAuthenticationTests
{
    private const string Current = "whsec-current-7f3a";
    private const string Previous = "whsec-previous-91bc";
    private static readonly IReadOnlyList<string> Secrets = [Current, Previous];

    public static TheoryData<string> Providers() => [.. WebhookFixtures.Providers];

    private static IFormsProvider Provider(string name) => FormsProviders.Find(name)!;

    [Theory]
    [MemberData(nameof(Providers))]
    public void A_delivery_signed_with_the_current_secret_is_accepted(string provider)
    {
        var delivery = WebhookFixtures.Signed(provider, Current).ToDelivery();
        Provider(provider).Authenticate(delivery, Secrets);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void A_delivery_signed_with_an_older_secret_is_accepted_during_rotation(string provider)
    {
        var delivery = WebhookFixtures.Signed(provider, Previous).ToDelivery();
        Provider(provider).Authenticate(delivery, Secrets);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void A_delivery_signed_with_another_secret_is_rejected(string provider)
    {
        var delivery = WebhookFixtures.Signed(provider, "not-our-secret").ToDelivery();
        Assert.Throws<AuthenticationFailedException>(() => Provider(provider).Authenticate(delivery, Secrets));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void A_delivery_without_signature_or_token_is_rejected(string provider)
    {
        var delivery = WebhookFixtures.Unsigned(provider).ToDelivery();
        var error = Assert.Throws<AuthenticationFailedException>(() => Provider(provider).Authenticate(delivery, Secrets));
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void A_program_without_secrets_rejects_every_delivery(string provider)
    {
        var delivery = WebhookFixtures.Signed(provider, Current).ToDelivery();
        Assert.Throws<AuthenticationFailedException>(() => Provider(provider).Authenticate(delivery, []));
        Assert.Throws<AuthenticationFailedException>(() => Provider(provider).Authenticate(delivery, [""]));
    }

    [Theory]
    [InlineData(WebhookFixtures.Typeform)]
    [InlineData(WebhookFixtures.Tally)]
    [InlineData(WebhookFixtures.GoogleForms)]
    [InlineData(WebhookFixtures.Generic)]
    public void A_signature_over_a_different_body_is_rejected(string provider)
    {
        var signed = WebhookFixtures.Signed(provider, Current);
        var tampered = signed with { Body = WebhookFixtures.Body(provider, email: "mallory@example.com") };
        Assert.Throws<AuthenticationFailedException>(() => Provider(provider).Authenticate(tampered.ToDelivery(), Secrets));
    }

    [Theory]
    [InlineData("Typeform-Signature", "sha256=not base64!")]
    [InlineData("Typeform-Signature", "sha256=AAAA")]
    [InlineData("Typeform-Signature", "")]
    public void Malformed_typeform_signatures_are_rejected(string header, string value)
    {
        var delivery = WebhookFixtures.Unsigned(WebhookFixtures.Typeform) with
        {
            Headers = new Dictionary<string, string> { [header] = value },
        };
        Assert.Throws<AuthenticationFailedException>(() => FormsProviders.Typeform.Authenticate(delivery.ToDelivery(), Secrets));
    }

    [Fact]
    public void Typeform_requires_the_sha256_prefix()
    {
        var body = WebhookFixtures.Body(WebhookFixtures.Typeform);
        var delivery = WebhookFixtures.Unsigned(WebhookFixtures.Typeform) with
        {
            Headers = new Dictionary<string, string> { ["Typeform-Signature"] = WebhookFixtures.Sign(Current, body) },
        };
        Assert.Throws<AuthenticationFailedException>(() => FormsProviders.Typeform.Authenticate(delivery.ToDelivery(), Secrets));
    }

    [Fact]
    public void Header_names_match_case_insensitively_even_when_the_host_passes_an_ordinal_dictionary()
    {
        var body = WebhookFixtures.Body(WebhookFixtures.Tally);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["tally-signature"] = WebhookFixtures.Sign(Current, body) };
        var delivery = new WebhookDelivery(body, "application/json", headers, new Dictionary<string, string>());
        FormsProviders.Tally.Authenticate(delivery, Secrets);
    }

    [Fact]
    public void Jotform_rejects_a_token_that_only_shares_a_prefix_with_the_secret()
    {
        var delivery = WebhookFixtures.Signed(WebhookFixtures.Jotform, Current[..^1]).ToDelivery();
        Assert.Throws<AuthenticationFailedException>(() => FormsProviders.Jotform.Authenticate(delivery, Secrets));
    }

    [Fact]
    public void Generic_accepts_the_secret_in_the_token_header_for_tools_that_cannot_sign()
    {
        var delivery = WebhookFixtures.Unsigned(WebhookFixtures.Generic) with
        {
            Headers = new Dictionary<string, string> { ["X-Mentoring-Token"] = Previous },
        };
        FormsProviders.Generic.Authenticate(delivery.ToDelivery(), Secrets);

        var wrong = delivery with { Headers = new Dictionary<string, string> { ["X-Mentoring-Token"] = "guess" } };
        Assert.Throws<AuthenticationFailedException>(() => FormsProviders.Generic.Authenticate(wrong.ToDelivery(), Secrets));
    }

    [Fact]
    public void Google_forms_accepts_only_signatures_because_its_script_can_sign()
    {
        var delivery = WebhookFixtures.Unsigned(WebhookFixtures.GoogleForms) with
        {
            Headers = new Dictionary<string, string> { ["X-Mentoring-Token"] = Current },
        };
        Assert.Throws<AuthenticationFailedException>(() => FormsProviders.GoogleForms.Authenticate(delivery.ToDelivery(), Secrets));
    }

    [Fact]
    public void Secrets_are_keyed_as_utf8()
    {
        const string secret = "geheimnis-äöü";
        var body = Encoding.UTF8.GetBytes("""{"submissionId":"x","fields":{}}""");
        var delivery = WebhookFixtures.SignedWith(WebhookFixtures.Generic, secret, body).ToDelivery();
        FormsProviders.Generic.Authenticate(delivery, [secret]);
    }
}
