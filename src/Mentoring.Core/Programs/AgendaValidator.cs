using Mentoring.Core.Common;
using Mentoring.Core.Engagement.Agendas;

namespace Mentoring.Core.Programs;

/// <summary>The rules of a program's <c>agendas</c>: what a mail can carry and a pair can use in one sitting.</summary>
internal static class AgendaValidator
{
    public static void Validate(IReadOnlyList<AgendaSession?>? sessions, PairingShape pairing, List<FieldError> errors)
    {
        if (sessions is null)
        {
            return;
        }
        if (sessions.Count > SessionAgendas.MaxSessions)
        {
            errors.Add(new("agendas", Rules.OutOfRange, $"At most {SessionAgendas.MaxSessions} sessions."));
            return;
        }
        var roles = pairing is PairingShape.MentorMentee or PairingShape.Reverse or PairingShape.GroupsLed;
        var previousWeek = 0;
        for (var i = 0; i < sessions.Count; i++)
        {
            var at = $"agendas[{i}]";
            if (sessions[i] is not { } session)
            {
                errors.Add(new(at, Rules.Required, "A session is an object with week, title and prompts."));
                continue;
            }
            if (session.Week is < 1 or > SessionAgendas.MaxWeek)
            {
                errors.Add(new($"{at}.week", Rules.OutOfRange, $"A session's week is 1 to {SessionAgendas.MaxWeek} (week 1 is the intro's week)."));
            }
            else if (session.Week <= previousWeek)
            {
                errors.Add(new($"{at}.week", Rules.OutOfRange, "Sessions are listed in order, each in a later week than the one before."));
            }
            previousWeek = Math.Max(previousWeek, session.Week);
            Text($"{at}.title", session.Title, SessionAgendas.MaxTitleLength, required: true, errors);
            Prompts($"{at}.prompts", session.Prompts, errors);
            if (session.MentorPrompts is not null || session.MenteePrompts is not null)
            {
                if (!roles)
                {
                    var field = session.MentorPrompts is not null ? "mentorPrompts" : "menteePrompts";
                    errors.Add(new($"{at}.{field}", Rules.OutOfRange, "Prompts per role apply to mentorMentee, reverse and groupsLed programs only."));
                }
                else
                {
                    if (session.MentorPrompts is not null)
                    {
                        Prompts($"{at}.mentorPrompts", session.MentorPrompts, errors);
                    }
                    if (session.MenteePrompts is not null)
                    {
                        Prompts($"{at}.menteePrompts", session.MenteePrompts, errors);
                    }
                }
            }
            if (session.Activity is not null)
            {
                Text($"{at}.activity", session.Activity, SessionAgendas.MaxActivityLength, required: false, errors);
            }
        }
    }

    /// <summary>The sessions as stored: surrounding white space trimmed, blank activities dropped.</summary>
    public static IReadOnlyList<AgendaSession> Trimmed(IReadOnlyList<AgendaSession> sessions) =>
    [
        .. sessions.Select(s => s with
        {
            Title = s.Title.Trim(),
            Prompts = [.. s.Prompts.Select(p => p.Trim())],
            MentorPrompts = s.MentorPrompts is null ? null : [.. s.MentorPrompts.Select(p => p.Trim())],
            MenteePrompts = s.MenteePrompts is null ? null : [.. s.MenteePrompts.Select(p => p.Trim())],
            Activity = string.IsNullOrWhiteSpace(s.Activity) ? null : s.Activity.Trim(),
        }),
    ];

    private static void Prompts(string field, IReadOnlyList<string?>? prompts, List<FieldError> errors)
    {
        if (prompts is null || prompts.Count is < SessionAgendas.MinPrompts or > SessionAgendas.MaxPrompts)
        {
            errors.Add(new(field, Rules.OutOfRange, $"A session has {SessionAgendas.MinPrompts} to {SessionAgendas.MaxPrompts} prompts."));
            return;
        }
        for (var i = 0; i < prompts.Count; i++)
        {
            Text($"{field}[{i}]", prompts[i], SessionAgendas.MaxPromptLength, required: true, errors);
        }
    }

    private static void Text(string field, string? value, int maxLength, bool required, List<FieldError> errors)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            if (required)
            {
                errors.Add(new(field, Rules.Required, "This text is required and cannot be blank."));
            }
            return;
        }
        if (text.Length > maxLength)
        {
            errors.Add(new(field, Rules.TooLong, $"At most {maxLength} characters."));
        }
        if (text.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format))
        {
            errors.Add(new(field, Rules.Format, "Agenda text is plain text on one line: no control or invisible formatting characters."));
        }
    }
}
