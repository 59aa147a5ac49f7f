using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Decisions;

/// <summary>What a signed decision link authorises: one action, by one admin, on one draft version of one window, until it expires.</summary>
public sealed record DecisionGrant
{
    [JsonPropertyName("p")] public required string ProgramId { get; init; }
    [JsonPropertyName("w")] public required string WindowId { get; init; }
    [JsonPropertyName("v")] public required int Version { get; init; }
    [JsonPropertyName("by")] public required string Approver { get; init; }
    [JsonPropertyName("act")] public required DecisionAction Action { get; init; }
    [JsonPropertyName("pair")] public ParticipantPair? Pair { get; init; }
    [JsonPropertyName("pid")] public string? ParticipantId { get; init; }
    [JsonPropertyName("exp")] public required long ExpiresAtUnix { get; init; }

    [JsonIgnore]
    public DateTimeOffset ExpiresAt => DateTimeOffset.FromUnixTimeSeconds(ExpiresAtUnix);
}

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
/// Signs and verifies decision links: <c>base64url(grant JSON) "." key id "." base64url(HMAC-SHA256)</c>.
/// The first key signs; every key verifies.
/// </summary>
public sealed class DecisionTokens
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly IReadOnlyList<SigningKey> keys;

    public DecisionTokens(IReadOnlyList<SigningKey> keys)
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

    public string Sign(DecisionGrant grant)
    {
        var key = keys[0];
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(grant, Json));
        return $"{payload}.{key.Id}.{Base64Url(Mac(key, payload))}";
    }

    /// <summary>The grant, or why the token is not acceptable. Expiry is checked against <paramref name="now"/>.</summary>
    public (DecisionGrant? Grant, TokenProblem Problem) Verify(string token, DateTimeOffset now)
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
        DecisionGrant? grant;
        try
        {
            grant = JsonSerializer.Deserialize<DecisionGrant>(payload, Json);
        }
        catch (JsonException)
        {
            return (null, TokenProblem.Malformed);
        }
        if (grant is null)
        {
            return (null, TokenProblem.Malformed);
        }
        return now >= grant.ExpiresAt ? (grant, TokenProblem.Expired) : (grant, TokenProblem.None);
    }

    private static byte[] Mac(SigningKey key, string payload) => HMACSHA256.HashData(key.Secret, Encoding.ASCII.GetBytes(payload));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => throw new FormatException() };
        return Convert.FromBase64String(padded);
    }
}
