using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mentoring.Core.Choosing;
using Mentoring.Core.Mail;
using Mentoring.Sqlite.Windows;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Choosing;

/// <summary>
/// A user-led mentor/mentee program on the embedded server (real HTTP, real SQLite): mentees choose mentors, a mentor
/// picks a mentee, a mentor fills up and the request still waiting on them closes kindly, and at the deadline the roles
/// engine matches the rest against the mentors' remaining capacity.
/// </summary>
public sealed partial class UserLedRolesFlowTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly MentoringServer server;
    private readonly Dictionary<string, string> ids = new(StringComparer.Ordinal);

    public UserLedRolesFlowTests() => server = new MentoringServer(folder, clock);

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
      "choosing": { "mode": "userLed", "suggestions": 4, "maxPicks": 2, "choosingDays": 3 },
      "registration": { "opensAt": "2027-02-01T00:00:00Z", "closesAt": "2027-04-01T00:00:00Z" },
      "adminEmails": ["hr@example.com"],
      "timeZone": "Europe/Berlin",
      "questionnaire": { "questions": [
        { "key": "level", "type": "ordinalScale", "options": ["1", "2", "3", "4", "5"] },
        { "key": "goals", "type": "multiChoice", "options": ["SQL", "Leadership"], "role": "overlap", "weight": 20 }
      ] }
    }
    """;

    [GeneratedRegex("/api/(choose|pair-requests|decisions)/[A-Za-z0-9_\\-\\.]+")]
    private static partial Regex Link();

    private async Task Register(string name, string role, int level, string goal, int? capacity = null)
    {
        var answers = new JsonObject { ["role"] = role, ["level"] = $"{level}", ["goals"] = new JsonArray(goal) };
        if (capacity is { } c)
        {
            answers["capacity"] = $"{c}";
        }
        var body = new JsonObject { ["email"] = $"{name.ToLowerInvariant()}@example.com", ["name"] = name, ["consent"] = true, ["answers"] = answers };
        var created = await (await server.Public().PostAsync("/api/programs/mentors/registrations", Http.Json(body.ToJsonString()))).Body();
        ids[name] = created["id"]!.GetValue<string>();
    }

    private Task<IReadOnlyList<StoredMail>> Mails(string category, string? to = null) =>
        server.Services.GetRequiredService<IMailbox>().ListAsync(new MailboxQuery { ProgramId = "mentors", Category = category, Recipient = to, Limit = 1000 });

    private async Task<string> LinkIn(string to, string path) =>
        (await Mails(ChoosingMail.Category, to)).SelectMany(m => Link().Matches(m.Message.HtmlBody)).Select(m => m.Value)
            .First(l => l.StartsWith(path, StringComparison.Ordinal));

    private async Task<string> Page(string url) => await (await server.Public().GetAsync(url)).Content.ReadAsStringAsync();

    private Task<HttpResponseMessage> Post(string url, params (string Key, string Value)[] fields) =>
        server.Public().PostAsync(url, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Key, f.Value))));

    private async Task<bool> Got(string to, string subject) =>
        (await Mails(ChoosingMail.Category, $"{to.ToLowerInvariant()}@example.com")).Any(m => m.Message.Subject.Contains(subject, StringComparison.Ordinal));

    [Fact]
    public async Task Mentees_choose_mentors_a_full_mentor_leaves_the_suggestions_and_the_engine_places_the_rest_by_remaining_capacity()
    {
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(Program))).StatusCode);
        await Register("Ana", "mentor", 5, "SQL", capacity: 2);
        await Register("Ben", "mentor", 4, "Leadership", capacity: 1);
        await Register("Bo", "mentee", 1, "SQL");
        await Register("Cy", "mentee", 2, "SQL");
        await Register("Di", "mentee", 1, "Leadership");
        await Register("Ed", "mentee", 2, "Leadership");
        var opened = await (await server.Admin().PostAsync("/api/programs/mentors/windows", Http.Json("{}"))).Body();
        var windowId = opened["state"]!["windowId"]!.GetValue<string>();
        Assert.True(await Got("Bo", "Choose your mentor by"));
        Assert.True(await Got("Ana", "Choose your mentees by"));

        // Bo's page offers mentors only, each marked as a possible mentor; Ana's offers mentees only.
        var boPage = await LinkIn("bo@example.com", ChoosingLinks.ChoosePath);
        var boHtml = await Page(boPage);
        Assert.Contains("<h1>Choose your mentor</h1>", boHtml, StringComparison.Ordinal);
        Assert.Contains("Could be your mentor", boHtml, StringComparison.Ordinal);
        Assert.Contains("Ana (your mentor)", boHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("Cy", boHtml, StringComparison.Ordinal);
        var anaPage = await LinkIn("ana@example.com", ChoosingLinks.ChoosePath);
        var anaHtml = await Page(anaPage);
        Assert.Contains("A mentee you could mentor", anaHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("Ben", anaHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(boPage, ("pick1", ids["Cy"]))).StatusCode); // a mentee is not offered to a mentee

        // Bo asks Ana, who accepts: one of her two places is taken, and each hears their role.
        Assert.Equal(HttpStatusCode.OK, (await Post(boPage, ("pick1", ids["Ana"]), ("fallback", "yes"))).StatusCode);
        Assert.True(await Got("Ana", "Bo would like you to be their mentor"));
        var boRequest = await LinkIn("ana@example.com", ChoosingLinks.RequestPath);
        Assert.Contains("Bo would like you to be their mentor", await Page(boRequest), StringComparison.Ordinal);
        Assert.Contains("you will mentor Bo", await (await Post(boRequest, ("answer", "accept"))).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await Got("Bo", "Ana is your mentor"));
        Assert.True(await Got("Ana", "You will mentor Bo"));

        // Di asks Ana too; then Ana picks Cy, who picks Ana back: mutual, and Ana is full. Di's request closes kindly.
        await Post(await LinkIn("di@example.com", ChoosingLinks.ChoosePath), ("pick1", ids["Ana"]), ("fallback", "yes"));
        await Post(anaPage, ("pick1", ids["Cy"]), ("fallback", "yes"));
        Assert.True(await Got("Cy", "Ana would like to be your mentor"));
        await Post(await LinkIn("cy@example.com", ChoosingLinks.ChoosePath), ("pick1", ids["Ana"]), ("fallback", "yes"));
        Assert.True(await Got("Cy", "Ana is your mentor"));
        Assert.True(await Got("Di", "Ana is fully matched"));
        Assert.DoesNotContain("Ana", await Page(await LinkIn("ed@example.com", ChoosingLinks.ChoosePath)), StringComparison.Ordinal);
        var diRequest = (await Mails(ChoosingMail.Category, "ana@example.com")).Where(m => m.Message.Subject.Contains("Di would like", StringComparison.Ordinal))
            .SelectMany(m => Link().Matches(m.Message.HtmlBody)).Select(m => m.Value).Single(l => l.StartsWith(ChoosingLinks.RequestPath, StringComparison.Ordinal));
        Assert.Contains("no longer open", await Page(diRequest), StringComparison.Ordinal); // Ana's late click changes nothing

        // The deadline: Ana keeps Bo and Cy; Ben (one place) takes one of Di and Ed, the other waits for want of capacity.
        clock.Advance(TimeSpan.FromDays(3.01));
        await server.Services.GetRequiredService<SqliteWindowHost>().RunDueAsync();
        var view = await (await server.Admin().GetAsync($"/api/programs/mentors/windows/{windowId}")).Body();
        Assert.Equal("awaitingDecision", view["state"]!["phase"]!.GetValue<string>());
        var draft = view["currentDraft"]!["draft"]!;
        var pairs = draft["pairs"]!.AsArray().Select(p => (Mentor: p!["a"]!["name"]!.GetValue<string>(), Mentee: p["b"]!["name"]!.GetValue<string>(), Pinned: p["pinned"]!.GetValue<bool>())).ToList();
        Assert.Contains(("Ana", "Bo", true), pairs);
        Assert.Contains(("Ana", "Cy", true), pairs);
        Assert.Single(pairs, p => p.Mentor == "Ben" && !p.Pinned);
        Assert.Equal(3, pairs.Count);
        var waiting = Assert.Single(draft["waitlist"]!.AsArray())!;
        Assert.Contains("no mentor with capacity left", waiting["explanation"]!.GetValue<string>(), StringComparison.Ordinal);

        var draftMail = Assert.Single(await Mails(MailCategories.Draft));
        Assert.Contains("Ana will mentor Bo", draftMail.Message.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Post(Link().Matches(draftMail.Message.HtmlBody).First().Value)).StatusCode);
        Assert.True((await Mails(MailCategories.Intro)).Count >= 6); // one per member of the three pairs
    }
}
