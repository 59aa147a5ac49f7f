namespace Mentoring.Core.Questionnaires;

/// <summary>A program's questions. <see cref="Effective"/> adds the built-in questions the program did not redefine.</summary>
public sealed record Questionnaire
{
    public IReadOnlyList<Question> Questions { get; init; } = [];

    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<Question> Effective =>
        [.. Questions, .. BuiltInQuestions.Defaults.Where(d => !Questions.Any(q => q.Key == d.Key))];

    public Question? Find(string key) =>
        Questions.FirstOrDefault(q => q.Key == key) ?? BuiltInQuestions.Defaults.FirstOrDefault(q => q.Key == key);
}
