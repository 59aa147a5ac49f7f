using Mentoring.Core.Common;
using Mentoring.Core.Registration.Webhooks;

namespace Mentoring.Core.Tests.Registration.Webhooks;

/// <summary>Rotation in practice: admins paste the new secret before removing the old one, sometimes twice.</summary>
public sealed class SecretRotationTests
{
    private const string Old = "whsec-old-5d1e";
    private const string New = "whsec-new-a7c0";

    public static TheoryData<string> Providers() => [.. WebhookFixtures.Providers];

    private static void Authenticate(string provider, string signedWith, IReadOnlyList<string> secrets) =>
        FormsProviders.Find(provider)!.Authenticate(WebhookFixtures.Signed(provider, signedWith).ToDelivery(), secrets);

    [Theory]
    [MemberData(nameof(Providers))]
    public void A_secret_listed_twice_still_authenticates(string provider)
    {
        Authenticate(provider, New, [New, New]);
        Authenticate(provider, New, [Old, New, New]);
        Authenticate(provider, Old, [Old, New, Old]);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Listing_a_secret_twice_does_not_let_another_one_through(string provider) =>
        Assert.Throws<AuthenticationFailedException>(() => Authenticate(provider, "whsec-stranger", [New, New]));

    [Theory]
    [MemberData(nameof(Providers))]
    public void A_blank_entry_left_during_rotation_is_skipped(string provider) => Authenticate(provider, New, ["", New]);
}
