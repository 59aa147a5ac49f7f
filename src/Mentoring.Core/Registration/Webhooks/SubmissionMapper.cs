using Mentoring.Core.Common;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Registration.Webhooks;

/// <summary>Turns a parsed form submission into a <see cref="RegistrationRequest"/> through the program's field map.</summary>
public static class SubmissionMapper
{
    /// <summary>Values that mean "not ticked" for a mapped consent field (compared case-insensitively, trimmed).</summary>
    public static IReadOnlySet<string> FalsyConsentValues { get; } =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "false", "no", "n", "0", "off", "unchecked" };

    /// <summary>
    /// Provider field ids -> question keys through <c>program.FieldMaps[provider]</c>. With no map for the provider, a field
    /// id that is itself a question key of the program (or email / name / consent) is taken as that key. Fields the map
    /// (or the questionnaire) does not name are ignored: forms carry extra fields. <c>email</c> and <c>name</c> become the
    /// request's Email and Name (several name fields, such as first and last name, are joined with a space); <c>consent</c>
    /// becomes Consent: true when any value is truthy (yes, true, 1, checked, the option's text...), false when the mapped
    /// field is unanswered or falsy. When the form has no consent field mapped, submitting it counts as consent, so such
    /// a form must show the consent notice.
    /// </summary>
    /// <exception cref="ValidationFailedException">Two different email addresses were submitted.</exception>
    public static RegistrationRequest ToRegistration(MentoringProgram program, string provider, FormSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(submission);

        var map = FindMap(program, provider);
        var byKey = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (fieldId, values) in submission.Fields)
        {
            var key = map is null
                ? IsQuestionKey(program, fieldId) ? fieldId : null
                : map.TryGetValue(fieldId, out var mapped) && !string.IsNullOrWhiteSpace(mapped) ? mapped : null;
            if (key is null || values.Count == 0)
            {
                continue;
            }
            if (!byKey.TryGetValue(key, out var list))
            {
                byKey[key] = list = [];
            }
            list.AddRange(values);
        }

        var consentMapped = map is null
            ? byKey.ContainsKey(BuiltInQuestions.Consent)
            : map.Values.Contains(BuiltInQuestions.Consent, StringComparer.Ordinal);
        var consent = !consentMapped ||
            (byKey.TryGetValue(BuiltInQuestions.Consent, out var consentValues) && consentValues.Any(IsTruthy));

        var answers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (key, values) in byKey)
        {
            if (!BuiltInQuestions.ParticipantFields.Contains(key))
            {
                answers[key] = values.ToArray();
            }
        }

        return new RegistrationRequest
        {
            Email = Email(byKey),
            Name = byKey.TryGetValue(BuiltInQuestions.Name, out var names) ? string.Join(' ', names.Select(n => n.Trim()).Where(n => n.Length > 0)) : null,
            Consent = consent,
            Answers = answers,
            Source = new RegistrationSource(provider, submission.SubmissionId),
            SubmittedAt = submission.SubmittedAt,
            AnswerFieldPrefix = "",
        };
    }

    /// <summary>True for any non-blank value that is not one of <see cref="FalsyConsentValues"/>.</summary>
    public static bool IsTruthy(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        return trimmed.Length > 0 && !FalsyConsentValues.Contains(trimmed);
    }

    private static IReadOnlyDictionary<string, string>? FindMap(MentoringProgram program, string provider)
    {
        if (program.FieldMaps.TryGetValue(provider, out var exact))
        {
            return exact;
        }
        foreach (var (name, map) in program.FieldMaps)
        {
            if (string.Equals(name, provider, StringComparison.OrdinalIgnoreCase))
            {
                return map;
            }
        }
        return null;
    }

    private static bool IsQuestionKey(MentoringProgram program, string fieldId) =>
        BuiltInQuestions.ParticipantFields.Contains(fieldId) || program.Questionnaire.Find(fieldId) is not null;

    private static string? Email(Dictionary<string, List<string>> byKey)
    {
        if (!byKey.TryGetValue(BuiltInQuestions.Email, out var emails))
        {
            return null;
        }
        var distinct = emails.Select(e => e.Trim()).Where(e => e.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return distinct.Count switch
        {
            0 => null,
            1 => distinct[0],
            _ => throw new ValidationFailedException(BuiltInQuestions.Email, Rules.SingleValue,
                $"The form sent {distinct.Count} different email addresses; map exactly one field to 'email'."),
        };
    }
}
