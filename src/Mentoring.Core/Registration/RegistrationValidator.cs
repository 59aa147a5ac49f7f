using Mentoring.Core.Common;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Registration;

/// <summary>A registration that passed validation: email normalised, answers in canonical form.</summary>
public sealed record ValidRegistration(
    string Email,
    string Name,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Answers);

/// <summary>Checks a signup against the program's questionnaire and normalises every answer.</summary>
public static class RegistrationValidator
{
    public const int MaxNameLength = 200;
    public const int MaxFreeTextLength = 2000;
    public const int MaxValuesPerAnswer = 50;

    /// <exception cref="ValidationFailedException">With every broken rule, not just the first.</exception>
    public static ValidRegistration Validate(MentoringProgram program, RegistrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(request);
        var errors = ContactErrors(request);
        var prefix = request.AnswerFieldPrefix;
        var email = EmailAddress.Check(request.Email).Canonical ?? "";
        var name = request.Name?.Trim() ?? "";

        var questionnaire = program.Questionnaire;
        var answers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (key, raw) in request.Answers)
        {
            var question = questionnaire.Find(key);
            if (question is null)
            {
                errors.Add(new(prefix + key, Rules.UnknownQuestion, $"The program has no question with key '{key}'."));
                continue;
            }
            var values = raw.Select(v => v?.Trim() ?? "").Where(v => v.Length > 0).ToList();
            if (values.Count == 0)
            {
                continue; // an empty answer is no answer; 'required' below decides whether that is fine
            }
            var normalised = NormaliseAnswer(question, values, prefix + key, errors);
            if (normalised is not null)
            {
                answers[key] = normalised;
            }
        }

        foreach (var question in questionnaire.Effective.Where(q => q.Required && !BuiltInQuestions.ParticipantFields.Contains(q.Key)))
        {
            if (!answers.ContainsKey(question.Key) && !errors.Any(e => e.Field == prefix + question.Key))
            {
                errors.Add(new(prefix + question.Key, Rules.Required, $"'{question.Label ?? question.Key}' is required."));
            }
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        return new ValidRegistration(email, name, answers);
    }

    /// <summary>
    /// The checks that need no program (email, name, consent). The public signup route runs them before it looks the
    /// program up, so a broken signup is answered the same whether or not the program exists.
    /// </summary>
    /// <exception cref="ValidationFailedException">With every broken rule among them.</exception>
    public static void EnsureContact(RegistrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = ContactErrors(request);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }

    private static List<FieldError> ContactErrors(RegistrationRequest request)
    {
        var errors = new List<FieldError>();
        var emailCheck = EmailAddress.Check(request.Email);
        if (!emailCheck.IsValid)
        {
            errors.Add(new("email", emailCheck.Rule!, emailCheck.Detail!));
        }

        var name = request.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add(new("name", Rules.Required, "A name is required."));
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add(new("name", Rules.TooLong, $"The name is longer than {MaxNameLength} characters."));
        }
        else if (PlainText.FirstInvisible(name, allowJoiners: true) is { } invisible)
        {
            // Names are copied into mail headers (To, Subject): nothing in them may break a line or hide text.
            errors.Add(new("name", Rules.ControlCharacter,
                $"The name contains the control or invisible character {PlainText.CodePoint(invisible)} (line breaks, tabs, NUL, ESC and direction overrides are not allowed)."));
        }

        if (request.Consent != true)
        {
            errors.Add(new("consent", Rules.Consent, "Consent must be given (true) to take part."));
        }

        return errors;
    }

    private static List<string>? NormaliseAnswer(Question question, List<string> values, string field, List<FieldError> errors)
    {
        if (!question.IsMultiValued && values.Count > 1)
        {
            errors.Add(new(field, Rules.SingleValue, $"'{question.Key}' takes one answer, got {values.Count}."));
            return null;
        }
        if (values.Count > MaxValuesPerAnswer)
        {
            errors.Add(new(field, Rules.OutOfRange, $"'{question.Key}' takes at most {MaxValuesPerAnswer} answers."));
            return null;
        }

        var result = new List<string>(values.Count);
        foreach (var value in values)
        {
            var canonical = question.Type switch
            {
                QuestionType.SingleChoice or QuestionType.MultiChoice or QuestionType.OrdinalScale => Option(question, value, field, errors),
                QuestionType.Email => Email(value, field, errors),
                QuestionType.TimeZone => Zone(value, field, errors),
                _ => Text(value, field, errors),
            };
            if (canonical is null)
            {
                return null;
            }
            if (!result.Contains(canonical, StringComparer.Ordinal))
            {
                result.Add(canonical);
            }
        }
        return result;
    }

    private static string? Option(Question question, string value, string field, List<FieldError> errors)
    {
        var match = question.Options.FirstOrDefault(o => string.Equals(o, value, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            errors.Add(new(field, Rules.OptionNotAllowed,
                $"'{value}' is not one of the allowed options for '{question.Key}': {string.Join(", ", question.Options)}."));
        }
        return match;
    }

    private static string? Email(string value, string field, List<FieldError> errors)
    {
        var check = EmailAddress.Check(value);
        if (!check.IsValid)
        {
            errors.Add(new(field, check.Rule!, check.Detail!));
        }
        return check.Canonical;
    }

    private static string? Zone(string value, string field, List<FieldError> errors)
    {
        var zone = TimeZones.Canonical(value);
        if (zone is null)
        {
            errors.Add(new(field, Rules.InvalidTimeZone, $"'{value}' is not a known IANA time zone (for example Europe/Berlin)."));
        }
        return zone;
    }

    private static string? Text(string value, string field, List<FieldError> errors)
    {
        if (value.Length <= MaxFreeTextLength)
        {
            return value;
        }
        errors.Add(new(field, Rules.TooLong, $"The answer is longer than {MaxFreeTextLength} characters."));
        return null;
    }
}
