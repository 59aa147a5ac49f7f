namespace Mentoring.Core.Questionnaires;

public enum QuestionType
{
    SingleChoice,
    MultiChoice,
    OrdinalScale,
    FreeText,
    Email,
    TimeZone,
}

/// <summary>How a question's answers influence matching.</summary>
public enum MatchingRole
{
    None,
    /// <summary>Closer answers score higher (ordinal scale position, same choice, nearby time zone).</summary>
    Similar,
    /// <summary>Differing answers score (cross-team networking).</summary>
    Different,
    /// <summary>What one offers (this question) meets what the other wants (<see cref="Question.ComplementKey"/>), both directions.</summary>
    Complementary,
    /// <summary>Jaccard overlap of multi-choice answers (goals, interests).</summary>
    Overlap,
}

/// <summary>One question of a program's registration questionnaire, addressed by its stable key.</summary>
public sealed record Question
{
    public required string Key { get; init; }
    public string? Label { get; init; }
    public required QuestionType Type { get; init; }
    public IReadOnlyList<string> Options { get; init; } = [];
    public bool Required { get; init; }
    /// <summary>Email questions only: accept a list of addresses (for example a do-not-match list).</summary>
    public bool Multiple { get; init; }
    public MatchingRole Role { get; init; } = MatchingRole.None;
    /// <summary>Integer points at stake for this criterion; integers keep the optimum exact.</summary>
    public int Weight { get; init; }
    /// <summary>Complementary questions only: the key of the "wants" question this "offers" question pairs with.</summary>
    public string? ComplementKey { get; init; }

    public bool IsMultiValued => Type == QuestionType.MultiChoice || (Type == QuestionType.Email && Multiple);
}
