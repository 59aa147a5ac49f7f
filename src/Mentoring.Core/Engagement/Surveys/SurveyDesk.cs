using System.Globalization;
using Mentoring.Core.Common;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Engagement.Surveys;

public enum SurveyOutcome
{
    /// <summary>The link is good and the survey open: show the form (pre-filled with earlier answers, if any).</summary>
    Form,
    /// <summary>The answers were stored.</summary>
    Saved,
    /// <summary>The answers broke a rule; nothing was stored. Show the form again with the errors.</summary>
    Incomplete,
    /// <summary>The survey closed; nothing can be stored any more.</summary>
    Closed,
    /// <summary>Forged or damaged link, or a survey that no longer exists.</summary>
    Invalid,
}

/// <summary>What a survey page shows.</summary>
public sealed record SurveyPage(SurveyOutcome Outcome, string Message)
{
    public MentoringProgram? Program { get; init; }
    public SurveyDefinition? Survey { get; init; }
    public SurveyRecord? Record { get; init; }
    /// <summary>The values to show in the form: the submitted ones after an error, else the stored ones.</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
    public IReadOnlyList<FieldError> Errors { get; init; } = [];
}

/// <summary>
/// The survey behind a survey link. Viewing (GET) changes nothing. Submitting validates every answer (required
/// questions, allowed options, NPS 0-10, free text up to <see cref="MaxTextLength"/> characters) and stores the answers
/// and <see cref="SurveyRecord.RespondedAt"/>. Until the survey closes, a later submission replaces the answers and
/// RespondedAt (the time of the answers kept); after <see cref="SurveyRecord.ClosesAt"/> nothing is stored.
/// </summary>
public sealed class SurveyDesk(SurveyLinks links, IDocumentStore store, TimeProvider clock)
{
    public const int MaxTextLength = 2000;
    private const int MaxWriteAttempts = 5;

    public async Task<SurveyPage> ViewAsync(string token, CancellationToken cancellationToken = default)
    {
        var (page, _) = await CheckAsync(token, cancellationToken);
        return page;
    }

    public async Task<SurveyPage> SubmitAsync(string token, IReadOnlyDictionary<string, string> form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        for (var attempt = 1; ; attempt++)
        {
            var (page, stored) = await CheckAsync(token, cancellationToken);
            if (page.Outcome != SurveyOutcome.Form || stored is null)
            {
                return page;
            }
            var (answers, errors) = Validate(page.Survey!, form);
            if (errors.Count > 0)
            {
                return page with
                {
                    Outcome = SurveyOutcome.Incomplete,
                    Message = errors.Count == 1 ? errors[0].Detail : "Please check the answers marked below.",
                    Values = form.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
                    Errors = errors,
                };
            }
            var now = clock.GetUtcNow();
            var updated = stored.Value with { Answers = answers, RespondedAt = now };
            try
            {
                await store.ReplaceAsync(stored.Key, updated, stored.ETag, cancellationToken);
            }
            catch (DocumentPreconditionFailedException) when (attempt < MaxWriteAttempts)
            {
                continue; // a reminder was counted meanwhile: read again (the survey may have closed too)
            }
            return page with
            {
                Outcome = SurveyOutcome.Saved,
                Message = Inv($"Thank you: your answers are saved. You can change them from the same link until {Format(updated.ClosesAt, page.Program!.TimeZone)}."),
                Record = updated,
                Values = answers,
            };
        }
    }

    /// <summary>The answers to keep (trimmed, only known questions, blanks left out), or the rules they break.</summary>
    public static (IReadOnlyDictionary<string, string> Answers, IReadOnlyList<FieldError> Errors) Validate(SurveyDefinition survey,
        IReadOnlyDictionary<string, string> form)
    {
        ArgumentNullException.ThrowIfNull(survey);
        ArgumentNullException.ThrowIfNull(form);
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<FieldError>();
        foreach (var question in survey.Questions)
        {
            var value = form.TryGetValue(question.Key, out var raw) ? raw.Trim() : "";
            if (value.Length == 0)
            {
                if (question.Required)
                {
                    errors.Add(new(question.Key, Rules.Required, Inv($"Please answer \"{question.Text}\".")));
                }
                continue;
            }
            switch (question.Type)
            {
                case SurveyQuestionType.SingleChoice when !question.Options.Contains(value, StringComparer.Ordinal):
                    errors.Add(new(question.Key, Rules.OptionNotAllowed,
                        Inv($"\"{question.Text}\": choose one of {string.Join(", ", question.Options)}.")));
                    continue;
                case SurveyQuestionType.Nps when !(value.Length <= 2 && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var score) && score <= 10):
                    errors.Add(new(question.Key, Rules.OutOfRange, Inv($"\"{question.Text}\": choose a whole number from 0 to 10.")));
                    continue;
                case SurveyQuestionType.FreeText when value.Length > MaxTextLength:
                    errors.Add(new(question.Key, Rules.TooLong, Inv($"\"{question.Text}\": please keep it under {MaxTextLength} characters.")));
                    continue;
                case SurveyQuestionType.Nps:
                    value = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
                    break;
            }
            answers[question.Key] = value;
        }
        return (answers, errors);
    }

    private async Task<(SurveyPage Page, StoredDocument<SurveyRecord>? Stored)> CheckAsync(string token, CancellationToken ct)
    {
        const string invalid = "This survey link is not valid. Please use the link in the newest email about this survey.";
        if (links.Verify(token) is not { } grant)
        {
            return (new SurveyPage(SurveyOutcome.Invalid, invalid), null);
        }
        var program = (await store.ReadAsync<MentoringProgram>(ProgramCatalog.KeyOf(grant.ProgramId), ct))?.Value;
        var survey = program?.Engagement.Surveys.FirstOrDefault(s => s.Key == grant.SurveyKey);
        var stored = await store.ReadAsync<SurveyRecord>(EngagementDocuments.Survey(grant.ProgramId, grant.SurveyKey, grant.ParticipantId), ct);
        if (program is null || survey is null || stored is null)
        {
            return (new SurveyPage(SurveyOutcome.Invalid, "This survey is no longer available.") { Program = program }, null);
        }
        var record = stored.Value;
        var page = new SurveyPage(SurveyOutcome.Form, "") { Program = program, Survey = survey, Record = record, Values = record.Answers };
        if (clock.GetUtcNow() >= record.ClosesAt)
        {
            return (page with { Outcome = SurveyOutcome.Closed, Message = Inv($"This survey closed on {Format(record.ClosesAt, program.TimeZone)}. Thank you all the same.") }, null);
        }
        var message = record.RespondedAt is { } at
            ? Inv($"You answered on {Format(at, program.TimeZone)}. You can change your answers until {Format(record.ClosesAt, program.TimeZone)}.")
            : Inv($"Open until {Format(record.ClosesAt, program.TimeZone)}. Questions marked * need an answer.");
        return (page with { Message = message }, stored);
    }

    /// <summary>"Tue 2 Mar 2027, 10:00 (Europe/Berlin)": in the program's time zone.</summary>
    private static string Format(DateTimeOffset at, string timeZone) => Mail.Templates.MailFormat.LocalTime(at, timeZone);

    private static string Inv(FormattableString text) => FormattableString.Invariant(text);
}
