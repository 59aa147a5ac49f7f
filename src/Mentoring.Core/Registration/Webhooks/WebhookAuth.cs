using System.Security.Cryptography;
using System.Text;
using Mentoring.Core.Common;

namespace Mentoring.Core.Registration.Webhooks;

/// <summary>Constant-time checks of HMAC signatures and shared tokens against a program's secrets (several, for rotation).</summary>
internal static class WebhookAuth
{
    private const int MacLength = 32;

    /// <summary>
    /// Throws unless <paramref name="base64Signature"/> is the base64 HMAC-SHA256 of the body under one of the secrets.
    /// Every usable secret is computed and compared, so timing does not reveal which one matched.
    /// </summary>
    public static void RequireHmac(string header, string? base64Signature, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets)
    {
        var usable = Usable(secrets);
        if (string.IsNullOrWhiteSpace(base64Signature))
        {
            throw new AuthenticationFailedException($"The {header} header is missing.");
        }
        Span<byte> received = stackalloc byte[MacLength + 3];
        if (!Convert.TryFromBase64String(base64Signature.Trim(), received, out var written) || written != MacLength)
        {
            throw new AuthenticationFailedException($"The {header} header is not a base64 HMAC-SHA256 signature.");
        }
        Span<byte> expected = stackalloc byte[MacLength];
        var matched = false;
        foreach (var secret in usable)
        {
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
            matched |= CryptographicOperations.FixedTimeEquals(expected, received[..MacLength]);
        }
        if (!matched)
        {
            throw new AuthenticationFailedException($"The {header} signature {NoMatch}.");
        }
    }

    /// <summary>Throws unless <paramref name="token"/> equals one of the secrets. Both sides are hashed first so lengths do not leak either.</summary>
    public static void RequireToken(string where, string? token, IReadOnlyList<string> secrets)
    {
        var usable = Usable(secrets);
        if (string.IsNullOrEmpty(token))
        {
            throw new AuthenticationFailedException($"The {where} is missing.");
        }
        var received = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        var matched = false;
        foreach (var secret in usable)
        {
            matched |= CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), received);
        }
        if (!matched)
        {
            throw new AuthenticationFailedException($"The {where} {NoMatch}.");
        }
    }

    /// <summary>One wording for every mismatch, whatever the program has (or whether it exists).</summary>
    private const string NoMatch = "does not match any of the program's webhook secrets (a program without one takes no deliveries)";

    /// <summary>
    /// The non-empty secrets; with none (a program without a webhook secret, or no such program), one fresh random secret
    /// that no sender can know. Such a delivery then fails exactly as one with a wrong signature or token does, in the same
    /// words, so webhook URLs cannot be used to probe which program ids exist or which have no secret.
    /// </summary>
    private static List<string> Usable(IReadOnlyList<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var usable = secrets.Where(s => !string.IsNullOrEmpty(s)).ToList();
        return usable.Count > 0 ? usable : [Convert.ToHexString(RandomNumberGenerator.GetBytes(32))];
    }
}
