namespace Mentoring.Core.Common;

/// <summary>Email normalisation and a deliberately plain syntax check (the mail server is the real judge).</summary>
public static class EmailAddress
{
    public const int MaxLength = 254;

    public static string Normalise(string email) => email.Trim().ToLowerInvariant();

    /// <summary>A stable, non-reversible handle for an address (suppression lists keep this, not the address).</summary>
    public static string Digest(string email) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Normalise(email))));

    public static bool IsValid(string email)
    {
        if (email.Length is 0 or > MaxLength || email.Any(char.IsWhiteSpace))
        {
            return false;
        }
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1)
        {
            return false;
        }
        var domain = email[(at + 1)..];
        return domain.Contains('.', StringComparison.Ordinal) && !domain.StartsWith('.') && !domain.EndsWith('.')
            && !domain.Contains("..", StringComparison.Ordinal);
    }
}
