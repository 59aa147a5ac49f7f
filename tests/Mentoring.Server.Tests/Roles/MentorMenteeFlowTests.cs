using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Mail;
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
        Assert.All(intros, m => Assert.Contains("will mentor", m.Message.HtmlBody, StringComparison.Ordinal));

        // Check-ins: a week later every member of every pair is nudged; one mentee reports a 60-minute meeting.
        clock.Advance(TimeSpan.FromDays(7.1));
        await server.Services.GetRequiredService<ScheduledJobRunner>().RunNowAsync(CheckInJob.JobName);
        await server.Services.GetRequiredService<WorkDispatcher>().DispatchDueAsync();
        var nudges = await Mails(CheckInMailCategories.CheckIn);
        Assert.Equal(8, nudges.Count);
        var links = server.Services.GetRequiredService<ParticipantLinks>();
        var met = ParticipantLink().Matches(nudges.First(m => m.Message.To[0].Email == "bo@example.com").Message.HtmlBody)
            .Select(m => m.Value)
            .First(l => links.Verify(l["/api/links/".Length..], clock.GetUtcNow()).Grant is { Action: ParticipantAction.CheckInMet });
        Assert.Equal(HttpStatusCode.OK, (await server.Public().PostAsync(met, new FormUrlEncodedContent([KeyValuePair.Create("minutes", "60")]))).StatusCode);

        // Report: six people matched (two mentors, four mentees), four pairs, one meeting, one waitlisted.
        var report = await (await server.Admin().GetAsync("/api/programs/mentors/report")).Body();
        var total = report["total"]!;
        Assert.Equal(6, total["matched"]!.GetValue<int>());
        Assert.Equal(4, total["pairs"]!["active"]!.GetValue<int>());
        Assert.Equal(1, total["meetings"]!.GetValue<int>());
        var byRole = report["byRole"]!.AsArray().ToDictionary(r => r!["segment"]!.GetValue<string>(), r => r!["figures"]!);
        Assert.Equal(2, byRole["mentor"]["matched"]!.GetValue<int>());
        Assert.Equal(4, byRole["mentee"]["matched"]!.GetValue<int>());
        Assert.Equal(1, byRole["mentee"]["waitlisted"]!.GetValue<int>());
        var load = report["mentorLoad"]!.AsArray().Select(l => (l!["name"]!.GetValue<string>(), l["activeMentees"]!.GetValue<int>(), l["capacity"]!.GetValue<int>()));
        Assert.Equal([("Ana", 2, 2), ("Ben", 2, 2)], load);
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
        foreach (var word in new[] { "\"pairing\"", "\"mentorMentee\"", "\"reverse\"", "\"maxMentees\"", "\"seniorityGap\"" })
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
        var round2 = await NextRound();
        var pair = Assert.Single(round2["pairs"]!.AsArray())!;
        Assert.Equal("Ana", pair["a"]!["name"]!.GetValue<string>());
        var waiting = Assert.Single(round2["waitlist"]!.AsArray())!;
        Assert.Contains("no mentor with capacity left", waiting["explanation"]!.GetValue<string>(), StringComparison.Ordinal);
        await ApproveNewest();

        // Bo asks for a rematch: the pair with Ana ends, which frees one of Ana's slots for whoever waited.
        var bo = (await (await server.Admin().GetAsync("/api/programs/mentors/participants?pageSize=50")).Body())["items"]!.AsArray()
            .Single(p => p!["name"]!.GetValue<string>() == "Bo")!["id"]!.GetValue<string>();
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
