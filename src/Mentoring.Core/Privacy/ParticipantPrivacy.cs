using Mentoring.Core.Common;
using Mentoring.Core.Engagement;
using Mentoring.Core.Participants;
using Mentoring.Core.Persistence;
using Mentoring.Core.Questionnaires;
using Mentoring.Core.Registration;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Privacy;

/// <summary>Everything the program holds about one person, as they would get it on a data-access request.</summary>
public sealed record ParticipantDataExport(
    DateTimeOffset ExportedAt,
    Participant Participant,
    IReadOnlyList<PublishedMatch> Matches,
    IReadOnlyList<CheckInRecord> CheckIns,
    IReadOnlyList<SurveyRecord> Surveys);

/// <summary>
/// Data-subject requests: export a participant's data, and erase it. Erasure removes personal data (name, email,
/// free-text and identifying answers, names in published matches and stored drafts), keeps what aggregates need
/// (department and level, meetings, minutes, ratings), suppresses the address from all future mail, and erases the
/// person from the copies a host keeps elsewhere (<see cref="IPersonalDataCopies"/>: the embedded outbox).
/// </summary>
public sealed class ParticipantPrivacy(IDocumentStore store, ParticipantRegistry registry, TimeProvider clock, IEnumerable<IPersonalDataCopies>? copies = null)
{
    public const string ErasedName = "(erased)";

    /// <summary>Answers kept after erasure: the report's breakdowns need them and they do not identify anyone alone.</summary>
    private static readonly HashSet<string> AggregateKeys = new(StringComparer.Ordinal) { BuiltInQuestions.Department, BuiltInQuestions.Level };

    public async Task<ParticipantDataExport> ExportAsync(string programId, string participantId, CancellationToken cancellationToken = default)
    {
        var participant = (await registry.GetAsync(programId, participantId, cancellationToken)).Value;
        var matches = await MatchesOfAsync(programId, participantId, cancellationToken);
        var checkIns = (await store.QueryAllAsync<CheckInRecord>(programId, EngagementDocuments.CheckInKind, cancellationToken))
            .Select(c => c.Value).Where(c => c.ParticipantId == participantId).ToList();
        var surveys = (await store.QueryAllAsync<SurveyRecord>(programId, EngagementDocuments.SurveyKind, cancellationToken))
            .Select(s => s.Value).Where(s => s.ParticipantId == participantId).ToList();
        return new ParticipantDataExport(clock.GetUtcNow(), participant, [.. matches.Select(m => m.Value)], checkIns, surveys);
    }

    /// <summary>Erases the participant's personal data. Erasing twice is harmless.</summary>
    public async Task<Participant> EraseAsync(string programId, string participantId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var current = await registry.GetAsync(programId, participantId, cancellationToken);
        if (current.Value.ErasedAt is not null)
        {
            return current.Value;
        }
        var digest = EmailAddress.Digest(current.Value.Email);

        // Suppress first: if anything below fails, no further mail reaches the address while the erasure is retried.
        await store.UpsertAsync(EngagementDocuments.Suppression(digest), new Suppression(digest, "erased", now), cancellationToken);

        // Every write below is read-change-replace with the document's ETag, retried on conflict (UpdateAsync): a check-in
        // recording a meeting on the match, or a decision on the draft, between our read and our write is kept, and the
        // scrub is applied again on top of it instead of overwriting it with the copy read before.
        foreach (var match in await MatchesOfAsync(programId, participantId, cancellationToken))
        {
            await store.UpdateAsync<PublishedMatch>(match.Key, m => m.Members.Any(x => x.ParticipantId == participantId && x.Name != ErasedName)
                ? m with
                {
                    Members = [.. m.Members.Select(x => x.ParticipantId == participantId ? x with { Name = ErasedName, Email = Erased(participantId) } : x)],
                }
                : null, cancellationToken);
        }
        foreach (var draft in await store.QueryAllAsync<StoredDraft>(programId, WindowDocuments.DraftKind, cancellationToken))
        {
            // Drafts are kept for the record; the person's name and address in them go, the figures stay.
            await store.UpdateAsync<StoredDraft>(draft.Key, d =>
            {
                var scrubbed = DraftScrubber.Scrub(d.Draft, participantId, current.Value.Name, ErasedName, Erased(participantId));
                return ReferenceEquals(scrubbed, d.Draft) ? null : d with { Draft = scrubbed };
            }, cancellationToken);
        }
        await ScrubSurveyTextAsync(programId, participantId, cancellationToken);
        foreach (var checkIn in await store.QueryAllAsync<CheckInRecord>(programId, EngagementDocuments.CheckInKind, cancellationToken))
        {
            // "What would help" is the person's own words: it goes; the answer itself counts in the report.
            if (checkIn.Value.ParticipantId == participantId && checkIn.Value.Note is not null)
            {
                await store.UpsertAsync(checkIn.Key, checkIn.Value with { Note = null }, cancellationToken);
            }
        }

        // Before the participant: until it is marked erased, a retried erasure still knows the name and address to look for.
        var person = new ErasedPerson(programId, participantId, current.Value.Name, current.Value.Email, ErasedName, Erased(participantId));
        foreach (var copy in copies ?? [])
        {
            await copy.EraseAsync(person, cancellationToken);
        }

        // A late registration update may change the participant under us: UpdateAsync erases the newer version.
        return (await store.UpdateAsync<Participant>(current.Key, p => p with
            {
                Name = ErasedName,
                Email = Erased(participantId),
                Answers = p.Answers.Where(a => AggregateKeys.Contains(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal),
                Status = ParticipantStatus.Withdrawn,
                Source = new RegistrationSource(p.Source.Channel),
                ErasedAt = now,
                UpdatedAt = now,
            }, cancellationToken))?.Value
            ?? throw new NotFoundException($"Participant '{participantId}'");
    }

    private async Task ScrubSurveyTextAsync(string programId, string participantId, CancellationToken ct)
    {
        var program = await store.ReadAsync<Programs.MentoringProgram>(Programs.ProgramCatalog.KeyOf(programId), ct);
        var freeText = program?.Value.Engagement.Surveys.SelectMany(s => s.Questions)
            .Where(q => q.Type == Programs.SurveyQuestionType.FreeText).Select(q => q.Key).ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var survey in await store.QueryAllAsync<SurveyRecord>(programId, EngagementDocuments.SurveyKind, ct))
        {
            if (survey.Value.ParticipantId != participantId || !survey.Value.Answers.Keys.Any(freeText.Contains))
            {
                continue;
            }
            await store.UpdateAsync<SurveyRecord>(survey.Key, s => s.Answers.Keys.Any(freeText.Contains)
                ? s with { Answers = s.Answers.Where(a => !freeText.Contains(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal) }
                : null, ct);
        }
    }

    private async Task<IReadOnlyList<StoredDocument<PublishedMatch>>> MatchesOfAsync(string programId, string participantId, CancellationToken ct) =>
        [.. (await store.QueryAllAsync<PublishedMatch>(programId, WindowDocuments.MatchKind, ct))
            .Where(m => m.Value.Members.Any(x => x.ParticipantId == participantId))];

    private static string Erased(string participantId) => $"erased+{participantId}@invalid";
}
