using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Mail;
using Mentoring.Server.Work;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Roles;

/// <summary>A led-groups program on the embedded server (real HTTP, real SQLite): register, preview, window, approve, intros, check-ins.</summary>
public sealed partial class LedGroupFlowTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly MentoringServer server;

    public LedGroupFlowTests() => server = new MentoringServer(folder, clock);

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private const string Program = """
    {
      "id": "circles",
      "name": "Leadership circles",
      "kind": "cohort",
      "pairing": "groupsLed",
      "roles": { "maxMentees": 3, "minMentees": 2, "seniorityGap": 1 },
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

    private async Task Register(string name, string role, int level, string goal, int? capacity = null)
    {
        var answers = new JsonObject { ["role"] = role, ["level"] = $"{level}", ["goals"] = new JsonArray(goal) };
        if (capacity is { } c)
        {
            answers["capacity"] = $"{c}";
        }
        var body = new JsonObject { ["email"] = $"{name.ToLowerInvariant()}@example.com", ["name"] = name, ["consent"] = true, ["answers"] = answers };
        var response = await server.Public().PostAsync("/api/programs/circles/registrations", Http.Json(body.ToJsonString()));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private Task<IReadOnlyList<StoredMail>> Mails(string category) =>
        server.Services.GetRequiredService<IMailbox>().ListAsync(new MailboxQuery { ProgramId = "circles", Category = category, Limit = 1000 });

    [Fact]
    public async Task Leads_get_groups_of_mentees_that_go_from_registration_to_intros_and_check_ins()
    {
        var created = await server.Admin().PostAsync("/api/programs", Http.Json(Program));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var refused = await server.Public().PostAsync("/api/programs/circles/registrations",
            Http.Json("""{"email":"gil@example.com","name":"Gil","consent":true,"answers":{"role":"mentor","capacity":"1"}}"""));
        Assert.Contains(("answers.capacity", "option-not-allowed"), (await refused.Problem(400)).Errors());

        await Register("Ana", "mentor", 5, "SQL", capacity: 3);
        await Register("Ben", "mentor", 4, "Leadership", capacity: 2);
        await Register("Bo", "mentee", 1, "SQL");
        await Register("Cy", "mentee", 2, "SQL");
        await Register("Di", "mentee", 1, "SQL");
        await Register("Ed", "mentee", 2, "Leadership");

        // Ben could take only Ed: a one-mentee group is dissolved, Ed joins Ana's group, Ben waits with the reason.
        var preview = await (await server.Admin().PostAsync("/api/programs/circles/match-preview", null)).Body();
        Assert.Empty(preview["pairs"]!.AsArray());
        var group = Assert.Single(preview["groups"]!.AsArray())!;
        Assert.Equal("Ana will lead a group with Bo, Cy and Di: ", group["sentence"]!.GetValue<string>()[..42]);
        var waiting = preview["waitlist"]!.AsArray().Select(w => (w!["person"]!["name"]!.GetValue<string>(), w["explanation"]!.GetValue<string>())).ToList();
        Assert.Contains(waiting, w => w.Item1 == "Ben" && w.Item2.Contains("Ben leads no group this round", StringComparison.Ordinal));
        Assert.Contains(waiting, w => w.Item1 == "Ed" && w.Item2.Contains("no group lead with room left who may take Ed: Ana has a full group", StringComparison.Ordinal));

        // A second Leadership mentee gives Ben a group of two.
        await Register("Fay", "mentee", 1, "Leadership");
        var window = await (await server.Admin().PostAsync("/api/programs/circles/windows", Http.Json("{}"))).Body();
        Assert.Equal("awaitingDecision", window["state"]!["phase"]!.GetValue<string>());
        var draftMail = Assert.Single(await Mails(MailCategories.Draft));
        Assert.Contains("Ana leads Bo, Cy and Di", draftMail.Message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Ben leads Ed and Fay", draftMail.Message.HtmlBody, StringComparison.Ordinal);
        Assert.Empty(await Mails(MailCategories.Intro));

        var approve = DecisionLink().Match(draftMail.Message.HtmlBody).Value;
        Assert.Equal(HttpStatusCode.OK, (await server.Public().PostAsync(approve, new FormUrlEncodedContent([]))).StatusCode);
        var intros = await Mails(MailCategories.Intro);
        Assert.Equal(7, intros.Count); // one per member of both groups
        var anaIntro = intros.Single(m => m.Message.To.Any(t => t.Email == "ana@example.com"));
        Assert.Equal(["ana@example.com"], anaIntro.Message.To.Select(t => t.Email));
        Assert.Contains("Ana will lead a group with Bo, Cy and Di", anaIntro.Message.TextBody, StringComparison.Ordinal);
        Assert.All(["bo@example.com", "cy@example.com", "di@example.com"], email => Assert.Contains(email, anaIntro.Message.TextBody, StringComparison.Ordinal));

        var matches = (await (await server.Admin().GetAsync("/api/programs/circles/matches")).Body())["items"]!.AsArray();
        Assert.Equal(2, matches.Count);
        Assert.All(matches, m => Assert.Equal(m!["match"]!["members"]![0]!["participantId"]!.GetValue<string>(), m["match"]!["leadId"]!.GetValue<string>()));

        // Check-ins reach every member of both groups.
        clock.Advance(TimeSpan.FromDays(7.1));
        await server.Services.GetRequiredService<ScheduledJobRunner>().RunNowAsync(CheckInJob.JobName);
        await server.Services.GetRequiredService<WorkDispatcher>().DispatchDueAsync();
        Assert.Equal(7, (await Mails(CheckInMailCategories.CheckIn)).Count);

        // Report: leads and mentees by the role they hold, and each lead's group against their capacity.
        var report = await (await server.Admin().GetAsync("/api/programs/circles/report")).Body();
        Assert.Equal(7, report["total"]!["matched"]!.GetValue<int>());
        var byRole = report["byRole"]!.AsArray().ToDictionary(r => r!["segment"]!.GetValue<string>(), r => r!["figures"]!);
        Assert.Equal(2, byRole["mentor"]["matched"]!.GetValue<int>());
        Assert.Equal(5, byRole["mentee"]["matched"]!.GetValue<int>());
        var load = report["mentorLoad"]!.AsArray().Select(l => (l!["name"]!.GetValue<string>(), l["activeMentees"]!.GetValue<int>(), l["capacity"]!.GetValue<int>()));
        Assert.Equal([("Ana", 3, 3), ("Ben", 2, 2)], load);
    }

    [Fact]
    public async Task Forbidding_a_lead_and_mentee_from_the_draft_mail_redrafts_without_that_link()
    {
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(Program))).StatusCode);
        await Register("Ana", "mentor", 5, "SQL", capacity: 3);
        await Register("Ben", "mentor", 4, "SQL", capacity: 3);
        await Register("Bo", "mentee", 1, "SQL");
        await Register("Cy", "mentee", 2, "SQL");
        await Register("Di", "mentee", 1, "SQL");
        await Register("Ed", "mentee", 2, "SQL");
        await Register("Fay", "mentee", 2, "SQL");
        await server.Admin().PostAsync("/api/programs/circles/windows", Http.Json("{}"));
        var v1 = Assert.Single(await Mails(MailCategories.Draft)).Message;
        var lead = Regex.Match(v1.TextBody, "[0-9]\\. (Ana|Ben) leads [^\\n]*\\bBo\\b").Groups[1].Value;
        var forbid = Regex.Match(v1.TextBody, $"Forbid {lead} & Bo and re-draft: \\S*?(?<path>/api/decisions/[A-Za-z0-9_\\-\\.]+)").Groups["path"].Value;
        Assert.NotEmpty(forbid);

        Assert.Equal(HttpStatusCode.OK, (await server.Public().PostAsync(forbid, new FormUrlEncodedContent([]))).StatusCode);
        var v2 = (await Mails(MailCategories.Draft)).Select(m => m.Message).Single(m => m.Subject.Contains("draft v2", StringComparison.Ordinal));
        Assert.Contains($"{lead} & Bo was forbidden", v2.TextBody, StringComparison.Ordinal);
        Assert.DoesNotMatch($"[0-9]\\. {lead} leads [^\\n]*\\bBo\\b", v2.TextBody);
        Assert.Matches("[0-9]\\. (Ana|Ben) leads [^\\n]*\\bBo\\b", v2.TextBody);
        Assert.Empty(await Mails(MailCategories.Intro));
    }

    [Fact]
    public async Task A_led_group_program_with_groups_out_of_two_to_six_is_refused_naming_the_field()
    {
        var big = Program.Replace("\"maxMentees\": 3", "\"maxMentees\": 7", StringComparison.Ordinal);
        var problem = await (await server.Admin().PostAsync("/api/programs", Http.Json(big))).Problem(400);
        Assert.Contains(("roles.maxMentees", "out-of-range"), problem.Errors());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin().GetAsync("/api/programs/circles")).StatusCode);
    }

    [Fact]
    public async Task In_an_evergreen_program_a_lead_holds_one_group_at_a_time()
    {
        var evergreen = Program
            .Replace("\"kind\": \"cohort\"", "\"kind\": \"evergreen\", \"windows\": { \"evergreenRoundDays\": 28 }", StringComparison.Ordinal)
            .Replace("\"registration\": { \"opensAt\": \"2027-02-01T00:00:00Z\", \"closesAt\": \"2027-04-01T00:00:00Z\" },", "", StringComparison.Ordinal);
        var created = await server.Admin().PostAsync("/api/programs", Http.Json(evergreen));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        await Register("Ana", "mentor", 5, "SQL", capacity: 3);
        await Register("Bo", "mentee", 1, "SQL");
        await Register("Cy", "mentee", 2, "SQL");
        await server.Admin().PostAsync("/api/programs/circles/windows", Http.Json("{}"));
        await ApproveNewest();

        // Round 2: Ana's group has a free seat, but a lead holds one group: the newcomers form Dan's group, and Ana
        // is not offered a second group (she is not in the round at all).
        await Register("Dan", "mentor", 4, "SQL", capacity: 2);
        await Register("Di", "mentee", 1, "SQL");
        await Register("Ed", "mentee", 2, "SQL");
        var next = (await (await server.Admin().GetAsync("/api/programs/circles/windows")).Body()).AsArray().Single(w => w!["phase"]!.GetValue<string>() == "open")!;
        clock.Set(next["closesAt"]!.GetValue<DateTimeOffset>());
        await server.Services.GetRequiredService<Mentoring.Sqlite.Windows.SqliteWindowHost>().RunDueAsync();
        var round2 = (await (await server.Admin().GetAsync($"/api/programs/circles/windows/{next["windowId"]}")).Body())["currentDraft"]!["draft"]!;
        var group = Assert.Single(round2["groups"]!.AsArray())!;
        Assert.Equal(["Dan", "Di", "Ed"], group["members"]!.AsArray().Select(m => m!["name"]!.GetValue<string>()));
        Assert.Empty(round2["waitlist"]!.AsArray());
        Assert.Equal(3, round2["stats"]!["people"]!.GetValue<int>());
    }

    private async Task ApproveNewest()
    {
        var newest = (await Mails(MailCategories.Draft)).OrderByDescending(m => m.QueuedAt).First();
        Assert.Equal(HttpStatusCode.OK, (await server.Public().PostAsync(DecisionLink().Match(newest.Message.HtmlBody).Value, new FormUrlEncodedContent([]))).StatusCode);
    }
}
