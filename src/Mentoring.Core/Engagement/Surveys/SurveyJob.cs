using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;

namespace Mentoring.Core.Engagement.Surveys;

/// <summary>
/// The "SurveyReminders" timer: finds the survey invites and reminders due at <c>now</c> and enqueues them; it sends
/// nothing itself (<see cref="SurveyHandler"/> does). Running it twice at one instant enqueues nothing new.
/// </summary>
/// <remarks>
/// <para><b>Who gets surveys.</b> Every member of a published match that had its intro (<see cref="PublishedMatch.IntroducedAt"/>).
/// A person matched more than once (evergreen rematches) gets each survey once, timed from their first intro: a survey
/// record is per (survey, participant).</para>
/// <para><b>Ended matches.</b> Members of a match that ended still get every survey due at or before the end, and always the
/// program's final survey (the one sent last): feedback from pairs that stopped early matters most. Intermediate
/// surveys falling after the end are skipped.</para>
/// <para><b>Invites</b> are due at intro + <see cref="SurveyDefinition.SendAfterDays"/>. A run that comes late (downtime,
/// a pause that just ended) still enqueues the invite while the survey would be open (before due + OpenForDays);
/// people who do not accept engagement mail at <c>now</c> (withdrawn, unsubscribed, paused, erased) are not enqueued
/// and are considered again on the next run.</para>
/// <para><b>Reminders</b> go to non-respondents: reminder n is due <see cref="SurveyDefinition.RemindEveryDays"/> × n after the
/// invite was sent, and never sooner than RemindEveryDays after the previous reminder; at most
/// <see cref="SurveyDefinition.MaxReminders"/>, never at or after <see cref="SurveyRecord.ClosesAt"/>, never to respondents.</para>
/// </remarks>
public sealed class SurveyJob(ProgramCatalog catalog, IDocumentStore store, IWorkQueue queue) : IScheduledJob
{
    public const string JobName = "SurveyReminders";
    /// <summary>Work item data: the survey key.</summary>
    public const string SurveyData = "survey";
    /// <summary>Work item data (reminders): the reminder number, 1-based.</summary>
    public const string ReminderData = "reminder";

    public string Name => JobName;

    public static string InviteKey(string programId, string surveyKey, string participantId) =>
        $"survey:{programId}:{surveyKey}:{participantId}:invite";

    public static string ReminderKey(string programId, string surveyKey, string participantId, int number) =>
        $"survey:{programId}:{surveyKey}:{participantId}:r{number}";

    public async Task RunAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        foreach (var programId in await catalog.ListIdsAsync(cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var program = (await store.ReadAsync<MentoringProgram>(ProgramCatalog.KeyOf(programId), cancellationToken))?.Value;
            if (program is null || program.Engagement.Surveys.Count == 0)
            {
                continue;
            }
            await RunProgramAsync(program, now, cancellationToken);
        }
    }

    private async Task RunProgramAsync(MentoringProgram program, DateTimeOffset now, CancellationToken ct)
    {
        var matches = await store.QueryAllAsync<PublishedMatch>(program.Id, Windows.WindowDocuments.MatchKind, ct);
        var records = (await store.QueryAllAsync<SurveyRecord>(program.Id, EngagementDocuments.SurveyKind, ct))
            .Select(r => r.Value)
            .ToDictionary(r => (r.SurveyKey, r.ParticipantId));
        var surveys = program.Engagement.Surveys;
        var final = surveys.MaxBy(s => s.SendAfterDays)!;
        var participants = new Dictionary<string, Participant?>(StringComparer.Ordinal);

        async Task<bool> AcceptsAsync(string participantId)
        {
            if (!participants.TryGetValue(participantId, out var participant))
            {
                participant = (await store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(program.Id, participantId), ct))?.Value;
                participants[participantId] = participant;
            }
            return participant is not null && participant.AcceptsEngagementMail(now);
        }

