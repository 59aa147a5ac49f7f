using System.Globalization;
using Mentoring.Core.Common;
using Mentoring.Core.Dashboard;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Links;
using Mentoring.Core.Mail;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;

namespace Mentoring.Core.Engagement.CheckIns;

/// <summary>
/// Sends what the check-in job (and the participant desk) enqueued: nudges, at-risk digests, need-help alerts. Each send
/// re-checks at send time (the participant still takes mail, the address is not suppressed, the match is active and the
/// round still open) and uses the work item's key as the mail's idempotency key, so redeliveries send nothing twice.
/// </summary>
public sealed class CheckInHandler(IDocumentStore store, IMailer mailer, ParticipantLinks links, TimeProvider clock, DashboardLinks? dashboard = null)
    : IWorkPurposeHandler
{
    public const string RoundData = "round";
    public const string DayData = "day";
    public const string MatchesData = "matches";
    public const string AnsweredAtData = "answeredAt";

    public IReadOnlyCollection<string> Purposes { get; } = [WorkPurposes.CheckInNudge, WorkPurposes.AtRiskDigest, WorkPurposes.NeedHelpAlert];

    public Task HandleAsync(WorkItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Purpose switch
        {
            WorkPurposes.CheckInNudge => NudgeAsync(item, cancellationToken),
            WorkPurposes.AtRiskDigest => DigestAsync(item, cancellationToken),
            WorkPurposes.NeedHelpAlert => NeedHelpAsync(item, cancellationToken),
            _ => throw new InvalidOperationException($"{nameof(CheckInHandler)} does not handle '{item.Purpose}'."),
        };
    }

    /// <summary>The need-help alert of one answer (its key names the answer, so answering "need help" again later alerts again).</summary>
    public static WorkItem NeedHelpItem(string programId, CheckInRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var answeredAt = record.AnsweredAt ?? throw new ArgumentException("The check-in has no answer.", nameof(record));
        return new WorkItem
        {
            IdempotencyKey = CheckInMail.NeedHelpKey(programId, record.MatchId, record.Round, record.ParticipantId, answeredAt),
            Purpose = WorkPurposes.NeedHelpAlert,
            ProgramId = programId,
            ParticipantId = record.ParticipantId,
            MatchId = record.MatchId,
            DueAt = answeredAt,
            Data = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [RoundData] = record.Round.ToString(CultureInfo.InvariantCulture),
                [AnsweredAtData] = answeredAt.ToString("O", CultureInfo.InvariantCulture),
            },
        };
    }

    /// <summary>Whether mail may go to this address at all (no suppression: bounce, spam report, provider unsubscribe, erasure).</summary>
    public static async Task<bool> IsSuppressedAsync(IDocumentStore store, string email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        // The same digest the SendGrid webhook keys suppressions by: SHA-256 of the normalised address.
        return await store.ReadAsync<Suppression>(EngagementDocuments.Suppression(EmailAddress.Digest(email)), cancellationToken) is not null;
    }

    private async Task NudgeAsync(WorkItem item, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (item.ParticipantId is not { } participantId || item.MatchId is not { } matchId
            || !item.Data.TryGetValue(RoundData, out var roundText) || !int.TryParse(roundText, CultureInfo.InvariantCulture, out var round))
        {
            throw new InvalidOperationException($"Check-in work item '{item.IdempotencyKey}' lacks its participant, match or round.");
        }
        var program = (await store.ReadAsync<MentoringProgram>(ProgramCatalog.KeyOf(item.ProgramId), ct))?.Value;
        var participant = (await store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(item.ProgramId, participantId), ct))?.Value;
        var match = (await store.ReadAsync<PublishedMatch>(CheckInDocuments.Match(item.ProgramId, matchId), ct))?.Value;
        if (program is null || participant is null || match is not { Status: MatchStatus.Active, IntroducedAt: { } introducedAt }
            || !participant.AcceptsEngagementMail(now) || await IsSuppressedAsync(store, participant.Email, ct))
        {
            return; // nothing to send any more; done (not a failure to retry)
        }
        var schedule = CheckInSchedule.For(program.Engagement, introducedAt);
        var member = match.Members.FirstOrDefault(m => m.ParticipantId == participantId);
        if (member is null || !schedule.IsOpen(round, now))
        {
            return; // delivered after the round closed: the next round's nudge replaces it
        }

        var recordKey = EngagementDocuments.CheckIn(program.Id, matchId, round, participantId);
        if (await store.ReadAsync<CheckInRecord>(recordKey, ct) is null)
        {
            try
            {
                await store.CreateAsync(recordKey, new CheckInRecord
                {
                    ProgramId = program.Id,
                    MatchId = matchId,
                    ParticipantId = participantId,
                    Round = round,
                    DueAt = schedule.DueAt(round),
                }, ct);
            }
            catch (DocumentConflictException)
            {
                // answered (or recorded by a redelivery) in between: keep theirs
            }
        }

        var checkInLinks = links.CheckIn(program.Id, matchId, round, participantId, schedule.ClosesAt(round), now, program.Kind == ProgramKind.Evergreen);
        var to = member with { Email = participant.Email, Name = participant.Name };
        await mailer.SendAsync(CheckInMail.Nudge(new CheckInNudgeInput(program, match, to, round, schedule, checkInLinks, item.IdempotencyKey) { Role = to.Role }), ct);
    }

    private async Task DigestAsync(WorkItem item, CancellationToken ct)
    {
        var program = (await store.ReadAsync<MentoringProgram>(ProgramCatalog.KeyOf(item.ProgramId), ct))?.Value;
        if (program is null || !item.Data.TryGetValue(DayData, out var dayText)
            || !DateOnly.TryParseExact(dayText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return;
        }
        // The day's record is the truth (the item's list is a copy for people reading the queue).
        var record = (await store.ReadAsync<AtRiskDigestRecord>(CheckInDocuments.AtRiskDigest(program.Id, day), ct))?.Value;
        var matchIds = record?.Entries.Select(e => e.MatchId).ToList()
            ?? [.. (item.Data.GetValueOrDefault(MatchesData) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)];
        var matches = (await store.QueryAllAsync<PublishedMatch>(program.Id, WindowDocuments.MatchKind, ct)).Select(m => m.Value).ToList();
        var checkIns = (await store.QueryAllAsync<CheckInRecord>(program.Id, EngagementDocuments.CheckInKind, ct))
            .Select(r => r.Value).ToLookup(r => r.MatchId, StringComparer.Ordinal);
        var lines = matchIds
            .Select(id => matches.FirstOrDefault(m => m.Id == id))
            .Where(m => m is { Status: MatchStatus.Active, AtRiskSince: not null })
            .Select(m => new AtRiskDigestLine(m!, CheckInTally.Of(checkIns[m!.Id]), program.Engagement.AtRiskAfterRounds))
            .ToList();
        if (lines.Count == 0)
        {
            return; // every one of them met (or ended) before the digest went out
        }
        var total = matches.Count(m => m is { Status: MatchStatus.Active, AtRiskSince: not null });
        foreach (var admin in program.AdminEmails.Where(a => !string.IsNullOrWhiteSpace(a)))
        {
            await mailer.SendAsync(CheckInMail.AtRiskDigest(program, new MailAddress(admin.Trim()), day, lines, total, item.IdempotencyKey,
                dashboard?.For(program.Id, admin.Trim())), ct);
        }
    }

    private async Task NeedHelpAsync(WorkItem item, CancellationToken ct)
    {
        var program = (await store.ReadAsync<MentoringProgram>(ProgramCatalog.KeyOf(item.ProgramId), ct))?.Value;
        var match = item.MatchId is { } matchId ? (await store.ReadAsync<PublishedMatch>(CheckInDocuments.Match(item.ProgramId, matchId), ct))?.Value : null;
        if (program is null || match is null || item.ParticipantId is null)
        {
            return;
        }
        var round = int.TryParse(item.Data.GetValueOrDefault(RoundData), CultureInfo.InvariantCulture, out var r) ? r : 0;
        var answeredAt = DateTimeOffset.TryParse(item.Data.GetValueOrDefault(AnsweredAtData), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at : item.DueAt;
        var note = (await store.ReadAsync<CheckInRecord>(EngagementDocuments.CheckIn(item.ProgramId, match.Id, round, item.ParticipantId), ct))?.Value.Note;
        foreach (var admin in program.AdminEmails.Where(a => !string.IsNullOrWhiteSpace(a)))
        {
            await mailer.SendAsync(CheckInMail.NeedHelp(program, new MailAddress(admin.Trim()), match, item.ParticipantId, round, answeredAt, item.IdempotencyKey,
                note, dashboard?.For(program.Id, admin.Trim())), ct);
        }
    }
}
