using System.Security.Cryptography;
using System.Text;
using Mentoring.Core.Persistence;

namespace Mentoring.Core.Registration;

/// <summary>
/// The ledger entry of one forms submission: (program, provider, submission id) -> the participant it registered, for
/// ever. Its ETag orders the submission's versions (edits), so racing deliveries agree on which one is current. It keeps
/// no answers and no address: the participant document holds those, and erasure clears them there.
/// </summary>
public sealed record SubmissionRecord
{
    public required string Provider { get; init; }
    public required string SubmissionId { get; init; }
    /// <summary>The participant this submission's current version registers (derived from its address).</summary>
    public required string ParticipantId { get; init; }
    /// <summary>Counts accepted versions: 1 for the first delivery, +1 per edit. A participant shows the newest it has seen.</summary>
    public required int Revision { get; init; }
    /// <summary>SHA-256 of the validated registration (address, name, answers): an identical redelivery changes nothing.</summary>
    public required string ContentHash { get; init; }
    /// <summary>
    /// The fingerprints of the versions before the current one (at most <see cref="MaxPreviousVersions"/>): without a
    /// newer time to tell them apart, a late retry of an earlier version must not undo the edit that replaced it.
    /// </summary>
    public IReadOnlyList<string> PreviousHashes { get; init; } = [];

    public const int MaxPreviousVersions = 100;

    /// <summary>The provider's time of the current version; null when the provider sends none (then arrival order decides).</summary>
    public DateTimeOffset? SubmittedAt { get; init; }
    public DateTimeOffset FirstReceivedAt { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    /// <summary>Every change of address an edit made, oldest first: the record of each move.</summary>
    public IReadOnlyList<SubmissionMove> Moves { get; init; } = [];

    public static DocumentKey KeyOf(string programId, string provider, string submissionId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{provider}\n{submissionId}"));
        return new DocumentKey(programId, DocumentKinds.Submission, "s_" + Convert.ToHexStringLower(hash.AsSpan(0, 16)));
    }

    /// <summary>The fingerprint of what a version would store; answers in key order, values in their order.</summary>
    public static string HashOf(ValidRegistration valid)
    {
        ArgumentNullException.ThrowIfNull(valid);
        var text = new StringBuilder();
        text.Append(valid.Email).Append('\u001f').Append(valid.Name);
        foreach (var (key, values) in valid.Answers.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            text.Append('\u001e').Append(key);
            foreach (var value in values)
            {
                text.Append('\u001f').Append(value);
            }
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>An edit moved the submission's participant from one address (participant id) to another at <paramref name="At"/>.</summary>
public sealed record SubmissionMove(string From, string To, int Revision, DateTimeOffset At);