        foreach (var (participantId, match) in FirstIntroductions(matches.Select(m => m.Value)))
        {
            foreach (var survey in surveys)
            {
                if (records.TryGetValue((survey.Key, participantId), out var record))
                {
                    if (NextReminder(survey, record, now) is { } reminder && await AcceptsAsync(participantId))
                    {
                        await queue.EnqueueAsync(new WorkItem
                        {
                            IdempotencyKey = ReminderKey(program.Id, survey.Key, participantId, reminder.Number),
                            Purpose = WorkPurposes.SurveyReminder,
                            ProgramId = program.Id,
                            ParticipantId = participantId,
                            MatchId = record.MatchId ?? match.Id,
                            DueAt = reminder.DueAt,
                            Data = new Dictionary<string, string>(StringComparer.Ordinal)
                            {
                                [SurveyData] = survey.Key,
                                [ReminderData] = reminder.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                            },
                        }, ct);
                    }
                    continue;
                }
                if (InviteDue(survey, match, survey == final, now) is { } due && await AcceptsAsync(participantId))
                {
                    await queue.EnqueueAsync(new WorkItem
                    {
                        IdempotencyKey = InviteKey(program.Id, survey.Key, participantId),
                        Purpose = WorkPurposes.SurveyInvite,
                        ProgramId = program.Id,
                        ParticipantId = participantId,
                        MatchId = match.Id,
                        DueAt = due,
                        Data = new Dictionary<string, string>(StringComparer.Ordinal) { [SurveyData] = survey.Key },
                    }, ct);
                }
            }
        }
    }

    /// <summary>Each matched participant with the match of their first intro (earliest intro; ties by match id).</summary>
    public static IEnumerable<(string ParticipantId, PublishedMatch Match)> FirstIntroductions(IEnumerable<PublishedMatch> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var first = new Dictionary<string, PublishedMatch>(StringComparer.Ordinal);
        foreach (var match in matches.Where(m => m.IntroducedAt is not null)
                     .OrderBy(m => m.IntroducedAt).ThenBy(m => m.Id, StringComparer.Ordinal))
        {
            foreach (var member in match.Members)
            {
                first.TryAdd(member.ParticipantId, match);
            }
        }
        return first.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value));
    }

    /// <summary>When the invite is due, if it should be enqueued at <paramref name="now"/>; null when not (yet, or any more).</summary>
    public static DateTimeOffset? InviteDue(SurveyDefinition survey, PublishedMatch match, bool isFinalSurvey, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(survey);
        ArgumentNullException.ThrowIfNull(match);
        if (match.IntroducedAt is not { } introducedAt)
        {
            return null;
        }
        var due = introducedAt.AddDays(survey.SendAfterDays);
        if (now < due || now >= due.AddDays(survey.OpenForDays))
        {
            return null;
        }
        var ended = match.Status == MatchStatus.Ended ? match.EndedAt ?? introducedAt : (DateTimeOffset?)null;
        return ended is { } endedAt && due > endedAt && !isFinalSurvey ? null : due;
    }

    /// <summary>The next reminder of a record, if one should be enqueued at <paramref name="now"/>.</summary>
    public static (int Number, DateTimeOffset DueAt)? NextReminder(SurveyDefinition survey, SurveyRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(survey);
        ArgumentNullException.ThrowIfNull(record);
        if (record.RespondedAt is not null || survey.RemindEveryDays <= 0 || record.RemindersSent >= survey.MaxReminders || now >= record.ClosesAt)
        {
            return null;
        }
        var number = record.RemindersSent + 1;
        var onSchedule = record.SentAt.AddDays(survey.RemindEveryDays * number);
        var afterPrevious = (record.LastReminderAt ?? record.SentAt).AddDays(survey.RemindEveryDays);
        var due = onSchedule > afterPrevious ? onSchedule : afterPrevious;
        return now >= due && due < record.ClosesAt ? (number, due) : null;
    }
}
