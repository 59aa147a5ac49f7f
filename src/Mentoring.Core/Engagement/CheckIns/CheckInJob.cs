using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Mail.Templates;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;

namespace Mentoring.Core.Engagement.CheckIns;

/// <summary>
/// The "CheckIns" timer. For every program and every active, introduced match it enqueues each member's nudge for the
/// open round (only the latest: after downtime nobody gets a backlog), skipping people who take no mail now (a paused
/// person gets the open round once the pause ends). It flags matches whose last AtRiskAfterRounds complete rounds
/// brought no "we met" (and clears the flag when one arrives), enqueues one at-risk digest per program per day for the
/// newly flagged, and re-enqueues need-help alerts (idempotent: the answer's own desk enqueued them first).
/// It never sends mail; running it twice at one instant enqueues nothing new.
/// </summary>
public sealed class CheckInJob(IDocumentStore store, ProgramCatalog programs, IWorkQueue queue, Summaries.ProgramSummaryJob? summaries = null) : IScheduledJob
{
    public const string JobName = "CheckIns";

    /// <summary>Need-help answers younger than this are re-enqueued (the queue dedupes), in case the desk's enqueue was lost.</summary>
    public static readonly TimeSpan NeedHelpSweep = TimeSpan.FromDays(7);

    public string Name => JobName;

