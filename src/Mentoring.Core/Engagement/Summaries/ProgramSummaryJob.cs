using System.Globalization;
using Mentoring.Core.Engagement.Reports;
using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;

namespace Mentoring.Core.Engagement.Summaries;

/// <summary>
/// The stretch of program-local days one summary covers: [<see cref="From"/>, <see cref="To"/>). Periods are counted in
/// steps of SummaryEveryDays from Monday 1 January 2024, so a weekly summary covers Monday to Sunday and goes out on the
/// Monday after (on the first timer run that day, or the first one after downtime).
/// </summary>
public sealed record SummaryPeriod(DateOnly From, DateOnly To)
{
    private static readonly DateOnly Epoch = new(2024, 1, 1);

    /// <summary>The period that ended most recently before <paramref name="now"/>'s local day; null when summaries are off.</summary>
    public static SummaryPeriod? EndedBefore(DateTimeOffset now, MentoringProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var every = program.Engagement.SummaryEveryDays;
        if (every < 1)
        {
            return null;
        }
        var today = LocalDay(now, program.TimeZone);
        var start = Epoch.AddDays((int)Math.Floor((today.DayNumber - Epoch.DayNumber) / (double)every) * every);
        return new SummaryPeriod(start.AddDays(-every), start);
    }

    public static DateOnly LocalDay(DateTimeOffset at, string? timeZone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, MailFormat.Zone(timeZone)).DateTime);

    /// <summary>Whether <paramref name="at"/> falls in this period, in the program's time zone.</summary>
    public bool Contains(DateTimeOffset at, string? timeZone) => LocalDay(at, timeZone) is var day && day >= From && day < To;

    public string Key(string programId) => string.Create(CultureInfo.InvariantCulture, $"program-summary:{programId}:{From:yyyy-MM-dd}");
}

/// <summary>
/// Run by the daily CheckIns timer (both hosts), per program: enqueues the admins' summary of the period that just ended,
/// once (the queue dedupes the period's key, and each admin's mail has its own key). Nothing for a program created after
/// that period, with summaries off, or for a cohort program whose pairs had all ended before the period began (unless
/// SummaryAfterEnd), so the period in which a cohort ends still gets its summary.
/// </summary>
public sealed class ProgramSummaryJob(IDocumentStore store, IWorkQueue queue)
{
    public const string FromData = "from";
    public const string ToData = "to";

    public async Task RunAsync(MentoringProgram program, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (SummaryPeriod.EndedBefore(now, program) is not { } period
            || (program.CreatedAt != default && SummaryPeriod.LocalDay(program.CreatedAt, program.TimeZone) >= period.To))
        {
            return;
        }
        if (program.Kind == ProgramKind.Cohort && !program.Engagement.SummaryAfterEnd)
        {
            var matches = (await store.QueryAllAsync<PublishedMatch>(program.Id, WindowDocuments.MatchKind, cancellationToken)).Select(m => m.Value).ToList();
            if (matches.Count > 0 && matches.All(m => m.Status == MatchStatus.Ended
                && m.EndedAt is { } ended && SummaryPeriod.LocalDay(ended, program.TimeZone) < period.From))
            {
                return; // ended before this period: nothing left to report
            }
        }
        await queue.EnqueueAsync(new WorkItem
        {
            IdempotencyKey = period.Key(program.Id),
            Purpose = WorkPurposes.ProgramSummary,
            ProgramId = program.Id,
            DueAt = now,
            Data = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [FromData] = period.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                [ToData] = period.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            },
        }, cancellationToken);
    }
}
