using System.Security.Cryptography;
using System.Text;

namespace Mentoring.Core.Participants;

/// <summary>
/// A participant's id is derived from program and normalised email, so the same person registering
/// twice, or fifty webhook retries racing each other, all address one document: the store's
/// create-if-absent then decides, with no lookup index to keep consistent.
/// </summary>
public static class ParticipantIdentity
{
    public static string For(string programId, string normalisedEmail)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{programId}\n{normalisedEmail}"));
        return "p_" + Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }
}
