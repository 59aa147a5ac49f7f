namespace Mentoring.Core.Matching.Scoring;

/// <summary>What a criterion measures; <see cref="Preference"/> is the built-in stated-preferences bonus.</summary>
public enum CriterionKind
{
    Similar,
    Different,
    Complementary,
    Overlap,
    Preference,
}

/// <summary>The points one criterion gave one pair, out of <see cref="MaxPoints"/>, and the words behind them (null when it scored nothing).</summary>
public sealed record CriterionPoints(string Key, string Label, CriterionKind Kind, int Points, int MaxPoints, string? Phrase);

/// <summary>A pair's score broken down per criterion, with the sentence an admin reads.</summary>
public sealed record PairExplanation(int Score, IReadOnlyList<CriterionPoints> Criteria, string Sentence);

/// <summary>Tunable constants of the scorer. The defaults are what the draft documents.</summary>
public sealed record ScoringOptions
{
    /// <summary>Points for each stated preference the partner satisfies (each person's preferences count separately),
    /// unless the program gives the <c>preferences</c> question a weight of its own.</summary>
    public int PreferencePoints { get; init; } = 2;

    /// <summary>Time-zone closeness falls linearly from full weight at 0 h to 0 at this many minutes apart.</summary>
    public int TimeZoneZeroMinutes { get; init; } = 8 * 60;

    /// <summary>"same-time-zone" counts as satisfied when the current offsets are at most this far apart.</summary>
    public int SameTimeZoneToleranceMinutes { get; init; } = 60;

    /// <summary>"similar-level" counts as satisfied when ordinal levels are at most this many steps apart (free-text levels must be equal).</summary>
    public int SimilarLevelMaxSteps { get; init; } = 1;
}
