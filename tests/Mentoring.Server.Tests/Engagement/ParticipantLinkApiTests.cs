using System.Net;
using System.Text.Json.Nodes;
using Mentoring.Core.Engagement;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Persistence;
using Mentoring.Core.Windows;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Engagement;

/// <summary>Participant link pages and the admin match endpoints over HTTP, on the real server and a SQLite file.</summary>
public sealed class ParticipantLinkApiTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Start = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new(Start);
    private readonly MentoringServer server;
    private string ana = "";
    private string bo = "";
    private string matchId = "";

    public ParticipantLinkApiTests() => server = new MentoringServer(folder, clock);

    public async Task InitializeAsync() => await SetUpAsync("spring", Programs.Cohort());

    private async Task SetUpAsync(string programId, string definition)
    {
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(definition))).StatusCode);
        var ids = new List<string>();
        foreach (var (name, department) in new[] { ("ana", "Sales"), ("bo", "Finance") })
        {
            var body = new JsonObject { ["email"] = $"{name}@example.com", ["name"] = name, ["consent"] = true, ["answers"] = new JsonObject { ["department"] = department } };
            var response = await server.Public().PostAsync($"/api/programs/{programId}/registrations", Http.Json(body.ToJsonString()));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            ids.Add((await response.Body())["id"]!.GetValue<string>());
        }
        (ana, bo) = (ids[0], ids[1]);
        var key = WindowDocuments.Match(programId, "w1", 0);
        matchId = key.Id;
        await Store.UpsertAsync(key, new PublishedMatch
        {
            Id = key.Id,
            ProgramId = programId,
            WindowId = "w1",
            Version = 1,
            Members = [new MatchMember(ana, "ana", "ana@example.com"), new MatchMember(bo, "bo", "bo@example.com")],
            PublishedAt = Start,
            IntroducedAt = Start,
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private IDocumentStore Store => server.Services.GetRequiredService<IDocumentStore>();
    private ParticipantLinks Links => server.Services.GetRequiredService<ParticipantLinks>();

    private string Link(ParticipantAction action, string participant, int? round = null, int? minutes = null, string programId = "spring", DateTimeOffset? expires = null) =>
        "/api/links/" + Links.Sign(new ParticipantGrant
        {
            ProgramId = programId,
            ParticipantId = participant,
            Action = action,
            MatchId = round is null && action != ParticipantAction.Rematch ? null : matchId,
            Round = round,
            Minutes = minutes,
            ExpiresAtUnix = (expires ?? Start.AddDays(28)).ToUnixTimeSeconds(),
        });

    private async Task<CheckInRecord?> Record(int round, string participant) =>
        (await Store.ReadAsync<CheckInRecord>(EngagementDocuments.CheckIn("spring", matchId, round, participant)))?.Value;

    private async Task<JsonNode> Participant(string id) =>
        await (await server.Admin().GetAsync($"/api/programs/spring/participants/{id}")).Body();

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));

    [Fact]
    public async Task Opening_a_check_in_link_changes_nothing_and_the_form_post_records_it()
    {
        clock.Set(Start.AddDays(15));
        var link = Link(ParticipantAction.CheckInMet, ana, round: 1, minutes: 30);

        var page = await server.Public().GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\" action=\"" + link + "\">", html, StringComparison.Ordinal);
        Assert.Contains("name=\"minutes\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"30\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await server.Public().SendAsync(new HttpRequestMessage(HttpMethod.Head, link))).StatusCode);
        Assert.Null(await Record(1, ana));

        var posted = await server.Public().PostAsync(link, Form(("minutes", "45")));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("45 minutes recorded", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var record = (await Record(1, ana))!;
        Assert.Equal((CheckInAnswer.Met, (int?)45), (record.Answer, record.Minutes));

        Assert.Equal(HttpStatusCode.BadRequest, (await server.Public().PostAsync(link, Form(("minutes", "-3")))).StatusCode);
        Assert.Equal(45, (await Record(1, ana))!.Minutes);

        // A 30/60/90 button on the page sends "preset" next to the number field; the pressed button wins.
        Assert.Equal(HttpStatusCode.OK, (await server.Public().PostAsync(link, Form(("minutes", "45"), ("preset", "90")))).StatusCode);
        Assert.Equal(90, (await Record(1, ana))!.Minutes);

        var notYet = await server.Public().PostAsync(Link(ParticipantAction.CheckInNotYet, ana, round: 1), Form());
        Assert.Equal(HttpStatusCode.OK, notYet.StatusCode);
        Assert.Equal(CheckInAnswer.NotYet, (await Record(1, ana))!.Answer);
    }

    [Fact]
    public async Task Forged_and_damaged_links_get_a_clear_page_and_403()
    {
        clock.Set(Start.AddDays(15));
        var good = Link(ParticipantAction.CheckInNotYet, bo, round: 1);
        var parts = good["/api/links/".Length..].Split('.');
        var tampered = "/api/links/" + parts[0][..^2] + "AA." + parts[1] + "." + parts[2];
        foreach (var bad in new[] { tampered, "/api/links/not-a-token", "/api/links/a.b.c" })
        {
            var get = await server.Public().GetAsync(bad);
            Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
            Assert.Contains("This link is not valid", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, (await server.Public().PostAsync(bad, Form())).StatusCode);
        }
        Assert.Null(await Record(1, bo));
    }

    [Fact]
    public async Task A_closed_round_answers_410_and_records_nothing()
    {
        clock.Set(Start.AddDays(28));
        var response = await server.Public().PostAsync(Link(ParticipantAction.CheckInNotYet, bo, round: 1), Form());
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Null(await Record(1, bo));
    }

    [Fact]
    public async Task One_click_unsubscribe_post_unsubscribes_without_the_page_and_opening_the_link_does_not()
    {
        var link = Link(ParticipantAction.Unsubscribe, bo, expires: Start.AddDays(400));
        Assert.Equal(HttpStatusCode.OK, (await server.Public().GetAsync(link)).StatusCode);
        Assert.Null((await Participant(bo))["unsubscribedAt"]);

        var oneClick = await server.Public().PostAsync(link, Form(("List-Unsubscribe", "One-Click")));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        Assert.NotNull((await Participant(bo))["unsubscribedAt"]);
        Assert.Equal(HttpStatusCode.OK, (await server.Public().PostAsync(link, Form(("List-Unsubscribe", "One-Click")))).StatusCode); // idempotent
        Assert.Null((await Participant(ana))["unsubscribedAt"]);
    }

    [Fact]
    public async Task Pause_needs_a_date_within_ninety_days()
    {
        var link = Link(ParticipantAction.Pause, ana, expires: Start.AddDays(400));
        var page = await (await server.Public().GetAsync(link)).Content.ReadAsStringAsync();
        Assert.Contains("type=\"date\"", page, StringComparison.Ordinal);
        Assert.Contains("max=\"2027-05-30\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Public().PostAsync(link, Form())).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Public().PostAsync(link, Form(("until", "2027-07-01")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Public().PostAsync(link, Form(("until", "2027-04-01")))).StatusCode);
        Assert.NotNull((await Participant(ana))["pausedUntil"]);
    }

    [Fact]
    public async Task Admins_list_matches_with_minutes_filter_them_and_end_one_with_a_reason()
    {
        clock.Set(Start.AddDays(15));
        Assert.Equal(HttpStatusCode.OK, (await server.Public().PostAsync(Link(ParticipantAction.CheckInMet, ana, round: 1, minutes: 60), Form())).StatusCode);

        var list = await server.Admin().GetAsync("/api/programs/spring/matches");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var item = Assert.Single((await list.Body())["items"]!.AsArray())!;
        Assert.Equal(matchId, item["match"]!["id"]!.GetValue<string>());
        Assert.Equal("active", item["match"]!["status"]!.GetValue<string>());
        Assert.Equal(1, item["meetings"]!.GetValue<int>());
        Assert.Equal(60, item["minutes"]!.GetValue<int>());
        Assert.Equal("met", item["lastCheckIn"]!["answer"]!.GetValue<string>());
        Assert.Empty((await (await server.Admin().GetAsync("/api/programs/spring/matches?atRisk=true")).Body())["items"]!.AsArray());
        Assert.Empty((await (await server.Admin().GetAsync("/api/programs/spring/matches?status=ended")).Body())["items"]!.AsArray());
        await (await server.Admin().GetAsync("/api/programs/spring/matches?status=paused")).Problem(400);
        await (await server.Admin().GetAsync("/api/programs/spring/matches?atRisk=maybe")).Problem(400);
        await (await server.Admin().GetAsync("/api/programs/nope/matches")).Problem(404);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Public().GetAsync("/api/programs/spring/matches")).StatusCode);

        var end = $"/api/programs/spring/matches/{matchId}/end";
        var missing = await (await server.Admin().PostAsync(end, Http.Json("{}"))).Problem(400);
        Assert.Contains(("reason", "required"), missing.Errors());
        var noBody = await (await server.Admin().PostAsync(end, null)).Problem(400);
        Assert.Contains(("reason", "required"), noBody.Errors());
        await (await server.Admin().PostAsync($"/api/programs/spring/matches/w1-99999/end", Http.Json("{\"reason\":\"x\"}"))).Problem(404);
        var ended = await server.Admin().PostAsync(end, Http.Json("{\"reason\":\"moved teams\"}"));
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var body = await ended.Body();
        Assert.Equal(("ended", "moved teams"), (body["status"]!.GetValue<string>(), body["endReason"]!.GetValue<string>()));
        Assert.Single((await (await server.Admin().GetAsync("/api/programs/spring/matches?status=ended")).Body())["items"]!.AsArray());

        // The match ended: its check-in links now say so.
        Assert.Equal(HttpStatusCode.Conflict, (await server.Public().PostAsync(Link(ParticipantAction.CheckInNotYet, bo, round: 1), Form())).StatusCode);
    }

    [Fact]
    public async Task Rematch_is_for_evergreen_programs_and_ends_the_active_match()
    {
        await (await server.Admin().PostAsync($"/api/programs/spring/participants/{ana}/rematch", null)).Problem(409);

        await SetUpAsync("always", Programs.Cohort("always", opensAt: null, closesAt: null).Replace("\"kind\": \"cohort\"", "\"kind\": \"evergreen\"", StringComparison.Ordinal));
        await (await server.Admin().PostAsync("/api/programs/always/participants/p_nobody/rematch", null)).Problem(404);
        var response = await server.Admin().PostAsync($"/api/programs/always/participants/{ana}/rematch", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Body();
        Assert.NotNull(body["participant"]!["rematchRequestedAt"]);
        var ended = Assert.Single(body["endedMatches"]!.AsArray())!;
        Assert.Equal(("ended", "rematch requested"), (ended["status"]!.GetValue<string>(), ended["endReason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_rematch_link_ends_only_the_pair_it_came_with_and_frees_one_slot()
    {
        // A mentor with two mentees asks for a new partner from the nudge about one of them: the other pair stays.
        await SetUpAsync("always", Programs.Cohort("always", opensAt: null, closesAt: null).Replace("\"kind\": \"cohort\"", "\"kind\": \"evergreen\"", StringComparison.Ordinal));
        var other = WindowDocuments.Match("always", "w2", 0);
        await Store.UpsertAsync(other, new PublishedMatch
        {
            Id = other.Id,
            ProgramId = "always",
            WindowId = "w2",
            Version = 1,
            Members = [new MatchMember(ana, "ana", "ana@example.com", "mentor"), new MatchMember("p_cy", "cy", "cy@example.com", "mentee")],
            PublishedAt = Start,
            IntroducedAt = Start,
        });

        Assert.Equal(HttpStatusCode.OK, (await server.Public().PostAsync(Link(ParticipantAction.Rematch, ana, programId: "always"), Form())).StatusCode);

        var matches = (await (await server.Admin().GetAsync("/api/programs/always/matches")).Body())["items"]!.AsArray()
            .ToDictionary(m => m!["match"]!["id"]!.GetValue<string>(), m => m!["match"]!["status"]!.GetValue<string>());
        Assert.Equal("ended", matches[matchId]);
        Assert.Equal("active", matches[other.Id]);
    }

}
