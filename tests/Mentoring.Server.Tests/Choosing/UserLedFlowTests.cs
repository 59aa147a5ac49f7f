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
/// A user-led program on the embedded server (real HTTP, real SQLite): invitations, picks, a request accepted, a mutual
/// pick, a decline nobody hears about, the deadline's fallback, the approval and the intros.
/// </summary>
public sealed partial class UserLedFlowTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly MentoringServer server;

    public UserLedFlowTests() => server = new MentoringServer(folder, clock);

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private static string Program(bool autoApprove = false) => $$"""
    {
      "id": "coffee",
      "name": "Coffee pairs",
      "kind": "cohort",
      "choosing": { "mode": "userLed", "suggestions": 4, "maxPicks": 2, "choosingDays": 3, "autoApprove": {{(autoApprove ? "true" : "false")}} },
      "registration": { "opensAt": "2027-02-01T00:00:00Z", "closesAt": "2027-04-01T00:00:00Z" },
      "adminEmails": ["hr@example.com"],
      "timeZone": "Europe/Berlin",
      "questionnaire": { "questions": [
        { "key": "department", "label": "Department", "type": "singleChoice", "options": ["Sales", "Engineering", "Finance"], "role": "different", "weight": 10 },
        { "key": "goals", "label": "Goals", "type": "multiChoice", "options": ["SQL", "Leadership", "Negotiation"], "role": "overlap", "weight": 20 },
        { "key": "secret", "label": "Anything else", "type": "freeText" }
      ] }
    }
    """;

    [GeneratedRegex("/api/(choose|pair-requests|decisions)/[A-Za-z0-9_\\-\\.]+")]
    private static partial Regex Link();

    private readonly Dictionary<string, string> ids = new(StringComparer.Ordinal);

    private async Task SetUpAsync(bool autoApprove = false)
    {
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(Program(autoApprove)))).StatusCode);
        foreach (var (name, department, goal) in new[]
        {
            ("Ana", "Sales", "SQL"), ("Bo", "Engineering", "SQL"), ("Cy", "Finance", "Leadership"),
            ("Di", "Sales", "Leadership"), ("Ed", "Engineering", "Negotiation"), ("Fay", "Finance", "Negotiation"),
        })
        {
            var body = new JsonObject
            {
                ["email"] = $"{name.ToLowerInvariant()}@example.com", ["name"] = name, ["consent"] = true,
                ["answers"] = new JsonObject { ["department"] = department, ["goals"] = new JsonArray(goal), ["secret"] = $"{name}'s private note" },
            };
            var created = await (await server.Public().PostAsync("/api/programs/coffee/registrations", Http.Json(body.ToJsonString()))).Body();
            ids[name] = created["id"]!.GetValue<string>();
        }
    }

    private Task<IReadOnlyList<StoredMail>> Mails(string category, string? to = null) =>
        server.Services.GetRequiredService<IMailbox>().ListAsync(new MailboxQuery { ProgramId = "coffee", Category = category, Recipient = to, Limit = 1000 });

    private async Task<string> LinkIn(string category, string to, string path) =>
        (await Mails(category, to)).SelectMany(m => Link().Matches(m.Message.HtmlBody)).Select(m => m.Value)
            .First(l => l.StartsWith(path, StringComparison.Ordinal));

    private Task<HttpResponseMessage> Post(string url, params (string Key, string Value)[] fields) =>
        server.Public().PostAsync(url, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Key, f.Value))));

    private async Task<JsonNode> Window() =>
        (await (await server.Admin().GetAsync("/api/programs/coffee/windows")).Body()).AsArray()[0]!;

    [Fact]
    public async Task People_choose_their_partners_and_the_engine_pairs_whoever_is_left_at_the_deadline()
    {
        await SetUpAsync();
        var opened = await (await server.Admin().PostAsync("/api/programs/coffee/windows", Http.Json("{}"))).Body();
        Assert.Equal("choosing", opened["state"]!["phase"]!.GetValue<string>());
        Assert.Equal(6, (await Mails(ChoosingMail.Category)).Count);
        Assert.Empty(await Mails(MailCategories.Draft));

        // Ana's page: suggestions with name, department and shared reasons; no address and no free-text answer of anyone.
        var anaPage = await LinkIn(ChoosingMail.Category, "ana@example.com", ChoosingLinks.ChoosePath);
        var page = await (await server.Public().GetAsync(anaPage)).Content.ReadAsStringAsync();
        Assert.Contains("Bo", page, StringComparison.Ordinal);
        Assert.Contains("Department: Engineering", page, StringComparison.Ordinal);
        Assert.DoesNotContain("@example.com", page, StringComparison.Ordinal);
        Assert.DoesNotContain("private note", page, StringComparison.Ordinal);

        // Ana picks Bo: Bo is asked, and accepts; both hear they are a pair.
        Assert.Equal(HttpStatusCode.OK, (await Post(anaPage, ("pick1", ids["Bo"]), ("fallback", "yes"))).StatusCode);
        var request = await LinkIn(ChoosingMail.Category, "bo@example.com", ChoosingLinks.RequestPath);
        var requestPage = await (await server.Public().GetAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("Ana would like to pair with you", requestPage, StringComparison.Ordinal);
        Assert.Contains("What you have in common", requestPage, StringComparison.Ordinal); // the shared reasons, shown only when there are some
        clock.Advance(TimeSpan.FromHours(2)); // Bo answers two hours after choosing opened
        Assert.Equal(HttpStatusCode.OK, (await Post(request, ("answer", "accept"))).StatusCode);
        Assert.Contains((await Mails(ChoosingMail.Category, "ana@example.com")), m => m.Message.Subject.Contains("You and Bo are a pair", StringComparison.Ordinal));
        // Answered once: a later decline from the same link says so and changes nothing.
        Assert.Contains("already a pair", await (await Post(request, ("answer", "decline"))).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Cy and Di pick each other: a pair at once, without a request mail.
        await Post(await LinkIn(ChoosingMail.Category, "cy@example.com", ChoosingLinks.ChoosePath), ("pick1", ids["Di"]), ("fallback", "yes"));
        clock.Advance(TimeSpan.FromHours(4));
        await Post(await LinkIn(ChoosingMail.Category, "di@example.com", ChoosingLinks.ChoosePath), ("pick1", ids["Cy"]), ("fallback", "yes"));
        Assert.DoesNotContain(await Mails(ChoosingMail.Category, "cy@example.com"), m => m.Message.Subject.Contains("would like", StringComparison.Ordinal));
        Assert.Contains(await Mails(ChoosingMail.Category, "cy@example.com"), m => m.Message.Subject.Contains("You and Di are a pair", StringComparison.Ordinal));

        // Ed may no longer pick Ana (fully matched): refused, nothing changes. Fay picks Ed, who declines: Fay is never told.
        var edPage = await LinkIn(ChoosingMail.Category, "ed@example.com", ChoosingLinks.ChoosePath);
        Assert.DoesNotContain("Ana", await (await server.Public().GetAsync(edPage)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(edPage, ("pick1", ids["Ana"]))).StatusCode);
        await Post(await LinkIn(ChoosingMail.Category, "fay@example.com", ChoosingLinks.ChoosePath), ("pick1", ids["Ed"]), ("fallback", "yes"));
        Assert.Equal(HttpStatusCode.OK, (await Post(await LinkIn(ChoosingMail.Category, "ed@example.com", ChoosingLinks.RequestPath), ("answer", "decline"))).StatusCode);
        Assert.Single(await Mails(ChoosingMail.Category, "fay@example.com")); // the invitation, nothing more

        // The deadline: the two chosen pairs are kept. Ed said no to Fay, so the engine does not pair them after all: both
        // wait for the next round. The admin approves, the two pairs are introduced, and Ed and Fay get no intro.
        clock.Advance(TimeSpan.FromDays(3));
        await server.Services.GetRequiredService<SqliteWindowHost>().RunDueAsync();
        Assert.Equal("awaitingDecision", (await Window())["phase"]!.GetValue<string>());
        var draft = Assert.Single(await Mails(MailCategories.Draft));
        Assert.Empty(await Mails(MailCategories.Intro));
        Assert.Equal(HttpStatusCode.OK, (await Post(Link().Matches(draft.Message.HtmlBody).First().Value)).StatusCode);
        var intros = await Mails(MailCategories.Intro);
        foreach (var (a, b) in new[] { ("ana", "bo"), ("cy", "di") })
        {
            Assert.Contains(intros, m => m.Message.To.Any(t => t.Email == $"{a}@example.com") && m.Message.TextBody.Contains(char.ToUpperInvariant(b[0]) + b[1..], StringComparison.Ordinal));
        }
        Assert.DoesNotContain(intros, m => m.Message.To.Any(t => t.Email is "ed@example.com" or "fay@example.com"));
        // Nothing Fay receives names Ed, so she never learns who declined her.
        Assert.DoesNotContain((await Mails(null!, "fay@example.com")).Where(m => !m.Message.HtmlBody.Contains(ChoosingLinks.ChoosePath, StringComparison.Ordinal)), m => m.Message.TextBody.Contains("Ed", StringComparison.Ordinal));

        // The report: a mutual pick and an accepted request, no fallback pair; Ed's decline of Fay's request is 1 of 3
        // answered; Ana and Bo paired after 2 hours, Cy and Di after 6.
        var userLed = (await (await server.Admin().GetAsync("/api/programs/coffee/report")).Body())["userLed"]!;
        Assert.Equal((2, 1, 1, 0), (userLed["pairs"]!.GetValue<int>(), userLed["mutualPick"]!["pairs"]!.GetValue<int>(),
            userLed["acceptedRequest"]!["pairs"]!.GetValue<int>(), userLed["fallback"]!["pairs"]!.GetValue<int>()));
        Assert.Equal(0, userLed["fallback"]!["share"]!.GetValue<double>());
        var requests = userLed["requests"]!;
        Assert.Equal((3, 2, 1, 0, 3, 33.3), (requests["sent"]!.GetValue<int>(), requests["accepted"]!.GetValue<int>(), requests["declined"]!.GetValue<int>(),
            requests["lapsed"]!.GetValue<int>(), requests["answered"]!.GetValue<int>(), requests["declineRate"]!.GetValue<double>()));
        Assert.Equal((2, 4.0, 6.0), (userLed["timeToPair"]!["pairs"]!.GetValue<int>(), userLed["timeToPair"]!["medianHours"]!.GetValue<double>(),
            userLed["timeToPair"]!["maxHours"]!.GetValue<double>()));
        var csv = System.Text.Encoding.UTF8.GetString(await (await server.Admin().GetAsync("/api/programs/coffee/report?format=csv&breakdown=userled")).Content.ReadAsByteArrayAsync());
        Assert.Contains("Decline rate (of answered)", csv, StringComparison.Ordinal);
        Assert.EndsWith("Coffee pairs,1,2,1,50%,1,50%,0,0%,3,2,1,0,33.3%,4,6\r\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_user_led_report_figures()
    {
        var document = (await (await server.Public().GetAsync("/api/openapi.json")).Body())["components"]!["schemas"]!;
        Assert.NotNull(document["ProgramReportData"]!["properties"]!["userLed"]);
        foreach (var (schema, property) in new[] { ("UserLedFigures", "mutualPick"), ("UserLedFigures", "acceptedRequest"), ("UserLedFigures", "fallback"),
            ("UserLedFigures", "timeToPair"), ("RequestFigures", "declineRate"), ("RequestFigures", "answered"), ("TimeToPairFigures", "medianHours"),
            ("OriginFigures", "share"), ("PublishedMatch", "formedBy") })
        {
            Assert.True(document[schema]?["properties"]?[property] is not null, $"{schema}.{property} is not in the OpenAPI document.");
        }
    }

    [Fact]
    public async Task A_program_that_approves_automatically_publishes_at_the_deadline_and_tells_the_admins()
    {
        await SetUpAsync(autoApprove: true);
        await server.Admin().PostAsync("/api/programs/coffee/windows", Http.Json("{}"));
        await Post(await LinkIn(ChoosingMail.Category, "ana@example.com", ChoosingLinks.ChoosePath), ("auto", "yes"));
        // A second choice from the same link changes nothing.
        var again = await (await server.Public().GetAsync(await LinkIn(ChoosingMail.Category, "ana@example.com", ChoosingLinks.ChoosePath))).Content.ReadAsStringAsync();
        Assert.Contains("already sent your choice", again, StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromDays(3.01));
        await server.Services.GetRequiredService<SqliteWindowHost>().RunDueAsync();

        Assert.Equal("completed", (await Window())["phase"]!.GetValue<string>());
        Assert.Empty(await Mails(MailCategories.Draft));
        var decided = Assert.Single(await Mails(MailCategories.Decided));
        Assert.Contains("automatic", decided.Message.TextBody, StringComparison.OrdinalIgnoreCase);
        Assert.True((await Mails(MailCategories.Intro)).Count >= 3);
    }

    [Fact]
    public async Task Forged_or_foreign_links_show_an_invalid_page_and_change_nothing()
    {
        await SetUpAsync();
        await server.Admin().PostAsync("/api/programs/coffee/windows", Http.Json("{}"));
        var anaPage = await LinkIn(ChoosingMail.Category, "ana@example.com", ChoosingLinks.ChoosePath);

        Assert.Equal(HttpStatusCode.Forbidden, (await server.Public().GetAsync(anaPage + "x")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(anaPage.Replace("/api/choose/", "/api/pair-requests/", StringComparison.Ordinal), ("answer", "accept"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(anaPage, ("pick1", ids["Bo"]), ("pick2", ids["Bo"]))).StatusCode);
        Assert.Empty((await Window())["choosing"]!["chose"]!.AsArray());
    }
}
