namespace Mentoring.Core.Programs;

/// <summary>Who forms the pairs: the engine with admins approving (the default), or the participants themselves.</summary>
public enum PairingMode
{
    AdminLed,
    /// <summary>Participants pick from their top suggestions; the engine pairs whoever is left at the deadline.</summary>
    UserLed,
}

/// <summary>User-led pairing: how many suggestions people see, how many they may pick, and for how long.</summary>
public sealed record ChoosingPolicy
{
    public PairingMode Mode { get; init; } = PairingMode.AdminLed;
    /// <summary>Suggested partners on each person's page, best first.</summary>
    public int Suggestions { get; init; } = 5;
    /// <summary>How many of them a person may pick, in order.</summary>
    public int MaxPicks { get; init; } = 3;
    /// <summary>From the window's close until the engine pairs whoever is left.</summary>
    public int ChoosingDays { get; init; } = 7;
    /// <summary>Publish the resulting draft without waiting for an admin; admins get a summary instead.</summary>
    public bool AutoApprove { get; init; }
    /// <summary>
    /// Question keys whose answers a suggestion shows besides the name and the shared reasons. Null: department and level
    /// when the program asks them. Free-text answers are shown only when listed here; email answers never.
    /// </summary>
    public IReadOnlyList<string>? ShownAnswers { get; init; }

    public IReadOnlyList<string> ShownAnswerKeys(Questionnaires.Questionnaire questionnaire)
    {
        ArgumentNullException.ThrowIfNull(questionnaire);
        return ShownAnswers ?? [.. new[] { Questionnaires.BuiltInQuestions.Department, Questionnaires.BuiltInQuestions.Level }
            .Where(k => questionnaire.Find(k) is { Type: not Questionnaires.QuestionType.FreeText })];
    }

    public const int MaxSuggestions = 20;
    public const int MaxPicksAllowed = 10;
    public const int MaxChoosingDays = 60;
}
