using Mentoring.Core.Persistence;

namespace Mentoring.Core.Engagement.CheckIns;

/// <summary>Documents the check-in job writes besides check-in records.</summary>
public static class CheckInDocuments
{
    public const string AtRiskDigestKind = "atRiskDigest";

    /// <summary>The at-risk digest of one program-local day: which at-risk episodes it reported.</summary>
    public static DocumentKey AtRiskDigest(string programId, DateOnly day) =>
        new(programId, AtRiskDigestKind, day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    public static DocumentKey Match(string programId, string matchId) => new(programId, Windows.WindowDocuments.MatchKind, matchId);
}

/// <summary>One at-risk episode: the match and when it became at risk.</summary>
public sealed record AtRiskEntry(string MatchId, DateTimeOffset AtRiskSince);

/// <summary>What one day's at-risk digest lists (written before the digest is enqueued, read when it is sent).</summary>
public sealed record AtRiskDigestRecord(string ProgramId, DateOnly Day, IReadOnlyList<AtRiskEntry> Entries, DateTimeOffset CreatedAt);

/// <summary>What one match's check-ins add up to.</summary>
/// <param name="Meetings">Rounds in which someone answered "we met".</param>
/// <param name="Minutes">Per round the longest "we met" minutes (members report the same meeting), summed.</param>
/// <param name="LastAnswer">The most recent answer, if any.</param>
public sealed record CheckInTally(int Meetings, int Minutes, int Answers, int Nudges, CheckInRecord? LastAnswer)
{
    public static readonly CheckInTally Empty = new(0, 0, 0, 0, null);

    public double Hours => Minutes / 60.0;

    public static CheckInTally Of(IEnumerable<CheckInRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var list = records.ToList();
        var met = list.Where(r => r.Answer == CheckInAnswer.Met).GroupBy(r => r.Round).ToList();
        return new CheckInTally(
            met.Count,
            met.Sum(g => g.Max(r => r.Minutes ?? 0)),
            list.Count(r => r.Answer != CheckInAnswer.None),
            list.Count,
            list.Where(r => r.Answer != CheckInAnswer.None && r.AnsweredAt is not null).MaxBy(r => r.AnsweredAt));
    }
}
