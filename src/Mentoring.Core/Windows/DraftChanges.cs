using Mentoring.Core.Matching;

namespace Mentoring.Core.Windows;

/// <summary>One match of a draft as a set of people: a pair, a trio or a group.</summary>
public sealed record DraftUnit(IReadOnlyList<DraftMember> Members, int Score)
{
    public string Key => string.Join("|", Members.Select(m => m.Id).Order(StringComparer.Ordinal));

    public string Names => Members.Count == 2
        ? $"{Members[0].Name} & {Members[1].Name}"
        : string.Join(", ", Members.Take(Members.Count - 1).Select(m => m.Name)) + " & " + Members[^1].Name;

    public static IReadOnlyList<DraftUnit> Of(PairDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return [.. draft.Pairs.Select(p => new DraftUnit([p.A, p.B], p.Score)),
            .. draft.Trios.Concat(draft.Groups).Select(g => new DraftUnit(g.Members, g.Score))];
    }
}

/// <summary>
/// What changed from one draft version to the next: the decision that caused it (who, what, why, which pair), the
/// matches that went and came, and who moved onto or off the waitlist. Shown in the dashboard and the draft mail.
/// </summary>
public sealed record DraftChanges(
    int FromVersion,
    int ToVersion,
    DecisionRecord? Cause,
    string? CausePair,
    IReadOnlyList<DraftUnit> Removed,
    IReadOnlyList<DraftUnit> Added,
    IReadOnlyList<DraftMember> NowWaitlisted,
    IReadOnlyList<DraftMember> NoLongerWaitlisted)
{
    public bool Nothing => Removed.Count == 0 && Added.Count == 0 && NowWaitlisted.Count == 0 && NoLongerWaitlisted.Count == 0;

    public static DraftChanges Between(StoredDraft previous, StoredDraft current, WindowState? state)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var before = DraftUnit.Of(previous.Draft);
        var after = DraftUnit.Of(current.Draft);
        var beforeKeys = before.Select(u => u.Key).ToHashSet(StringComparer.Ordinal);
        var afterKeys = after.Select(u => u.Key).ToHashSet(StringComparer.Ordinal);
        var waitBefore = previous.Draft.Waitlist.Select(w => w.Person).ToList();
        var waitAfter = current.Draft.Waitlist.Select(w => w.Person).ToList();
        var cause = state?.DecisionOn(previous.Version);
        string? causePair = null;
        if (cause?.Pair is { } pair)
        {
            var people = before.SelectMany(u => u.Members).Concat(waitBefore).DistinctBy(m => m.Id).ToDictionary(m => m.Id, m => m.Name, StringComparer.Ordinal);
            causePair = $"{people.GetValueOrDefault(pair.A, pair.A)} & {people.GetValueOrDefault(pair.B, pair.B)}";
        }
        return new DraftChanges(previous.Version, current.Version, cause, causePair,
            [.. before.Where(u => !afterKeys.Contains(u.Key))],
            [.. after.Where(u => !beforeKeys.Contains(u.Key))],
            [.. waitAfter.Where(p => waitBefore.All(b => b.Id != p.Id))],
            [.. waitBefore.Where(p => waitAfter.All(a => a.Id != p.Id))]);
    }
}
