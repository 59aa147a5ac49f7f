using System.Globalization;
using Mentoring.Core.Dashboard;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Reports;
using Mentoring.Core.Mail;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;

namespace Mentoring.Core.Engagement.Summaries;

/// <summary>
/// Sends one period's summary to each admin of the program: the figures as they are now, what the period brought
/// (meetings, hours, newly at-risk pairs, need-help answers) and links to act. Each admin's mail is keyed by the work
/// item's key and the address, so a redelivered item sends nothing twice.
/// </summary>
public sealed class ProgramSummaryHandler(IDocumentStore store, ProgramReport reports, IMailer mailer, DashboardLinks? dashboard = null)
    : IWorkPurposeHandler
{
    public IReadOnlyCollection<string> Purposes { get; } = [WorkPurposes.ProgramSummary];

    public async Task HandleAsync(WorkItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var program = (await store.ReadAsync<MentoringProgram>(ProgramCatalog.KeyOf(item.ProgramId), cancellationToken))?.Value;
        if (program is null || !TryDay(item, ProgramSummaryJob.FromData, out var from) || !TryDay(item, ProgramSummaryJob.ToData, out var to))
        {
            return; // the program is gone, or the item is not one of ours: nothing to send, nothing to retry
        }
        var period = new SummaryPeriod(from, to);
        var report = await reports.BuildAsync(program.Id, cancellationToken);
        var matches = (await store.QueryAllAsync<PublishedMatch>(program.Id, WindowDocuments.MatchKind, cancellationToken)).Select(m => m.Value).ToList();
        var checkIns = (await store.QueryAllAsync<CheckInRecord>(program.Id, EngagementDocuments.CheckInKind, cancellationToken)).Select(r => r.Value).ToList();
        var byId = matches.ToDictionary(m => m.Id, StringComparer.Ordinal);

        var met = checkIns.Where(r => r.Answer == CheckInAnswer.Met && r.AnsweredAt is not null)
            .GroupBy(r => (r.MatchId, r.Round))
            .Where(g => period.Contains(g.Min(r => r.AnsweredAt!.Value), program.TimeZone))
            .ToList();
        var atRisk = matches.Where(m => m is { Status: MatchStatus.Active, AtRiskSince: { } since } && period.Contains(since, program.TimeZone))
            .OrderBy(m => m.AtRiskSince).ToList();
        var help = checkIns.Where(r => r is { Answer: CheckInAnswer.NeedHelp, AnsweredAt: { } at } && period.Contains(at, program.TimeZone) && byId.ContainsKey(r.MatchId))
            .OrderBy(r => r.AnsweredAt)
            .Select(r => new NeedHelpLine(byId[r.MatchId], r))
            .ToList();

        foreach (var admin in program.AdminEmails.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim()).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            await mailer.SendAsync(ProgramSummaryMail.Build(new ProgramSummaryInput
            {
                Program = program,
                Admin = new MailAddress(admin),
                Period = period,
                Report = report,
                MeetingsInPeriod = met.Count,
                HoursInPeriod = met.Sum(g => g.Max(r => r.Minutes ?? 0)) / 60.0,
                NewAtRisk = atRisk,
                NeedHelp = help,
                IdempotencyKey = CheckInMail.AdminKey(item.IdempotencyKey, admin),
                Dashboard = dashboard?.For(program.Id, admin),
                AtRiskPage = dashboard?.For(program.Id, admin, DashboardLinks.Pages.AtRisk),
                PairsPage = dashboard?.For(program.Id, admin, DashboardLinks.Pages.Pairs),
            }), cancellationToken);
        }
    }

    private static bool TryDay(WorkItem item, string key, out DateOnly day) =>
        DateOnly.TryParseExact(item.Data.GetValueOrDefault(key), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}

/// <summary>A need-help answer in the period, with its match.</summary>
public sealed record NeedHelpLine(PublishedMatch Match, CheckInRecord Answer);

public sealed record ProgramSummaryInput
{
    public required MentoringProgram Program { get; init; }
    public required MailAddress Admin { get; init; }
    public required SummaryPeriod Period { get; init; }
    public required ProgramReportData Report { get; init; }
    public required int MeetingsInPeriod { get; init; }
    public required double HoursInPeriod { get; init; }
    public required IReadOnlyList<PublishedMatch> NewAtRisk { get; init; }
    public required IReadOnlyList<NeedHelpLine> NeedHelp { get; init; }
    public required string IdempotencyKey { get; init; }
    public Uri? Dashboard { get; init; }
    public Uri? AtRiskPage { get; init; }
    public Uri? PairsPage { get; init; }
}
