using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Engagement.Agendas;

/// <summary>
/// Which agenda a pair gets when: the intro carries the first session; a check-in nudge carries the session of the week
/// the nudge goes out in, that is the latest session whose week has begun. Weeks count from the intro (week 1 is the
/// intro's own week), so every pair of a program walks the same agenda at its own pace. Pure.
/// </summary>
public static class SessionAgendas
{
    public const int MaxSessions = 12;
    public const int MinPrompts = 2;
    public const int MaxPrompts = 4;
    public const int MaxWeek = 104;
    public const int MaxTitleLength = 120;
    public const int MaxPromptLength = 300;
    public const int MaxActivityLength = 500;

    /// <summary>The program's own agenda, or the built-in one for its kind and shape when it defines none.</summary>
    public static IReadOnlyList<AgendaSession> For(MentoringProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return program.Agendas ?? DefaultAgendas.For(program);
    }

    /// <summary>Whether the sessions are the built-in ones (the program left <c>agendas</c> out).</summary>
    public static bool IsBuiltIn(MentoringProgram program) => program?.Agendas is null;

    /// <summary>The session the intro carries: the first one, or none when the program switched agendas off (an empty list).</summary>
    public static AgendaSession? First(MentoringProgram program)
    {
        var sessions = For(program);
        return sessions.Count == 0 ? null : sessions[0];
    }

    /// <summary>The session for a pair introduced at <paramref name="introducedAt"/> whose next meeting comes after <paramref name="at"/>.</summary>
    public static AgendaSession? Next(MentoringProgram program, DateTimeOffset introducedAt, DateTimeOffset at)
    {
        var sessions = For(program);
        if (sessions.Count == 0)
        {
            return null;
        }
        var week = WeekOf(introducedAt, at);
        return sessions.LastOrDefault(s => s.Week <= week) ?? sessions[0];
    }

    /// <summary>Week 1 is the seven days from the intro, week 2 the next seven, and so on.</summary>
    public static int WeekOf(DateTimeOffset introducedAt, DateTimeOffset at) =>
        at <= introducedAt ? 1 : (int)Math.Min(MaxWeek + 1, Math.Floor((at - introducedAt).TotalDays / 7) + 1);

    /// <summary>The prompts one member sees: their role's prompts when the session has them, otherwise the shared ones.</summary>
    public static IReadOnlyList<string> PromptsFor(AgendaSession session, string? role)
    {
        ArgumentNullException.ThrowIfNull(session);
        return role switch
        {
            BuiltInQuestions.RoleOptions.Mentor when session.MentorPrompts is { Count: > 0 } mentor => mentor,
            BuiltInQuestions.RoleOptions.Mentee when session.MenteePrompts is { Count: > 0 } mentee => mentee,
            _ => session.Prompts,
        };
    }
}
