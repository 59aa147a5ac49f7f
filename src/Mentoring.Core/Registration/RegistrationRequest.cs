using Mentoring.Core.Participants;

namespace Mentoring.Core.Registration;

/// <summary>
/// A signup before validation, from whichever channel. Answers are raw strings keyed by question key;
/// the <see cref="RegistrationValidator"/> checks and normalises them against the program's questionnaire.
/// </summary>
public sealed record RegistrationRequest
{
    public string? Email { get; init; }
    public string? Name { get; init; }
    /// <summary>True when the person ticked consent. Forms providers set it from the mapped consent field, or imply it by submitting.</summary>
    public bool? Consent { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Answers { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();
    public required RegistrationSource Source { get; init; }
    /// <summary>The provider's time of this version of a forms submission (submitted, or updated for an edit); null when it sends none.</summary>
    public DateTimeOffset? SubmittedAt { get; init; }
    /// <summary>Prefix for field names in errors: "answers." for the JSON API, "" for forms fields.</summary>
    public string AnswerFieldPrefix { get; init; } = "answers.";
}
