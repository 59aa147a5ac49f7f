using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mentoring.Core.Mail;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Roles;

/// <summary>An onboarding-buddies program on the embedded server (real HTTP, real SQLite): register, preview, window, approve, intros.</summary>
public sealed partial class BuddyFlowTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly MentoringServer server;

    public BuddyFlowTests() => server = new MentoringServer(folder, clock);

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private const string Program = """
    {
      "id": "onboarding",
      "name": "New hire buddies",
      "kind": "cohort",
      "pairing": "buddies",
      "buddies": { "kinds": [
        { "key": "culture", "eligibility": "cultureBuddy", "capacity": 2 },
        { "key": "role", "label": "role buddy", "eligibility": "roleBuddy", "capacity": 1 }
      ] },
      "registration": { "opensAt": "2027-02-01T00:00:00Z", "closesAt": "2027-04-01T00:00:00Z" },
      "adminEmails": ["hr@example.com"],
      "timeZone": "Europe/Berlin",
      "questionnaire": { "questions": [
        { "key": "department", "type": "singleChoice", "options": ["Sales", "Engineering", "Finance"], "role": "similar", "weight": 10 }
      ] }
    }
    """;

    [GeneratedRegex("/api/decisions/[A-Za-z0-9_\\-\\.]+")]
    private static partial Regex DecisionLink();

    private async Task Register(string name, string role, string department, bool culture = false, bool roleBuddy = false)
    {
        var answers = new JsonObject { ["role"] = role, ["department"] = department };
        if (role == "buddy")
        {
            answers["cultureBuddy"] = culture ? "yes" : "no";
            answers["roleBuddy"] = roleBuddy ? "yes" : "no";
        }
        var body = new JsonObject { ["email"] = $"{name.ToLowerInvariant()}@example.com", ["name"] = name, ["consent"] = true, ["answers"] = answers };
        var response = await server.Public().PostAsync("/api/programs/onboarding/registrations", Http.Json(body.ToJsonString()));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private Task<IReadOnlyList<StoredMail>> Mails(string category) =>
        server.Services.GetRequiredService<IMailbox>().ListAsync(new MailboxQuery { ProgramId = "onboarding", Category = category, Limit = 1000 });

    [Fact]
    public async Task Newcomers_get_a_buddy_of_each_kind_from_registration_to_one_intro_per_buddy()
    {
        var created = await server.Admin().PostAsync("/api/programs", Http.Json(Program));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        await Register("Bo", "newcomer", "Sales");
        await Register("Cy", "newcomer", "Engineering");
        await Register("Ana", "buddy", "Sales", culture: true, roleBuddy: true);
        await Register("Ben", "buddy", "Engineering", roleBuddy: true);
        await Register("Eve", "buddy", "Finance", culture: true);

        var preview = await (await server.Admin().PostAsync("/api/programs/onboarding/match-preview", null)).Body();
        var pairs = preview["pairs"]!.AsArray().Select(p => (Buddy: p!["a"]!["name"]!.GetValue<string>(), Newcomer: p["b"]!["name"]!.GetValue<string>(), Kind: p["buddyKind"]!.GetValue<string>())).ToList();
        Assert.Equal(4, pairs.Count);
        foreach (var newcomer in new[] { "Bo", "Cy" })
        {
            Assert.Equal(["culture", "role"], pairs.Where(p => p.Newcomer == newcomer).Select(p => p.Kind).Order());
            Assert.Equal(2, pairs.Where(p => p.Newcomer == newcomer).Select(p => p.Buddy).Distinct().Count());
        }
        Assert.True(preview["certificate"]!["isOptimal"]!.GetValue<bool>());

        await server.Admin().PostAsync("/api/programs/onboarding/windows", Http.Json("{}"));
        var draftMail = Assert.Single(await Mails(MailCategories.Draft));
        Assert.Contains("culture buddy", draftMail.Message.HtmlBody, StringComparison.Ordinal);
        Assert.Empty(await Mails(MailCategories.Intro));
        var approve = DecisionLink().Match(draftMail.Message.HtmlBody).Value;
        Assert.Equal(HttpStatusCode.OK, (await server.Public().PostAsync(approve, new FormUrlEncodedContent([]))).StatusCode);

        var intros = await Mails(MailCategories.Intro);
        Assert.Equal(8, intros.Count); // one per member of each of the 4 buddy pairs
        foreach (var (buddy, newcomer, kind) in pairs)
        {
            var label = kind == "culture" ? "culture buddy" : "role buddy";
            Assert.Single(intros, m => m.Message.To.Single().Name == newcomer
                && m.Message.TextBody.Contains($"{newcomer}, {buddy} is your {label} in New hire buddies.", StringComparison.Ordinal));
            Assert.Single(intros, m => m.Message.To.Single().Name == buddy
                && m.Message.TextBody.Contains($"{buddy}, you are {newcomer}'s {label} in New hire buddies.", StringComparison.Ordinal));
        }
        var matches = (await (await server.Admin().GetAsync("/api/programs/onboarding/matches")).Body())["items"]!.AsArray();
        Assert.Equal(["culture", "culture", "role", "role"], matches.Select(m => m!["match"]!["buddyKind"]!.GetValue<string>()).Order());

        // Report: newcomers and buddies by their registered role.
        var report = await (await server.Admin().GetAsync("/api/programs/onboarding/report")).Body();
        var byRole = report["byRole"]!.AsArray().ToDictionary(r => r!["segment"]!.GetValue<string>(), r => r!["figures"]!);
        Assert.Equal(["newcomer", "buddy"], byRole.Keys);
        Assert.Equal(2, byRole["newcomer"]["matched"]!.GetValue<int>());
        Assert.Empty(report["mentorLoad"]!.AsArray());
    }

    [Fact]
    public async Task A_buddies_program_without_kinds_is_refused_naming_the_field()
    {
        var noKinds = Regex.Replace(Program, "\"buddies\": \\{.*?\\] \\},", "", RegexOptions.Singleline);
        var problem = await (await server.Admin().PostAsync("/api/programs", Http.Json(noKinds))).Problem(400);
        Assert.Contains(("buddies.kinds", "required"), problem.Errors());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin().GetAsync("/api/programs/onboarding")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_led_groups_and_buddies()
    {
        var document = await (await server.Public().GetAsync("/api/openapi.json")).Content.ReadAsStringAsync();
        foreach (var word in new[] { "\"groupsLed\"", "\"buddies\"", "\"minMentees\"", "\"eligibility\"", "\"buddyKind\"", "\"leadId\"" })
        {
            Assert.Contains(word, document, StringComparison.Ordinal);
        }
    }
}
