using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mentoring.Core.Common;

namespace Mentoring.Core.Links;

/// <summary>One HMAC-SHA256 key with its id, so keys rotate without breaking links already mailed.</summary>
public sealed record SigningKey(string Id, byte[] Secret);

public enum TokenProblem
{
    None,
    Malformed,
    UnknownKey,
    BadSignature,
    Expired,
}

/// <summary>
/// Signs small JSON grants into URL-safe tokens: <c>base64url(JSON) "." key id "." base64url(HMAC-SHA256)</c>.
/// The first key signs; every key verifies. Used for admins' decision links and participants' one-click links.
/// </summary>
public sealed class LinkSigner
{
    private readonly IReadOnlyList<SigningKey> keys;

    public LinkSigner(IReadOnlyList<SigningKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0 || keys.Any(k => k.Secret.Length < 32 || k.Id.Contains('.', StringComparison.Ordinal)))
        {
            throw new ArgumentException("At least one signing key of 32 bytes or more is required, with an id without dots.", nameof(keys));
        }
        this.keys = keys;
    }

    /// <summary>Parses "kid1:base64secret,kid2:base64secret" (the configuration format).</summary>
    public static IReadOnlyList<SigningKey> ParseKeys(string configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        return [.. configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(entry =>
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException("Signing keys are 'id:base64secret', separated by commas.");
            }
            return new SigningKey(entry[..colon], Convert.FromBase64String(entry[(colon + 1)..]));
        })];
    }

    public string Sign<T>(T grant)
    {
        var key = keys[0];
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(grant, MentoringJson.Options));
        return $"{payload}.{key.Id}.{Base64Url(Mac(key, payload))}";
    }

    /// <summary>The grant, or why the token cannot be trusted. Expiry is the caller's to check (it is in the grant).</summary>
    public (T? Grant, TokenProblem Problem) Verify<T>(string token) where T : class
    {
        var parts = (token ?? "").Split('.');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[0].Length > 4096)
        {
            return (null, TokenProblem.Malformed);
        }
        var key = keys.FirstOrDefault(k => k.Id == parts[1]);
        if (key is null)
        {
            return (null, TokenProblem.UnknownKey);
        }
        byte[] signature;
        byte[] payload;
        try
        {
            signature = FromBase64Url(parts[2]);
            payload = FromBase64Url(parts[0]);
        }
        catch (FormatException)
        {
            return (null, TokenProblem.Malformed);
        }
        if (!CryptographicOperations.FixedTimeEquals(signature, Mac(key, parts[0])))
        {
            return (null, TokenProblem.BadSignature);
        }
        try
        {
            var grant = JsonSerializer.Deserialize<T>(payload, MentoringJson.Options);
            return grant is null ? (null, TokenProblem.Malformed) : (grant, TokenProblem.None);
        }
        catch (JsonException)
        {
            return (null, TokenProblem.Malformed);
        }
    }

    /// <summary>A stable digest of a token, for single-use records that must not store the token itself.</summary>
    public static string Digest(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static byte[] Mac(SigningKey key, string payload) => HMACSHA256.HashData(key.Secret, Encoding.ASCII.GetBytes(payload));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// Decodes only the one spelling <see cref="Base64Url"/> produces: the URL alphabet without padding, and zero unused
    /// bits in the last character. Anything else (a '+', an '=', changed low bits, whitespace the decoder skips) decodes
    /// to the same bytes in a lax decoder, which would give one token several spellings and let single-use records keyed
    /// on the text be dodged. Re-encoding and comparing refuses every other spelling at once; text that is not base64 at
    /// all makes the decoder throw the same FormatException.
    /// </summary>
    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        var bytes = Convert.FromBase64String(padded);
        return Base64Url(bytes) == text ? bytes : throw new FormatException("Not canonical base64url.");
    }
}
