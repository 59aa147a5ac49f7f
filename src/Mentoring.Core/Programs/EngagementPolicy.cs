namespace Mentoring.Core.Programs;

/// <summary>What happens after the intro: check-in cadence, when a pair counts as at risk, how long the program runs.</summary>
public sealed record EngagementPolicy
{
    /// <summary>Each member of an active pair gets a check-in nudge this often, counted from the intro.</summary>
    public int CheckInEveryDays { get; init; } = 14;

    /// <summary>A pair is at risk after this many check-in rounds in a row with only "not yet" or no answer.</summary>
    public int AtRiskAfterRounds { get; init; } = 2;

    /// <summary>Nudges stop this many days after the intro (the program's length).</summary>
    public int ProgramLengthDays { get; init; } = 90;

    /// <summary>Surveys sent to matched participants, counted from their intro.</summary>
    public IReadOnlyList<SurveyDefinition> Surveys { get; init; } = SurveyDefinition.Defaults;

    /// <summary>Show the participant's name next to a survey comment in the dashboard. Off by default: comments are anonymous.</summary>
    public bool NamedSurveyComments { get; init; }

    /// <summary>
    /// The admins' program summary mail goes out this often (7: weekly, each Monday in the program's time zone); 0 turns it off.
    /// </summary>
    public int SummaryEveryDays { get; init; } = 7;

    /// <summary>Keep sending the summary after a cohort program has ended (all its pairs ended). Off by default.</summary>
    public bool SummaryAfterEnd { get; init; }
}

public enum SurveyQuestionType
{
    SingleChoice,
    /// <summary>0-10: how likely are you to recommend this program to a colleague?</summary>
    Nps,
    FreeText,
}

public sealed record SurveyQuestion
{
    public required string Key { get; init; }
    public required string Text { get; init; }
    public required SurveyQuestionType Type { get; init; }
    public IReadOnlyList<string> Options { get; init; } = [];
    public bool Required { get; init; }
}

/// <summary>A survey: when it goes out, how often non-respondents are reminded, when it closes, what it asks.</summary>
public sealed record SurveyDefinition
{
    public required string Key { get; init; }
    public required string Title { get; init; }
    /// <summary>Sent this many days after the participant's intro.</summary>
    public required int SendAfterDays { get; init; }
    public int RemindEveryDays { get; init; } = 3;
    public int MaxReminders { get; init; } = 2;
    /// <summary>Responses are accepted until this many days after sending.</summary>
    public int OpenForDays { get; init; } = 14;
    public required IReadOnlyList<SurveyQuestion> Questions { get; init; }

    public const string Satisfaction = "satisfaction";
    public const string Recommend = "nps";
    public const string Comments = "comments";

    public static readonly IReadOnlyList<string> SatisfactionScale = ["Very positive", "Positive", "Neutral", "Negative", "Very negative"];

    private static IReadOnlyList<SurveyQuestion> StandardQuestions =>
    [
        new() { Key = Satisfaction, Text = "How would you rate your experience so far?", Type = SurveyQuestionType.SingleChoice, Options = SatisfactionScale, Required = true },
        new() { Key = Recommend, Text = "How likely are you to recommend this program to a colleague?", Type = SurveyQuestionType.Nps, Required = true },
        new() { Key = Comments, Text = "Anything you would like the organisers to know?", Type = SurveyQuestionType.FreeText },
    ];

    public static readonly IReadOnlyList<SurveyDefinition> Defaults =
    [
        new() { Key = "mid", Title = "Mid-program survey", SendAfterDays = 45, Questions = StandardQuestions },
        new() { Key = "end", Title = "End-of-program survey", SendAfterDays = 90, Questions = StandardQuestions },
    ];
}
