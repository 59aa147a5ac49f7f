namespace Mentoring.Contracts;

public enum SampleStage
{
    Draft,
    InReview,
    Published,
}

public sealed record SampleChild(string Label, int Weight);

/// <summary>A document shaped like the domain's: nested records, lists, dictionaries, enums, dates and nulls.</summary>
public sealed record SampleDocument(
    string Name,
    int Counter,
    SampleStage Stage,
    DateTimeOffset At,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, int> Scores,
    IReadOnlyList<SampleChild> Children,
    string? Note = null,
    SampleChild? Best = null,
    DateTimeOffset? ClosedAt = null,
    string? Group = null)
{
    public static SampleDocument Simple(string name, int counter = 0, string? group = null, SampleStage stage = SampleStage.Draft) =>
        new(name, counter, stage, new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero), [], new Dictionary<string, int>(), [], Group: group);
}
