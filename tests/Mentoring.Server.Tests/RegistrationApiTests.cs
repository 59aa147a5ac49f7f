using System.Net;
using System.Text.Json.Nodes;
using Mentoring.Testing;

namespace Mentoring.Server.Tests;

public sealed class RegistrationApiTests : IAsyncLifetime, IDisposable
{
    private const string Url = "/api/programs/spring/registrations";
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly MentoringServer server;

    public RegistrationApiTests() => server = new MentoringServer(folder, clock);

    public async Task InitializeAsync() =>
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(Programs.Cohort()))).StatusCode);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private const string Ana = """
        { "email": "Ana@Example.com", "name": "Ana Silva", "consent": true,
          "answers": { "department": "Sales", "level": 3, "goals": ["Negotiation", "SQL"], "timeZone": "Europe/Lisbon" } }
        """;

    private async Task<JsonArray> Participants(string query = "")
    {
        var page = await (await server.Admin().GetAsync($"/api/programs/spring/participants{query}")).Body();
        return page["items"]!.AsArray();
    }

    [Fact]
    public async Task A_signup_is_stored_and_answered_201_with_its_location()
    {
        var response = await server.Public().PostAsync(Url, Http.Json(Ana));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var participant = await response.Body();
        var id = participant["id"]!.GetValue<string>();
        Assert.Equal($"/api/programs/spring/participants/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("ana@example.com", participant["email"]!.GetValue<string>());
        Assert.Equal("registered", participant["status"]!.GetValue<string>());
        Assert.Equal("3", participant["answers"]!["level"]![0]!.GetValue<string>());
        Assert.Equal("2027-03-01T09:00:00+00:00", participant["consentedAt"]!.GetValue<string>());

        var fetched = await (await server.Admin().GetAsync(response.Headers.Location)).Body();
        Assert.Equal("Ana Silva", fetched["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_email_again_updates_the_one_participant()
    {
        var first = await (await server.Public().PostAsync(Url, Http.Json(Ana))).Body();
        clock.Advance(TimeSpan.FromHours(1));
        var again = await server.Public().PostAsync(Url, Http.Json(Ana.Replace("Ana@Example.com", " ANA@example.COM").Replace("\"Sales\"", "\"Finance\"")));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var updated = await again.Body();
        Assert.Equal(first["id"]!.GetValue<string>(), updated["id"]!.GetValue<string>());
        Assert.Equal("Finance", updated["answers"]!["department"]![0]!.GetValue<string>());
        Assert.Single(await Participants());
    }

    [Fact]
    public async Task Fifty_concurrent_signups_with_one_email_make_one_participant()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => server.Public().PostAsync(Url, Http.Json(Ana))));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Single(await Participants());
    }

    [Fact]
    public async Task Before_the_window_opens_a_signup_is_refused_409_as_not_taking_registrations()
    {
        clock.Set(new DateTimeOffset(2027, 1, 15, 0, 0, 0, TimeSpan.Zero));
        var problem = await (await server.Public().PostAsync(Url, Http.Json(Ana))).Problem(409);
        Assert.Equal(Core.Registration.ParticipantRegistry.NotOpen, problem["detail"]!.GetValue<string>());
        Assert.Empty(await Participants());
    }

    [Fact]
    public async Task After_the_window_closes_a_signup_is_refused_409_as_not_taking_registrations()
    {
        clock.Set(new DateTimeOffset(2027, 4, 1, 0, 0, 0, TimeSpan.Zero));
        var problem = await (await server.Public().PostAsync(Url, Http.Json(Ana))).Problem(409);
        Assert.Equal(Core.Registration.ParticipantRegistry.NotOpen, problem["detail"]!.GetValue<string>());
        Assert.Empty(await Participants());
    }

    [Fact]
    public async Task A_signup_to_an_unknown_program_is_answered_exactly_as_to_a_closed_one_so_program_ids_cannot_be_probed()
    {
        var unknown = await server.Public().PostAsync("/api/programs/nope/registrations", Http.Json(Ana));
        clock.Set(new DateTimeOffset(2027, 4, 1, 0, 0, 0, TimeSpan.Zero)); // spring has closed
        var closed = await server.Public().PostAsync(Url, Http.Json(Ana));

        Assert.Equal(closed.StatusCode, unknown.StatusCode);
        Assert.Equal((await closed.Problem(409)).ToJsonString(), (await unknown.Problem(409)).ToJsonString());
    }

    [Fact]
    public async Task A_signup_with_broken_contact_fields_gets_the_same_400_whether_or_not_the_program_exists()
    {
        const string Broken = """{ "email": "<ana@example.com>", "name": "Ana\u001b[2J", "consent": false }""";

        var unknown = await (await server.Public().PostAsync("/api/programs/nope/registrations", Http.Json(Broken))).Problem(400);
        var known = await (await server.Public().PostAsync(Url, Http.Json(Broken))).Problem(400);

        Assert.Equal(["email", "name", "consent"], unknown.Errors().Select(e => e.Field));
        Assert.Equal(known.ToJsonString(), unknown.ToJsonString());
    }

    [Fact]
    public async Task Withdrawing_keeps_the_record_and_the_status_filter_sees_it()
    {
        var ana = await (await server.Public().PostAsync(Url, Http.Json(Ana))).Body();
        await server.Public().PostAsync(Url, Http.Json(Ana.Replace("Ana@Example.com", "bo@example.com")));

        var withdrawn = await server.Admin().DeleteAsync($"/api/programs/spring/participants/{ana["id"]}");
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal("withdrawn", (await withdrawn.Body())["status"]!.GetValue<string>());

        Assert.Single(await Participants("?status=withdrawn"));
        Assert.Single(await Participants("?status=registered"));
        Assert.Equal(2, (await Participants()).Count);
        await (await server.Admin().DeleteAsync("/api/programs/spring/participants/p_nobody")).Problem(404);
    }

    [Fact]
    public async Task Participants_page_with_a_continuation_token()
    {
        for (var i = 0; i < 7; i++)
        {
            await server.Public().PostAsync(Url, Http.Json(Ana.Replace("Ana@Example.com", $"person{i}@example.com")));
        }
        var seen = new HashSet<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var url = "/api/programs/spring/participants?pageSize=3" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await (await server.Admin().GetAsync(url)).Body();
            foreach (var item in page["items"]!.AsArray())
            {
                Assert.True(seen.Add(item!["id"]!.GetValue<string>()));
            }
            token = page["continuationToken"]?.GetValue<string>();
            pages++;
        }
        while (token is not null);
        Assert.Equal(7, seen.Count);
        Assert.Equal(3, pages);
    }

    [Theory]
    [InlineData("ana\\u0000@example.com", "control-character")]
    [InlineData("ana\\u001b@example.com", "control-character")]
    [InlineData("ana\\u007f@example.com", "control-character")]
    [InlineData("an\\u200ba@example.com", "control-character")]
    [InlineData("\\u202eana@example.com", "control-character")]
    [InlineData("<ana@example.com>", "address-only")]
    [InlineData("Ana Silva <ana@example.com>", "address-only")]
    [InlineData("\\ud83d\\ude00@example.com", "ascii-local-part")]
    [InlineData("ana@example", "invalid-email")]
    public async Task An_address_that_cannot_be_delivered_is_refused_400_naming_the_field_and_rule_and_nothing_is_stored(string email, string rule)
    {
        var problem = await (await server.Public().PostAsync(Url, Http.Json(Ana.Replace("Ana@Example.com", email, StringComparison.Ordinal)))).Problem(400);

        Assert.Contains(problem.Errors(), e => e.Field == "email" && e.Rule == rule);
        Assert.Empty(await Participants());
    }

    [Theory]
    [InlineData("Ana\\r\\nBcc: all@example.com")]
    [InlineData("Ana\\u0000")]
    [InlineData("\\u001b[31mAna")]
    [InlineData("Ana\\u202e")]
    public async Task A_name_with_a_control_or_format_character_is_refused_400_naming_the_field_and_rule_and_nothing_is_stored(string name)
    {
        var problem = await (await server.Public().PostAsync(Url, Http.Json(Ana.Replace("Ana Silva", name, StringComparison.Ordinal)))).Problem(400);

        Assert.Contains(problem.Errors(), e => e.Field == "name" && e.Rule == "control-character");
        Assert.Empty(await Participants());
    }

    [Fact]
    public async Task A_program_name_with_a_line_break_is_refused_400_naming_the_field_and_rule()
    {
        var problem = await (await server.Admin().PostAsync("/api/programs",
            Http.Json(Programs.Cohort("autumn")
                .Replace("\"name\": \"Spring buddies\"", "\"name\": \"Autumn\\r\\nBcc: all@example.com\"", StringComparison.Ordinal)))).Problem(400);

        Assert.Contains(problem.Errors(), e => e.Field == "name" && e.Rule == "control-character");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await server.Admin().GetAsync("/api/programs/autumn")).StatusCode);
    }

    [Fact]
    public async Task Two_spellings_of_an_internationalised_domain_are_one_participant_stored_in_ascii()
    {
        var first = await server.Public().PostAsync(Url, Http.Json(Ana.Replace("Ana@Example.com", "Ana@Bücher.Example", StringComparison.Ordinal)));
        var again = await server.Public().PostAsync(Url, Http.Json(Ana.Replace("Ana@Example.com", "ana@xn--bcher-kva.example", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("ana@xn--bcher-kva.example", Assert.Single(await Participants())!["email"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("?status=sleeping", "status")]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=many", "pageSize")]
    [InlineData("?continuationToken=%%%", "continuationToken")]
    public async Task Bad_list_parameters_are_400_naming_the_parameter(string query, string field)
    {
        var problem = await (await server.Admin().GetAsync("/api/programs/spring/participants" + query)).Problem(400);
        Assert.Contains(field, problem.Errors().Select(e => e.Field));
    }
}
