using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Engagement.Surveys;
using Mentoring.Core.Mail;
using Mentoring.Core.Tests.Engagement.Reports;
using Mentoring.Server.Tests.Engagement.Reports;
using Mentoring.Server.Work;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Roles;

/// <summary>
/// A mentor/mentee program with capacities through the README flow on the embedded server (real HTTP, real SQLite):
/// register, preview, window, approve, intros, check-ins, report.
/// </summary>
public sealed partial class MentorMenteeFlowTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly MentoringServer server;

    public MentorMenteeFlowTests() => server = new MentoringServer(folder, clock);

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private const string Program = """
    {
      "id": "mentors",
      "name": "Spring mentoring",
      "kind": "cohort",
      "pairing": "mentorMentee",
      "roles": { "maxMentees": 2, "seniorityGap": 1 },
      "registration": { "opensAt": "2027-02-01T00:00:00Z", "closesAt": "2027-04-01T00:00:00Z" },
      "adminEmails": ["hr@example.com"],
      "timeZone": "Europe/Berlin",
      "engagement": { "checkInEveryDays": 7 },
      "questionnaire": { "questions": [
        { "key": "level", "type": "ordinalScale", "options": ["1", "2", "3", "4", "5"] },
        { "key": "goals", "type": "multiChoice", "options": ["SQL", "Leadership"], "role": "overlap", "weight": 20 }
      ] }
    }
    """;

    [GeneratedRegex("/api/decisions/[A-Za-z0-9_\\-\\.]+")]
    private static partial Regex DecisionLink();

    [GeneratedRegex("/api/surveys/[A-Za-z0-9_\\-\\.]+")]
    private static partial Regex SurveyLink();

    [GeneratedRegex("/api/links/(?<token>[A-Za-z0-9_\\-\\.]+)")]
    private static partial Regex ParticipantLink();

    private async Task Register(string name, string role, int level, string goal, int? capacity = null)
    {
        var answers = new JsonObject { ["role"] = role, ["level"] = $"{level}", ["goals"] = new JsonArray(goal) };
        if (capacity is { } c)
        {
            answers["capacity"] = $"{c}";
        }
        var body = new JsonObject { ["email"] = $"{name.ToLowerInvariant()}@example.com", ["name"] = name, ["consent"] = true, ["answers"] = answers };
        var response = await server.Public().PostAsync("/api/programs/mentors/registrations", Http.Json(body.ToJsonString()));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private Task<IReadOnlyList<StoredMail>> Mails(string category) =>
        server.Services.GetRequiredService<IMailbox>().ListAsync(new MailboxQuery { ProgramId = "mentors", Category = category, Limit = 1000 });

    [Fact]
    public async Task Mentors_with_capacities_go_from_registration_to_the_report()
    {
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(Program))).StatusCode);
        await Register("Ana", "mentor", 5, "SQL", capacity: 2);
        await Register("Ben", "mentor", 4, "Leadership", capacity: 2);
        await Register("Bo", "mentee", 1, "SQL");
        await Register("Cy", "mentee", 2, "SQL");
        await Register("Di", "mentee", 1, "Leadership");
        await Register("Ed", "mentee", 2, "Leadership");
        await Register("Fay", "mentee", 1, "SQL");
        var refused = await server.Public().PostAsync("/api/programs/mentors/registrations",
            Http.Json("""{"email":"gil@example.com","name":"Gil","consent":true,"answers":{"role":"boss","level":"1"}}"""));
        Assert.Contains(("answers.role", "option-not-allowed"), (await refused.Problem(400)).Errors());

        // Preview: four mentees fit the two mentors' capacity; the fifth waits, and the reason says why.
        var preview = await (await server.Admin().PostAsync("/api/programs/mentors/match-preview", null)).Body();
        var pairs = preview["pairs"]!.AsArray();
        Assert.Equal(4, pairs.Count);
        Assert.Equal(2, pairs.Count(p => p!["a"]!["name"]!.GetValue<string>() == "Ana"));
        Assert.Equal(2, pairs.Count(p => p!["a"]!["name"]!.GetValue<string>() == "Ben"));
        Assert.All(pairs, p => Assert.Contains($"{p!["a"]!["name"]} will mentor {p["b"]!["name"]}", p["sentence"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.All(pairs, p => Assert.Equal(("mentor", "mentee"), (p!["a"]!["role"]!.GetValue<string>(), p["b"]!["role"]!.GetValue<string>())));
        var waiting = Assert.Single(preview["waitlist"]!.AsArray())!;
        Assert.Contains("no mentor with capacity left", waiting["explanation"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(preview["certificate"]!["isOptimal"]!.GetValue<bool>());

        // Window: close now, the draft goes to the admin; approving sends an intro to each member of every mentor/mentee pair.
        var window = await (await server.Admin().PostAsync("/api/programs/mentors/windows", Http.Json("{}"))).Body();
        Assert.Equal("awaitingDecision", window["state"]!["phase"]!.GetValue<string>());
        var draftMail = Assert.Single(await Mails(MailCategories.Draft));
        Assert.Contains("will mentor", draftMail.Message.HtmlBody, StringComparison.Ordinal);
        Assert.Empty(await Mails(MailCategories.Intro));
        var approve = DecisionLink().Match(draftMail.Message.HtmlBody).Value;
        Assert.Equal(HttpStatusCode.OK, (await server.Public().PostAsync(approve, new FormUrlEncodedContent([]))).StatusCode);
        var intros = await Mails(MailCategories.Intro);
        Assert.Equal(8, intros.Count); // one per member of each of the 4 pairs
        Assert.Equal(2, intros.Count(m => m.Message.To.Any(t => t.Email == "ana@example.com")));
        Assert.All(intros, m => Assert.Contains("will mentor", m.Message.Subject, StringComparison.Ordinal));
        Assert.All(intros, m => Assert.DoesNotContain("there is no mentor and mentee here", m.Message.TextBody, StringComparison.Ordinal));

        // Check-ins: a week later every member of every pair is nudged; one mentee reports a 60-minute meeting.
        clock.Advance(TimeSpan.FromDays(7.1));
        await server.Services.GetRequiredService<ScheduledJobRunner>().RunNowAsync(CheckInJob.JobName);
        await server.Services.GetRequiredService<WorkDispatcher>().DispatchDueAsync();
        var nudges = await Mails(CheckInMailCategories.CheckIn);
        Assert.Equal(8, nudges.Count);
        // Nudges name the partner by role: each of Ana's two mentees gets one about their mentor, Ana one per mentee.
        Assert.Matches("have you met your mentor (Ana|Ben)\\?$", nudges.First(m => m.Message.To[0].Email == "bo@example.com").Message.Subject);
        Assert.Equal(2, nudges.Count(m => m.Message.To[0].Email == "ana@example.com" && m.Message.Subject.Contains("have you met your mentee ", StringComparison.Ordinal)));
        var links = server.Services.GetRequiredService<ParticipantLinks>();
        var met = ParticipantLink().Matches(nudges.First(m => m.Message.To[0].Email == "bo@example.com").Message.HtmlBody)
            .Select(m => m.Value)
            .First(l => links.Verify(l["/api/links/".Length..], clock.GetUtcNow()).Grant is { Action: ParticipantAction.CheckInMet });
        Assert.Equal(HttpStatusCode.OK, (await server.Public().PostAsync(met, new FormUrlEncodedContent([KeyValuePair.Create("minutes", "60")]))).StatusCode);

        // Mid-program survey (day 45): the mail names whom it is about by role; answers are stored with the respondent's role.
        clock.Advance(TimeSpan.FromDays(38));
        await server.Services.GetRequiredService<ScheduledJobRunner>().RunNowAsync(SurveyJob.JobName);
        await server.Services.GetRequiredService<WorkDispatcher>().DispatchDueAsync();
        var surveys = await Mails(SurveyMail.InviteCategory);
        var anaSurvey = surveys.Single(m => m.Message.To[0].Email == "ana@example.com").Message;
        Assert.Matches("how mentoring is going with your mentees (Bo|Cy|Di|Ed|Fay) and (Bo|Cy|Di|Ed|Fay)", anaSurvey.TextBody);
        Assert.Equal("mentor", anaSurvey.CustomArgs["role"]);
        var boSurvey = surveys.Single(m => m.Message.To[0].Email == "bo@example.com").Message;
        Assert.Matches("how mentoring is going with your mentor (Ana|Ben)", boSurvey.TextBody);
        async Task Answer(MailMessage mail, string satisfaction, string nps)
        {
            var url = SurveyLink().Match(mail.TextBody).Value;
            var answered = await server.Public().PostAsync(url, new FormUrlEncodedContent([KeyValuePair.Create("satisfaction", satisfaction), KeyValuePair.Create("nps", nps)]));
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }
        await Answer(anaSurvey, "Very positive", "10");
        await Answer(boSurvey, "Neutral", "6");

        // Report: six people matched (two mentors, four mentees), four pairs, one meeting, one waitlisted; surveys by role.
        var report = await (await server.Admin().GetAsync("/api/programs/mentors/report")).Body();
        var total = report["total"]!;
        Assert.Equal(6, total["matched"]!.GetValue<int>());
        Assert.Equal(4, total["pairs"]!["active"]!.GetValue<int>());
        Assert.Equal(1, total["meetings"]!.GetValue<int>());
        var byRole = report["byRole"]!.AsArray().ToDictionary(r => r!["segment"]!.GetValue<string>(), r => r!["figures"]!);
        Assert.Equal(2, byRole["mentor"]["matched"]!.GetValue<int>());
        Assert.Equal(4, byRole["mentee"]["matched"]!.GetValue<int>());
        Assert.Equal(1, byRole["mentee"]["waitlisted"]!.GetValue<int>());
        var mid = (string role) => byRole[role]["surveys"]!.AsArray().Single(x => x!["key"]!.GetValue<string>() == "mid")!;
        Assert.Equal((2, 1), (mid("mentor")["responses"]!["sent"]!.GetValue<int>(), mid("mentor")["responses"]!["answered"]!.GetValue<int>()));
        Assert.Equal((4, 1), (mid("mentee")["responses"]!["sent"]!.GetValue<int>(), mid("mentee")["responses"]!["answered"]!.GetValue<int>()));
        Assert.Equal(100, mid("mentor")["nps"]!["score"]!.GetValue<int>());
        Assert.Equal(-100, mid("mentee")["nps"]!["score"]!.GetValue<int>());
        var load = report["mentorLoad"]!.AsArray().Select(l => (l!["name"]!.GetValue<string>(), l["activeMentees"]!.GetValue<int>(), l["capacity"]!.GetValue<int>()));
        Assert.Equal([("Ana", 2, 2), ("Ben", 2, 2)], load);

        // Exports: the long CSV and the workbook carry the role breakdown and the mentor load.
        var csv = await (await server.Admin().GetAsync("/api/programs/mentors/report?format=csv")).Content.ReadAsStringAsync();
        Assert.Contains("role,mentor,matched,2\r\n", csv, StringComparison.Ordinal);
        Assert.Contains("role,mentee,surveys.mid.responses.answered,1\r\n", csv, StringComparison.Ordinal);
        Assert.Contains("mentorLoad,Ana,activeMentees,2\r\nmentorLoad,Ana,capacity,2\r\nmentorLoad,Ana,freeSlots,0\r\n", csv, StringComparison.Ordinal);
        var loadCsv = System.Text.Encoding.UTF8.GetString(await (await server.Admin().GetAsync("/api/programs/mentors/report?format=csv&breakdown=mentorload")).Content.ReadAsByteArrayAsync());
        Assert.Equal("\uFEFFMentor,Active mentees,Capacity,Free slots\r\nAna,2,2,0\r\nBen,2,2,0\r\n", loadCsv);
        using var workbook = Workbook.Open(await (await server.Admin().GetAsync("/api/programs/mentors/report?format=xlsx")).Content.ReadAsByteArrayAsync());
        Assert.Equal(["Program", "By department", "By level", "By role", "Mentor load"], workbook.SheetNames);
        Assert.Equal(["Role", "mentor", "mentee"], workbook.Sheet("By role").Select(r => r[0]));
    }

    [Fact]
    public async Task A_shape_that_contradicts_the_program_is_refused_naming_the_field_and_nothing_is_stored()
    {
        var groups = Program.Replace("\"kind\": \"cohort\"", "\"kind\": \"groups\", \"groupSize\": 4", StringComparison.Ordinal);
        var problem = await (await server.Admin().PostAsync("/api/programs", Http.Json(groups))).Problem(400);
        Assert.Contains(("pairing", "out-of-range"), problem.Errors());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin().GetAsync("/api/programs/mentors")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_pairing_shapes_and_roles()
    {
        var document = await (await server.Public().GetAsync("/api/openapi.json")).Content.ReadAsStringAsync();
        foreach (var word in new[] { "\"pairing\"", "\"mentorMentee\"", "\"reverse\"", "\"maxMentees\"", "\"seniorityGap\"", "\"RematchBody\"", "\"matchId\"", "\"mentorLoad\"", "\"byRole\"" })
        {
            Assert.Contains(word, document, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Evergreen_mentors_take_new_mentees_up_to_their_capacity_and_a_rematch_frees_a_slot()
    {
        var evergreen = Program
            .Replace("\"kind\": \"cohort\"", "\"kind\": \"evergreen\", \"windows\": { \"evergreenRoundDays\": 28 }", StringComparison.Ordinal)
            .Replace("\"registration\": { \"opensAt\": \"2027-02-01T00:00:00Z\", \"closesAt\": \"2027-04-01T00:00:00Z\" },", "", StringComparison.Ordinal);
        var created = await server.Admin().PostAsync("/api/programs", Http.Json(evergreen));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        await Register("Ana", "mentor", 5, "SQL", capacity: 2);
        await Register("Bo", "mentee", 1, "SQL");
        await server.Admin().PostAsync("/api/programs/mentors/windows", Http.Json("{}"));
        await ApproveNewest();

        // Round 2: Ana still has one free slot; of two newcomers one gets it, the other waits for capacity.
        await Register("Cy", "mentee", 1, "SQL");
        await Register("Di", "mentee", 2, "SQL");
        // The preview counts Ana's active pair against her capacity, as the round will.
        var preview = await (await server.Admin().PostAsync("/api/programs/mentors/match-preview", null)).Body();
        Assert.Equal("Ana", Assert.Single(preview["pairs"]!.AsArray())!["a"]!["name"]!.GetValue<string>());
        Assert.Contains("no mentor with capacity left", Assert.Single(preview["waitlist"]!.AsArray())!["explanation"]!.GetValue<string>(), StringComparison.Ordinal);
        var round2 = await NextRound();
        var pair = Assert.Single(round2["pairs"]!.AsArray())!;
        Assert.Equal("Ana", pair["a"]!["name"]!.GetValue<string>());
        var waiting = Assert.Single(round2["waitlist"]!.AsArray())!;
        Assert.Contains("no mentor with capacity left", waiting["explanation"]!.GetValue<string>(), StringComparison.Ordinal);
        await ApproveNewest();

        // Bo asks for a rematch: the pair with Ana ends, which frees one of Ana's slots for whoever waited.
        var people = (await (await server.Admin().GetAsync("/api/programs/mentors/participants?pageSize=50")).Body())["items"]!.AsArray();
        string IdOf(string name) => people.Single(p => p!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<string>();
        var bo = IdOf("Bo");

        // Ana holds two mentees: a rematch must say which pair ends (one slot), and a refused request changes nothing.
        var unnamed = await (await server.Admin().PostAsync($"/api/programs/mentors/participants/{IdOf("Ana")}/rematch", null)).Problem(400);
        Assert.Contains(("matchId", "required"), unnamed.Errors());
        var stranger = await (await server.Admin().PostAsync($"/api/programs/mentors/participants/{IdOf("Ana")}/rematch", Http.Json("""{"matchId":"nope"}"""))).Problem(400);
        Assert.Contains(("matchId", "option-not-allowed"), stranger.Errors());
        Assert.Equal(2, (await (await server.Admin().GetAsync("/api/programs/mentors/matches?status=active")).Body())["items"]!.AsArray().Count);

        Assert.Equal(HttpStatusCode.OK, (await server.Admin().PostAsync($"/api/programs/mentors/participants/{bo}/rematch", null)).StatusCode);
        var round3 = await NextRound();
        var pairs = round3["pairs"]!.AsArray();
        Assert.Contains(pairs, p => p!["a"]!["name"]!.GetValue<string>() == "Ana" && p["b"]!["name"]!.GetValue<string>() == waiting["person"]!["name"]!.GetValue<string>());
        Assert.DoesNotContain(pairs, p => p!["b"]!["name"]!.GetValue<string>() == "Bo" && p["a"]!["name"]!.GetValue<string>() == "Ana");
    }

    private async Task ApproveNewest()
    {
        var newest = (await Mails(MailCategories.Draft)).OrderByDescending(m => m.QueuedAt).First();
        Assert.Equal(HttpStatusCode.OK, (await server.Public().PostAsync(DecisionLink().Match(newest.Message.HtmlBody).Value, new FormUrlEncodedContent([]))).StatusCode);
    }

    /// <summary>Moves the clock to the open evergreen window's closing and returns its draft.</summary>
    private async Task<JsonNode> NextRound()
    {
        var next = (await (await server.Admin().GetAsync("/api/programs/mentors/windows")).Body()).AsArray().Single(w => w!["phase"]!.GetValue<string>() == "open")!;
        clock.Set(next["closesAt"]!.GetValue<DateTimeOffset>());
        await server.Services.GetRequiredService<Mentoring.Sqlite.Windows.SqliteWindowHost>().RunDueAsync();
        return (await (await server.Admin().GetAsync($"/api/programs/mentors/windows/{next["windowId"]}")).Body())["currentDraft"]!["draft"]!;
    }
}
