using Mentoring.Core.Matching;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Choosing;

/// <summary>
/// One suggested partner as a chooser sees them: name, the answers the program allows to be shown, and the shared
/// reasons. Never an email address, and free-text answers only when the program lists them in choosing.shownAnswers.
/// </summary>
public sealed record SuggestedPartner(string ParticipantId, string Name, IReadOnlyList<string> Details, int Score, IReadOnlyList<string> Reasons)
{
    /// <summary>Roles programs: "mentor" when this person would mentor the chooser, "mentee" when the chooser would mentor them. Null for peers.</summary>
    public string? Role { get; init; }
}

/// <summary>A person's suggestions for one user-led window, taken when the invitations went out.</summary>
public sealed record ChoiceSheet(string ProgramId, string WindowId, string ParticipantId, string Name, DateTimeOffset EndsAt,
    IReadOnlyList<SuggestedPartner> Suggestions)
{
    public const string Kind = "choice-sheet";

    public static DocumentKey KeyOf(string programId, string windowId, string participantId) => new(programId, Kind, $"{windowId}:{participantId}");

    /// <summary>Suggestions kept beyond the ones shown, so the page still has some when people fill up.</summary>
    public const int Spare = 10;

    public static SuggestedPartner Describe(MentoringProgram program, Participant partner, PartnerSuggestion suggestion)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(partner);
        ArgumentNullException.ThrowIfNull(suggestion);
        var shown = program.Choosing.ShownAnswerKeys(program.Questionnaire);
        var details = new List<string>();
        foreach (var key in shown)
        {
            var question = program.Questionnaire.Find(key);
            var answer = partner.Answer(key).Where(a => !string.IsNullOrWhiteSpace(a)).ToList();
            if (question is { Type: not QuestionType.Email } && answer.Count > 0)
            {
                details.Add((question.Label ?? key) + ": " + string.Join(", ", answer));
            }
        }
        var reasons = suggestion.Criteria
            .Where(c => c.Points > 0 && !string.IsNullOrWhiteSpace(c.Phrase) && Showable(program, c.Key, shown))
            .OrderByDescending(c => c.Points).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => c.Label + ": " + c.Phrase)
            .Distinct(StringComparer.Ordinal)
            .Take(3)
            .ToList();
        return new SuggestedPartner(partner.Id, partner.Name, details, suggestion.Score, reasons) { Role = suggestion.PartnerRole };
    }

    /// <summary>A reason may quote answers: those of free-text and email questions only when the program allows it.</summary>
    private static bool Showable(MentoringProgram program, string criterionKey, IReadOnlyList<string> shown)
    {
        var question = program.Questionnaire.Find(criterionKey);
        return question is null
            || question.Type switch
            {
                QuestionType.Email => false,
                QuestionType.FreeText => shown.Contains(criterionKey, StringComparer.Ordinal),
                _ => true,
            };
    }
}
