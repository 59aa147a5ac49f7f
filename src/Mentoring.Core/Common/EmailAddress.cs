using System.Globalization;
using System.Text;
using MimeKit;

namespace Mentoring.Core.Common;

/// <summary>The verdict on one address: its canonical spelling, or the rule it broke and why.</summary>
public sealed record EmailCheck(string? Canonical, string? Rule, string? Detail)
{
    public bool IsValid => Canonical is not null;
}

/// <summary>
/// The one rule for addresses we accept, store and mail: a bare addr-spec (no display name, no angle brackets) that
/// MimeKit parses strictly, with no control or format character, an ASCII local part, and a domain we can name in ASCII.
/// The canonical spelling (local part lower case, domain IDNA-encoded and lower case) is what identifies a person, so
/// <c>Ana@Bücher.example</c> and <c>ana@xn--bcher-kva.example</c> are one participant.
/// </summary>
/// <remarks>
/// Non-ASCII local parts are refused rather than carried: SendGrid's v3 API does not take them and an SMTP relay needs
/// SMTPUTF8 end to end, so an address that one of our two mail paths cannot deliver is refused at the door.
/// </remarks>
public static class EmailAddress
{
    public const int MaxLength = 254;

    private static readonly ParserOptions Strict = new()
    {
        AddressParserComplianceMode = RfcComplianceMode.Strict,
        AllowAddressesWithoutDomain = false,
        AllowUnquotedCommasInAddresses = false,
        Rfc2047ComplianceMode = RfcComplianceMode.Strict,
    };

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    /// <summary>
    /// The canonical spelling of a valid address; for one that breaks the rule (stored before the rule existed, typed by an
    /// admin), the trimmed lower-case text, so lookups keyed on it still find what was stored under it.
    /// </summary>
    public static string Normalise(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return Check(email).Canonical ?? email.Trim().ToLowerInvariant();
    }

    /// <summary>A stable, non-reversible handle for an address (suppression lists keep this, not the address).</summary>
    public static string Digest(string email) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Normalise(email))));

    public static bool IsValid(string email) => Check(email).IsValid;

    /// <summary>Checks <paramref name="email"/> (surrounding white space ignored) against the rule.</summary>
    public static EmailCheck Check(string? email)
    {
        var text = email?.Trim() ?? "";
        if (text.Length == 0)
        {
            return Refused(Rules.Required, "An email address is required.");
        }
        if (PlainText.FirstInvisible(text) is { } invisible)
        {
            return Refused(Rules.ControlCharacter,
                $"The email address contains the invisible or control character {PlainText.CodePoint(invisible)}; type the address again without it.");
        }
        if (text.IndexOfAny(['<', '>']) >= 0)
        {
            return Refused(Rules.AddressOnly, "Send the bare address (name@example.com), without a display name or angle brackets.");
        }
        if (text.Length > MaxLength)
        {
            return Refused(Rules.InvalidEmail, $"An email address has at most {MaxLength} characters.");
        }
        if (text.Any(char.IsWhiteSpace) || !MailboxAddress.TryParse(Strict, text, out var mailbox))
        {
            return Invalid(text);
        }
        if (mailbox.Name is { Length: > 0 } || mailbox.Route.Count > 0)
        {
            return Refused(Rules.AddressOnly, "Send the bare address (name@example.com), without a display name or route.");
        }
        // MimeKit forgives what RFC 5322 allows but relays do not take (comments, a trailing dot): the text itself must
        // be local@domain as parsed.
        var at = text.LastIndexOf('@');
        var local = mailbox.LocalPart;
        if (at <= 0 || !string.Equals(text[..at], local, StringComparison.Ordinal))
        {
            return Invalid(text);
        }
        if (!Ascii.IsValid(local))
        {
            return Refused(Rules.AsciiLocalPart,
                $"'{local}' has characters outside ASCII before the '@'; our mail services cannot deliver to such addresses. Use an ASCII address.");
        }
        if (!IsDotAtom(local))
        {
            return Invalid(text);
        }
        var domain = AsciiDomain(text[(at + 1)..]);
        if (domain is null)
        {
            return Invalid(text);
        }
        var canonical = local.ToLowerInvariant() + "@" + domain;
        return canonical.Length > MaxLength
            ? Refused(Rules.InvalidEmail, $"An email address has at most {MaxLength} characters.")
            : new EmailCheck(canonical, null, null);
    }

    private static EmailCheck Refused(string rule, string detail) => new(null, rule, detail);

    private static EmailCheck Invalid(string text) => Refused(Rules.InvalidEmail, $"'{text}' is not a valid email address.");

    /// <summary>The local part as RFC 5322's dot-atom: no quoted strings (many relays refuse them), no empty labels.</summary>
    private static bool IsDotAtom(string local) =>
        local.Length is > 0 and <= 64
        && local.Split('.').All(atom => atom.Length > 0 && atom.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~".Contains(c)));

    /// <summary>The domain in IDNA ASCII form, lower case; null for a literal ([192.0.2.1]), one label, or a name IDNA refuses.</summary>
    private static string? AsciiDomain(string domain)
    {
        if (domain.Length == 0 || domain.StartsWith('[') || !domain.Contains('.', StringComparison.Ordinal) || domain.EndsWith('.'))
        {
            return null;
        }
        try
        {
            var ascii = Idn.GetAscii(domain.ToLowerInvariant());
            // A name already in xn-- form must decode too: a broken Punycode label is no domain.
            _ = Idn.GetUnicode(ascii);
            return ascii.Split('.')[^1].All(char.IsAsciiDigit) ? null : ascii;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
