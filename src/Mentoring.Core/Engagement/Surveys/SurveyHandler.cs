using System.Globalization;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Mail;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;

namespace Mentoring.Core.Engagement.Surveys;

/// <summary>
/// Sends survey invites and reminders. At send time it checks again that the person accepts engagement mail and that
/// their address is not suppressed; then it records the invite or reminder on the <see cref="SurveyRecord"/> (ETag-guarded)
/// and sends the mail with the work item's key as the mail's idempotency key, so a redelivery sends nothing twice.
/// </summary>
/// <remarks>
/// The invite creates the record (SentAt = now, ClosesAt = now + OpenForDays). A redelivered invite finds the record and
/// only re-sends (deduplicated by the mailer). A reminder counts itself on the record first, then sends; it is dropped
/// when the person responded, the survey closed, or the cap is reached. An item dropped at send time (paused,
/// unsubscribed, suppressed) is not retried: its key is spent. A later reminder may still go out if the pause ends
/// before the survey closes.
/// </remarks>
public sealed class SurveyHandler(IDocumentStore store, IMailer mailer, SurveyLinks links, ParticipantLinks participantLinks, TimeProvider clock)
    : IWorkPurposeHandler
{
    private const int MaxWriteAttempts = 5;

    public IReadOnlyCollection<string> Purposes { get; } = [WorkPurposes.SurveyInvite, WorkPurposes.SurveyReminder];

    public async Task HandleAsync(WorkItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.ParticipantId is not { } participantId || !item.Data.TryGetValue(SurveyJob.SurveyData, out var surveyKey))
        {
            throw new ArgumentException($"Survey work item {item.IdempotencyKey} has no participant or survey.", nameof(item));
        }
        var reminder = item.Purpose == WorkPurposes.SurveyReminder ? ReminderNumber(item) : (int?)null;

        var program = (await store.ReadAsync<MentoringProgram>(ProgramCatalog.KeyOf(item.ProgramId), cancellationToken))?.Value;
        var survey = program?.Engagement.Surveys.FirstOrDefault(s => s.Key == surveyKey);
        var participant = (await store.ReadAsync<Participant>(ParticipantRegistry.KeyOf(item.ProgramId, participantId), cancellationToken))?.Value;
        var now = clock.GetUtcNow();
        if (program is null || survey is null || participant is null || !participant.AcceptsEngagementMail(now)
            || await CheckInHandler.IsSuppressedAsync(store, participant.Email, cancellationToken))
        {
            return;
        }

        var key = EngagementDocuments.Survey(program.Id, survey.Key, participant.Id);
        var match = item.MatchId is null ? null
            : (await store.ReadAsync<PublishedMatch>(CheckInDocuments.Match(program.Id, item.MatchId), cancellationToken))?.Value;
        var role = match?.Members.FirstOrDefault(m => m.ParticipantId == participant.Id)?.Role;
        var record = reminder is { } number
            ? await CountReminderAsync(key, survey, number, now, cancellationToken)
            : await OpenAsync(key, survey, participant.Id, item.MatchId, role, now, cancellationToken);
        if (record is null || now >= record.ClosesAt || (reminder is not null && record.RespondedAt is not null))
        {
            return;
        }

        var rematch = program.Kind == ProgramKind.Evergreen ? item.MatchId ?? record.MatchId : null;
        await mailer.SendAsync(SurveyMail.Build(new SurveyMailInput
        {
            Program = program,
            Survey = survey,
            To = new MailAddress(participant.Email, participant.Name),
            SurveyUrl = links.For(program.Id, survey.Key, participant.Id),
            ClosesAt = record.ClosesAt,
            IdempotencyKey = item.IdempotencyKey,
            Reminder = reminder,
            Role = role,
            Partners = role is null ? null : await PartnersAsync(program.Id, participant.Id, match!, cancellationToken),
            SelfService = participantLinks.SelfService(program.Id, participant.Id, now, rematch),
        }), cancellationToken);
    }

    /// <summary>Whom a survey is about: everyone the person is matched with now (a mentor's mentees), else the survey's match.</summary>
    private async Task<string> PartnersAsync(string programId, string participantId, PublishedMatch surveyMatch, CancellationToken ct)
    {
        var active = (await store.QueryAllAsync<PublishedMatch>(programId, Windows.WindowDocuments.MatchKind, ct)).Select(m => m.Value)
            .Where(m => m.Status == MatchStatus.Active && m.Members.Any(x => x.ParticipantId == participantId))
            .OrderBy(m => m.PublishedAt).ThenBy(m => m.Id, StringComparer.Ordinal).ToList();
        var matches = active.Count > 0 ? active : [surveyMatch];
        return CheckInMail.Partners(matches.SelectMany(m => m.Members).Where(x => x.ParticipantId != participantId)
            .DistinctBy(x => x.ParticipantId, StringComparer.Ordinal));
    }

    private static int ReminderNumber(WorkItem item) =>
        item.Data.TryGetValue(SurveyJob.ReminderData, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"Survey reminder {item.IdempotencyKey} has no reminder number.", nameof(item));

    /// <summary>The record of this invite: created now, or the one an earlier delivery created.</summary>
    private async Task<SurveyRecord?> OpenAsync(DocumentKey key, SurveyDefinition survey, string participantId, string? matchId, string? role,
        DateTimeOffset now, CancellationToken ct)
    {
        if (await store.ReadAsync<SurveyRecord>(key, ct) is { } existing)
        {
            return existing.Value;
        }
        var record = new SurveyRecord
        {
            ProgramId = key.ProgramId,
            SurveyKey = survey.Key,
            ParticipantId = participantId,
            MatchId = matchId,
            Role = role,
            SentAt = now,
            ClosesAt = now.AddDays(survey.OpenForDays),
        };
        try
        {
            return (await store.CreateAsync(key, record, ct)).Value;
        }
        catch (DocumentConflictException)
        {
            return (await store.ReadAsync<SurveyRecord>(key, ct))?.Value;
        }
    }

    /// <summary>Counts reminder <paramref name="number"/> on the record (once); null when it must not go out.</summary>
    private async Task<SurveyRecord?> CountReminderAsync(DocumentKey key, SurveyDefinition survey, int number, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await store.ReadAsync<SurveyRecord>(key, ct) is not { } stored)
            {
                return null;
            }
            var record = stored.Value;
            if (record.RespondedAt is not null || now >= record.ClosesAt || number > survey.MaxReminders)
            {
                return null;
            }
            if (record.RemindersSent >= number)
            {
                return record; // counted by an earlier delivery: send again, the mailer deduplicates
            }
            try
            {
                return (await store.ReplaceAsync(key, record with { RemindersSent = number, LastReminderAt = now }, stored.ETag, ct)).Value;
            }
            catch (DocumentPreconditionFailedException) when (attempt < MaxWriteAttempts)
            {
                // Someone answered or another delivery counted it meanwhile: look again.
            }
        }
    }
}
