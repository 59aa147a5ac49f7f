using System.Net;
using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.Surveys;
using Mentoring.Core.Persistence;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Engagement.Surveys;

/// <summary>The survey page over HTTP on the real server: GET changes nothing, POST validates and stores, closed is 410.</summary>
public sealed class SurveyFormTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset SentAt = new(2027, 4, 15, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new(SentAt);
    private readonly MentoringServer server;
    private string url = "";

    public SurveyFormTests() => server = new MentoringServer(folder, clock);

    private IDocumentStore Store => server.Services.GetRequiredService<IDocumentStore>();
    private static DocumentKey Key => EngagementDocuments.Survey("spring", "mid", "ana");

    public async Task InitializeAsync()
    {
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(Programs.Cohort()))).StatusCode);
        await Store.CreateAsync(Key, new SurveyRecord
        {
            ProgramId = "spring",
            SurveyKey = "mid",
            ParticipantId = "ana",
            SentAt = SentAt,
            ClosesAt = SentAt.AddDays(14),
        });
        url = server.Services.GetRequiredService<SurveyLinks>().For("spring", "mid", "ana").PathAndQuery;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private Task<HttpResponseMessage> Post(params (string Key, string Value)[] fields) =>
        server.Public().PostAsync(url, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Key, f.Value))));

    [Fact]
    public async Task Get_shows_an_accessible_form_and_changes_nothing()
    {
        var before = await Store.ReadAsync<SurveyRecord>(Key);
        var response = await server.Public().GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("<form method=\"post\" action=\"" + url + "\"", html, StringComparison.Ordinal);
        Assert.Contains("<legend>How would you rate your experience so far?", html, StringComparison.Ordinal);
        foreach (var option in SurveyDefinitionScale)
        {
            Assert.Contains($"type=\"radio\" id=\"q-satisfaction-{Array.IndexOf(SurveyDefinitionScale, option)}\" name=\"satisfaction\" value=\"{option}\"", html, StringComparison.Ordinal);
        }
        for (var score = 0; score <= 10; score++)
        {
            Assert.Contains($"name=\"nps\" value=\"{score}\"", html, StringComparison.Ordinal);
        }
        Assert.Contains("<textarea id=\"q-comments-text\" name=\"comments\"", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"q-comments-text\"", html, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await server.Public().SendAsync(new HttpRequestMessage(HttpMethod.Head, url))).StatusCode);
        var after = await Store.ReadAsync<SurveyRecord>(Key);
        Assert.Equal(before!.ETag, after!.ETag);
        Assert.Null(after.Value.RespondedAt);
    }

    private static readonly string[] SurveyDefinitionScale = ["Very positive", "Positive", "Neutral", "Negative", "Very negative"];

    [Fact]
    public async Task Post_refuses_missing_answers_unknown_options_and_scores_outside_0_to_10()
    {
        var before = (await Store.ReadAsync<SurveyRecord>(Key))!.ETag;

        var missing = await Post(("comments", "<b>great</b>"));
        var html = await missing.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"#q-satisfaction\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"#q-nps\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;great&lt;/b&gt;</textarea>", html, StringComparison.Ordinal); // kept and encoded

        var badOption = await Post(("satisfaction", "Ecstatic"), ("nps", "7"));
        Assert.Equal(HttpStatusCode.BadRequest, badOption.StatusCode);
        Assert.Contains("choose one of Very positive, Positive, Neutral, Negative, Very negative", await badOption.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        foreach (var score in new[] { "11", "-1", "7.5", "ten", "007" })
        {
            var response = await Post(("satisfaction", "Positive"), ("nps", score));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("a whole number from 0 to 10", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var tooLong = await Post(("satisfaction", "Positive"), ("nps", "7"), ("comments", new string('x', SurveyDesk.MaxTextLength + 1)));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);

        Assert.Equal(before, (await Store.ReadAsync<SurveyRecord>(Key))!.ETag);
    }

    [Fact]
    public async Task Post_stores_the_answers_and_a_second_post_replaces_them_until_the_survey_closes()
    {
        clock.Set(SentAt.AddDays(2));
        var saved = await Post(("satisfaction", "Positive"), ("nps", "8"), ("comments", "  Lovely pairing  "), ("unknown", "ignored"));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("Thank you", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var record = (await Store.ReadAsync<SurveyRecord>(Key))!.Value;
        Assert.Equal(SentAt.AddDays(2), record.RespondedAt);
        Assert.Equal(new Dictionary<string, string> { ["satisfaction"] = "Positive", ["nps"] = "8", ["comments"] = "Lovely pairing" }, record.Answers);

        var again = await server.Public().GetAsync(url);
        var page = await again.Content.ReadAsStringAsync();
        Assert.Contains("value=\"Positive\" checked", page, StringComparison.Ordinal);
        Assert.Contains("Update my answers", page, StringComparison.Ordinal);

        clock.Set(SentAt.AddDays(5));
        Assert.Equal(HttpStatusCode.OK, (await Post(("satisfaction", "Very positive"), ("nps", "10"))).StatusCode);
        record = (await Store.ReadAsync<SurveyRecord>(Key))!.Value;
        Assert.Equal(SentAt.AddDays(5), record.RespondedAt);
        Assert.Equal(new Dictionary<string, string> { ["satisfaction"] = "Very positive", ["nps"] = "10" }, record.Answers);
    }

    [Fact]
    public async Task After_it_closes_the_survey_answers_410_and_stores_nothing()
    {
        clock.Set(SentAt.AddDays(14));
        var view = await server.Public().GetAsync(url);
        Assert.Equal(HttpStatusCode.Gone, view.StatusCode);
        var html = await view.Content.ReadAsStringAsync();
        Assert.Contains("This survey closed on Thu 29 Apr 2027, 11:00 (Europe/Berlin)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);

        var post = await Post(("satisfaction", "Positive"), ("nps", "8"));
        Assert.Equal(HttpStatusCode.Gone, post.StatusCode);
        Assert.Null((await Store.ReadAsync<SurveyRecord>(Key))!.Value.RespondedAt);
    }

    [Fact]
    public async Task A_forged_or_damaged_link_is_refused()
    {
        var tampered = url[..^3] + (url[^3] == 'A' ? "B" : "A") + url[^2..];
        Assert.Equal(HttpStatusCode.NotFound, (await server.Public().GetAsync(tampered)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Public().GetAsync("/api/surveys/not-a-token")).StatusCode);
        var other = server.Services.GetRequiredService<SurveyLinks>().For("spring", "mid", "nobody").PathAndQuery;
        var response = await server.Public().PostAsync(other, new FormUrlEncodedContent([KeyValuePair.Create("nps", "9")]));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no longer available", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