    public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        foreach (var programId in await programs.ListIdsAsync(cancellationToken))
        {
            var program = (await store.ReadAsync<MentoringProgram>(ProgramCatalog.KeyOf(programId), cancellationToken))?.Value;
            if (program is not null)
            {
                await RunAsync(program, now, cancellationToken);
            }
        }
    }

    /// <summary>One program's check-ins at <paramref name="now"/>.</summary>
    public async Task RunAsync(MentoringProgram program, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(program);
        var matches = await store.QueryAllAsync<PublishedMatch>(program.Id, WindowDocuments.MatchKind, cancellationToken);
        var records = (await store.QueryAllAsync<CheckInRecord>(program.Id, EngagementDocuments.CheckInKind, cancellationToken))
            .Select(r => r.Value).ToLookup(r => r.MatchId, StringComparer.Ordinal);
        var participants = new Dictionary<string, Participant?>(StringComparer.Ordinal);

        foreach (var match in matches.Select(m => m.Value).Where(m => m.Status == MatchStatus.Active && m.IntroducedAt is not null))
        {
            var schedule = CheckInSchedule.For(program.Engagement, match.IntroducedAt!.Value);
            if (schedule.OpenRound(now) is { } round)
            {
                foreach (var member in match.Members)
                {
                    if (!participants.TryGetValue(member.ParticipantId, out var participant))
                    {
                        participant = (await store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(program.Id, member.ParticipantId), cancellationToken))?.Value;
                        participants[member.ParticipantId] = participant;
                    }
                    if (participant?.AcceptsEngagementMail(now) != true)
                    {
                        continue; // nothing now; a paused person gets the open round when the pause ends
                    }
                    var dueAt = schedule.DueAt(round);
                    await queue.EnqueueAsync(new WorkItem
                    {
                        IdempotencyKey = CheckInMail.NudgeKey(program.Id, match.Id, member.ParticipantId, dueAt),
                        Purpose = WorkPurposes.CheckInNudge,
                        ProgramId = program.Id,
                        ParticipantId = member.ParticipantId,
                        MatchId = match.Id,
                        DueAt = dueAt,
                        Data = new Dictionary<string, string>(StringComparer.Ordinal) { [CheckInHandler.RoundData] = round.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    }, cancellationToken);
                }
            }

            var atRisk = IsAtRisk(program.Engagement, schedule, records[match.Id], now);
            if (atRisk != (match.AtRiskSince is not null))
            {
                await MatchDesk.UpdateMatchAsync(store, program.Id, match.Id, current =>
                    current.Status != MatchStatus.Active || (current.AtRiskSince is not null) == atRisk ? null
                    : current with { AtRiskSince = atRisk ? now : null }, cancellationToken);
            }
        }

        await DigestAsync(program, now, cancellationToken);
        await SweepNeedHelpAsync(program, records, now, cancellationToken);
        // The admins' periodic summary rides on this daily timer (both hosts), after the at-risk flags above are current.
        if (summaries is not null)
        {
            await summaries.RunAsync(program, now, cancellationToken);
        }
    }

    /// <summary>
    /// An admin's "send a nudge now" for one active match: the open round's nudge to each member who takes mail, again.
    /// Keyed per member, round and program-local day, so a double click or a second admin the same day sends one mail.
    /// Null when no round is open (before the first one is due, or after the last one closed): there is nothing to answer.
    /// </summary>
    public async Task<int?> NudgeNowAsync(string programId, string matchId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var program = (await programs.GetAsync(programId, cancellationToken)).Value;
        var match = (await store.ReadAsync<PublishedMatch>(CheckInDocuments.Match(programId, matchId), cancellationToken))?.Value
            ?? throw new Common.NotFoundException($"Match '{matchId}'");
        if (match is not { Status: MatchStatus.Active, IntroducedAt: { } introducedAt }
            || CheckInSchedule.For(program.Engagement, introducedAt).OpenRound(now) is not { } round)
        {
            return null;
        }
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, MailFormat.Zone(program.TimeZone)).DateTime);
        var queued = 0;
        foreach (var member in match.Members)
        {
            var participant = (await store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(programId, member.ParticipantId), cancellationToken))?.Value;
            if (participant?.AcceptsEngagementMail(now) != true)
            {
                continue;
            }
            await queue.EnqueueAsync(new WorkItem
            {
                IdempotencyKey = CheckInMail.NudgeNowKey(programId, match.Id, member.ParticipantId, round, day),
                Purpose = WorkPurposes.CheckInNudge,
                ProgramId = programId,
                ParticipantId = member.ParticipantId,
                MatchId = match.Id,
                DueAt = now,
                Data = new Dictionary<string, string>(StringComparer.Ordinal) { [CheckInHandler.RoundData] = round.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            }, cancellationToken);
            queued++;
        }
        return queued;
    }

    /// <summary>
    /// At risk: at least AtRiskAfterRounds rounds are complete, and neither the last that many complete rounds nor the
    /// open round brought a "we met" from anyone (so a "we met" in the open round clears the flag at once).
    /// </summary>
    public static bool IsAtRisk(EngagementPolicy policy, CheckInSchedule schedule, IEnumerable<CheckInRecord> records, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(records);
        var quietRounds = Math.Max(1, policy.AtRiskAfterRounds);
        var completed = schedule.CompletedRounds(now);
        if (completed < quietRounds)
        {
            return false;
        }
        var from = completed - quietRounds + 1;
        var to = schedule.OpenRound(now) ?? completed;
        return !records.Any(r => r.Answer == CheckInAnswer.Met && r.Round >= from && r.Round <= to);
    }

    /// <summary>
    /// One digest per program per (program-local) day for at-risk episodes no digest reported yet. The day's record is
    /// written first, then the digest enqueued (again on later runs: the queue dedupes), so a crash in between loses nothing;
    /// episodes flagged after today's digest went out wait for tomorrow's.
    /// </summary>
    private async Task DigestAsync(MentoringProgram program, DateTimeOffset now, CancellationToken ct)
    {
        var matches = (await store.QueryAllAsync<PublishedMatch>(program.Id, WindowDocuments.MatchKind, ct)).Select(m => m.Value)
            .Where(m => m.Status == MatchStatus.Active && m.AtRiskSince is not null).ToList();
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, MailFormat.Zone(program.TimeZone)).DateTime);
        var key = CheckInDocuments.AtRiskDigest(program.Id, day);
        var today = (await store.ReadAsync<AtRiskDigestRecord>(key, ct))?.Value;
        if (today is null)
        {
            if (matches.Count == 0)
            {
                return;
            }
            var reported = (await store.QueryAllAsync<AtRiskDigestRecord>(program.Id, CheckInDocuments.AtRiskDigestKind, ct))
                .SelectMany(r => r.Value.Entries).ToHashSet();
            var fresh = matches.Select(m => new AtRiskEntry(m.Id, m.AtRiskSince!.Value)).Where(e => !reported.Contains(e)).ToList();
            if (fresh.Count == 0)
            {
                return;
            }
            try
            {
                today = (await store.CreateAsync(key, new AtRiskDigestRecord(program.Id, day, fresh, now), ct)).Value;
            }
            catch (DocumentConflictException)
            {
                today = (await store.ReadAsync<AtRiskDigestRecord>(key, ct))?.Value;
                if (today is null)
                {
                    return;
                }
            }
        }
        await queue.EnqueueAsync(new WorkItem
        {
            IdempotencyKey = CheckInMail.DigestKey(program.Id, day),
            Purpose = WorkPurposes.AtRiskDigest,
            ProgramId = program.Id,
            DueAt = today.CreatedAt,
            Data = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [CheckInHandler.DayData] = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                [CheckInHandler.MatchesData] = string.Join(",", today.Entries.Select(e => e.MatchId)),
            },
        }, ct);
    }

    private async Task SweepNeedHelpAsync(MentoringProgram program, ILookup<string, CheckInRecord> records, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var record in records.SelectMany(g => g))
        {
            if (record.Answer == CheckInAnswer.NeedHelp && record.AnsweredAt is { } at && now - at <= NeedHelpSweep)
            {
                await queue.EnqueueAsync(CheckInHandler.NeedHelpItem(program.Id, record), ct);
            }
        }
    }
}
