namespace Mentoring.Core.Common;

/// <summary>One broken rule on one field. <see cref="Field"/> is a JSON path or question key; <see cref="Rule"/> a stable kebab-case id.</summary>
public sealed record FieldError(string Field, string Rule, string Detail);

/// <summary>Stable rule ids that clients can switch on.</summary>
public static class Rules
{
    public const string Required = "required";
    public const string InvalidJson = "invalid-json";
    public const string WrongType = "wrong-type";
    public const string UnknownField = "unknown-field";
    public const string UnknownQuestion = "unknown-question";
    public const string OptionNotAllowed = "option-not-allowed";
    public const string InvalidEmail = "invalid-email";
    /// <summary>A control (Cc) or format (Cf) character: NUL, ESC, CR/LF, DEL, a zero-width space, a direction override.</summary>
    public const string ControlCharacter = "control-character";
    /// <summary>An address with a display name or angle brackets, where only the bare address is taken.</summary>
    public const string AddressOnly = "address-only";
    /// <summary>Non-ASCII before the '@': neither SendGrid nor a relay without SMTPUTF8 delivers it.</summary>
    public const string AsciiLocalPart = "ascii-local-part";
    public const string InvalidTimeZone = "invalid-time-zone";
    public const string TooLong = "too-long";
    public const string OutOfRange = "out-of-range";
    public const string Duplicate = "duplicate";
    public const string SingleValue = "single-value";
    public const string Format = "format";
    public const string Consent = "consent-required";
    public const string InvalidWindow = "invalid-window";
}

/// <summary>Base of the errors a client can cause; the HTTP edge maps each to a 4xx problem document.</summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>The input broke one or more rules; nothing was changed.</summary>
public sealed class ValidationFailedException(IReadOnlyList<FieldError> errors)
    : DomainException(errors.Count == 1 ? errors[0].Detail : $"{errors.Count} fields are invalid.")
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;

    public ValidationFailedException(string field, string rule, string detail) : this([new FieldError(field, rule, detail)]) { }
}

public sealed class NotFoundException(string what) : DomainException($"{what} was not found.");

/// <summary>The request conflicts with the resource's current state (for example registration is closed).</summary>
public sealed class ConflictException(string message) : DomainException(message);

/// <summary>An If-Match ETag no longer matches: someone else changed the resource first.</summary>
public sealed class StaleETagException(string what)
    : DomainException($"{what} has changed since you read it; read it again and retry with the new ETag.");

/// <summary>The caller could not prove who they are (bad webhook signature, missing key).</summary>
public sealed class AuthenticationFailedException(string message) : DomainException(message);
