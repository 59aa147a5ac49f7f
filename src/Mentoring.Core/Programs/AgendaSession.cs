namespace Mentoring.Core.Programs;

/// <summary>
/// One session of a program's agenda: what a pair (or group) talks about when they meet in or after <see cref="Week"/>.
/// Prompts are the program team's own words, sent as written: they are plain text, never templates, so they cannot pull
/// anyone's answers into a mail.
/// </summary>
public sealed record AgendaSession
{
    /// <summary>The week of the program (1 = the intro week) from which this session is the pair's next one.</summary>
    public required int Week { get; init; }
    public required string Title { get; init; }
    /// <summary>Two to four ice breakers or discussion questions for everyone in the pair or group.</summary>
    public IReadOnlyList<string> Prompts { get; init; } = [];
    /// <summary>Roles programs: the mentor's prompts for this session, instead of <see cref="Prompts"/>.</summary>
    public IReadOnlyList<string>? MentorPrompts { get; init; }
    /// <summary>Roles programs: the mentee's prompts for this session, instead of <see cref="Prompts"/>.</summary>
    public IReadOnlyList<string>? MenteePrompts { get; init; }
    /// <summary>Something to do together, optional.</summary>
    public string? Activity { get; init; }
}
