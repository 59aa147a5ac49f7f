using System.Text.Json.Serialization;
using Mentoring.Core.Links;
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

/// <summary>Signs and verifies decision links (see <see cref="LinkSigner"/> for the token format).</summary>
public sealed class DecisionTokens(LinkSigner signer)
{
    public string Sign(DecisionGrant grant) => signer.Sign(grant);

    /// <summary>The grant, or why the token is not acceptable. Expiry is checked against <paramref name="now"/>.</summary>
    public (DecisionGrant? Grant, TokenProblem Problem) Verify(string token, DateTimeOffset now)
    {
        var (grant, problem) = signer.Verify<DecisionGrant>(token);
        if (grant is null || problem != TokenProblem.None)
        {
            return (grant, problem);
        }
        return now >= grant.ExpiresAt ? (grant, TokenProblem.Expired) : (grant, TokenProblem.None);
    }
}
