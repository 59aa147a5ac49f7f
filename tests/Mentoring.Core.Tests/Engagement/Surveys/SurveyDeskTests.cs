using Mentoring.Core.Common;
using Mentoring.Core.Decisions;
using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.Surveys;
using Mentoring.Core.Links;
using Mentoring.Core.Persistence;
using Mentoring.Core.Programs;
using Mentoring.Core.Tests.Registration;
using Mentoring.Sqlite;
using Mentoring.Testing;

namespace Mentoring.Core.Tests.Engagement.Surveys;

/// <summary>
/// The page behind a survey link, in Core on the real SQLite store: what a submission must satisfy, what it stores,
/// what a closed survey or a bad link does, and a reminder counted between the page's read and its write.
/// </summary>
public sealed class SurveyDeskTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset SentAt = new(2027, 4, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly DocumentKey Key = EngagementDocuments.Survey("spring", "mid", "ana");
    private static readonly SurveyDefinition Mid = SurveyDefinition.Defaults[0];

    private readonly TempFolder folder = new();
    private readonly SqliteDocumentStore sqlite;
    private readonly RivalWritesFirst store;
    private readonly ManualClock clock = new(SentAt.AddDays(1));
    private readonly SurveyLinks links = new(
        new LinkSigner([new SigningKey("k1", [.. Enumerable.Range(1, 32).Select(i => (byte)i)])]),
        new DecisionLinkOptions { PublicBaseUrl = new Uri("https://mentoring.example.com") });
    private readonly SurveyDesk desk;

    public SurveyDeskTests()
    {
        sqlite = new SqliteDocumentStore(new SqliteStoreOptions(folder.File("surveys.db")));
        store = new RivalWritesFirst(sqlite);
        desk = new SurveyDesk(links, store, clock);
    }

    private string Token => links.For("spring", "mid", "ana").AbsolutePath[SurveyLinks.RoutePrefix.Length..];

    public async Task InitializeAsync()
    {
        await sqlite.UpsertAsync(ProgramCatalog.KeyOf("spring"), new MentoringProgram
        {
            Id = "spring",
            Name = "Spring buddies",
            Kind = ProgramKind.Cohort,
            AdminEmails = ["hr@example.com"],
            TimeZone = "Europe/Berlin",
        });
        await sqlite.CreateAsync(Key, new SurveyRecord
        {
            ProgramId = "spring",
            SurveyKey = "mid",
            ParticipantId = "ana",
            SentAt = SentAt,
            ClosesAt = SentAt.AddDays(14),
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        sqlite.Dispose();
        folder.Dispose();
    }

    private async Task<SurveyRecord> RecordAsync() => (await sqlite.ReadAsync<SurveyRecord>(Key))!.Value;

    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) =>
        fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    [Fact]
    public void Each_rule_names_its_question_and_nothing_is_kept_from_a_form_that_breaks_one()
    {
        var (_, errors) = SurveyDesk.Validate(Mid, Form(
            (SurveyDefinition.Satisfaction, "Great"), (SurveyDefinition.Recommend, "11"), (SurveyDefinition.Comments, new string('x', SurveyDesk.MaxTextLength + 1))));

        Assert.Equal(
            [(SurveyDefinition.Satisfaction, Rules.OptionNotAllowed), (SurveyDefinition.Recommend, Rules.OutOfRange), (SurveyDefinition.Comments, Rules.TooLong)],
            errors.Select(e => (e.Field, e.Rule)));
        Assert.Contains("choose one of Very positive, Positive, Neutral, Negative, Very negative", errors[0].Detail, StringComparison.Ordinal);
        Assert.Contains("from 0 to 10", errors[1].Detail, StringComparison.Ordinal);
        Assert.Contains("under 2000 characters", errors[2].Detail, StringComparison.Ordinal);

        var (_, blank) = SurveyDesk.Validate(Mid, Form((SurveyDefinition.Satisfaction, "   ")));
        Assert.Equal([(SurveyDefinition.Satisfaction, Rules.Required), (SurveyDefinition.Recommend, Rules.Required)], blank.Select(e => (e.Field, e.Rule)));
        Assert.Equal("Please answer \"How would you rate your experience so far?\".", blank[0].Detail);
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("10", "10")]
    [InlineData(" 7 ", "7")]
    [InlineData("07", "7")]
    [InlineData("-1", null)]
    [InlineData("+7", null)]
    [InlineData("7.5", null)]
    [InlineData("010", null)]
    [InlineData("١٠", null)] // Arabic-Indic digits: not the 0-10 the form offers
    [InlineData("ten", null)]
    public void A_recommendation_is_a_whole_number_from_0_to_10_stored_plainly(string sent, string? kept)
    {
        var (answers, errors) = SurveyDesk.Validate(Mid, Form((SurveyDefinition.Satisfaction, "Positive"), (SurveyDefinition.Recommend, sent)));

        Assert.Equal(kept, answers.GetValueOrDefault(SurveyDefinition.Recommend));
        Assert.Equal(kept is null ? [Rules.OutOfRange] : [], errors.Select(e => e.Rule));
    }

    [Fact]
    public void Answers_are_trimmed_blanks_and_unknown_fields_are_left_out_and_long_text_up_to_the_limit_is_kept()
    {
        var text = new string('x', SurveyDesk.MaxTextLength);
        var (answers, errors) = SurveyDesk.Validate(Mid, Form(
            (SurveyDefinition.Satisfaction, " Positive "), (SurveyDefinition.Recommend, "9"), (SurveyDefinition.Comments, text), ("__form", "token"), ("admin", "yes")));

        Assert.Empty(errors);
        Assert.Equal(Form((SurveyDefinition.Satisfaction, "Positive"), (SurveyDefinition.Recommend, "9"), (SurveyDefinition.Comments, text)), answers);
        Assert.DoesNotContain(SurveyDefinition.Comments, SurveyDesk.Validate(Mid, Form((SurveyDefinition.Comments, "  "))).Answers.Keys);
    }

    [Fact]
    public async Task Viewing_changes_nothing_and_a_valid_submission_stores_the_answers_with_the_time_of_answering()
    {
        var before = await sqlite.ReadAsync<SurveyRecord>(Key);
        var view = await desk.ViewAsync(Token);
        Assert.Equal(SurveyOutcome.Form, view.Outcome);
        Assert.Equal("Open until Thu 29 Apr 2027, 11:00 (Europe/Berlin). Questions marked * need an answer.", view.Message);
        Assert.Equal(before!.ETag, (await sqlite.ReadAsync<SurveyRecord>(Key))!.ETag);

        var saved = await desk.SubmitAsync(Token, Form((SurveyDefinition.Satisfaction, "Positive"), (SurveyDefinition.Recommend, "8")));

        Assert.Equal(SurveyOutcome.Saved, saved.Outcome);
        Assert.StartsWith("Thank you: your answers are saved. You can change them from the same link until Thu 29 Apr 2027", saved.Message, StringComparison.Ordinal);
        var record = await RecordAsync();
        Assert.Equal(clock.GetUtcNow(), record.RespondedAt);
        Assert.Equal(Form((SurveyDefinition.Satisfaction, "Positive"), (SurveyDefinition.Recommend, "8")), record.Answers);
    }

    [Fact]
    public async Task A_form_with_errors_stores_nothing_and_shows_back_what_was_sent()
    {
        var sent = Form((SurveyDefinition.Satisfaction, "Positive"), (SurveyDefinition.Recommend, "12"));

        var page = await desk.SubmitAsync(Token, sent);

        Assert.Equal(SurveyOutcome.Incomplete, page.Outcome);
        Assert.Equal("\"How likely are you to recommend this program to a colleague?\": choose a whole number from 0 to 10.", page.Message);
        Assert.Equal(sent, page.Values);
        Assert.Null((await RecordAsync()).RespondedAt);
        Assert.Equal("Please check the answers marked below.", (await desk.SubmitAsync(Token, Form())).Message);
    }

    [Fact]
    public async Task A_later_submission_replaces_the_answers_until_the_survey_closes_and_then_nothing_is_stored()
    {
        await desk.SubmitAsync(Token, Form((SurveyDefinition.Satisfaction, "Positive"), (SurveyDefinition.Recommend, "8"), (SurveyDefinition.Comments, "Good")));
        clock.Advance(TimeSpan.FromDays(2));
        var again = await desk.ViewAsync(Token);
        Assert.StartsWith("You answered on Fri 16 Apr 2027, 11:00 (Europe/Berlin).", again.Message, StringComparison.Ordinal);

        await desk.SubmitAsync(Token, Form((SurveyDefinition.Satisfaction, "Very positive"), (SurveyDefinition.Recommend, "10")));
        var replaced = await RecordAsync();
        Assert.Equal(Form((SurveyDefinition.Satisfaction, "Very positive"), (SurveyDefinition.Recommend, "10")), replaced.Answers);
        Assert.Equal(clock.GetUtcNow(), replaced.RespondedAt);

        clock.Set(replaced.ClosesAt);
        var closed = await desk.SubmitAsync(Token, Form((SurveyDefinition.Satisfaction, "Negative"), (SurveyDefinition.Recommend, "0")));
        Assert.Equal(SurveyOutcome.Closed, closed.Outcome);
        Assert.Equal("This survey closed on Thu 29 Apr 2027, 11:00 (Europe/Berlin). Thank you all the same.", closed.Message);
        var after = await RecordAsync();
        Assert.Equal(replaced.RespondedAt, after.RespondedAt);
        Assert.Equal(replaced.Answers, after.Answers);
    }

    [Fact]
    public async Task A_reminder_counted_between_the_read_and_the_write_is_kept_with_the_answers()
    {
        store.Before(EngagementDocuments.SurveyKind, Write.Replace, () =>
            sqlite.UpdateAsync<SurveyRecord>(Key, r => r with { RemindersSent = 1, LastReminderAt = SentAt.AddDays(3) }));

        var saved = await desk.SubmitAsync(Token, Form((SurveyDefinition.Satisfaction, "Neutral"), (SurveyDefinition.Recommend, "5")));

        Assert.Equal(SurveyOutcome.Saved, saved.Outcome);
        Assert.Equal(1, store.Turns);
        var record = await RecordAsync();
        Assert.Equal((1, "Neutral"), (record.RemindersSent, record.Answers[SurveyDefinition.Satisfaction]));
    }

    [Fact]
    public async Task The_survey_closing_while_the_answers_were_being_written_stores_nothing()
    {
        store.Before(EngagementDocuments.SurveyKind, Write.Replace, async () =>
        {
            await sqlite.UpdateAsync<SurveyRecord>(Key, r => r with { RemindersSent = 1 });
            clock.Set(SentAt.AddDays(14));
        });

        var page = await desk.SubmitAsync(Token, Form((SurveyDefinition.Satisfaction, "Neutral"), (SurveyDefinition.Recommend, "5")));

        Assert.Equal(SurveyOutcome.Closed, page.Outcome);
        Assert.Null((await RecordAsync()).RespondedAt);
    }

    [Fact]
    public async Task A_damaged_link_or_one_for_a_survey_that_is_gone_shows_why_and_stores_nothing()
    {
        var damaged = await desk.SubmitAsync(Token[..^2] + "xx", Form((SurveyDefinition.Satisfaction, "Neutral"), (SurveyDefinition.Recommend, "5")));
        Assert.Equal(SurveyOutcome.Invalid, damaged.Outcome);
        Assert.StartsWith("This survey link is not valid.", damaged.Message, StringComparison.Ordinal);

        var other = links.For("spring", "end", "ana").AbsolutePath[SurveyLinks.RoutePrefix.Length..];
        var gone = await desk.SubmitAsync(other, Form((SurveyDefinition.Satisfaction, "Neutral"), (SurveyDefinition.Recommend, "5")));
        Assert.Equal((SurveyOutcome.Invalid, "This survey is no longer available."), (gone.Outcome, gone.Message));
        Assert.Null((await RecordAsync()).RespondedAt);
    }
}
