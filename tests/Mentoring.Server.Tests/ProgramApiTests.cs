using System.Net;
using System.Net.Http.Headers;
using Mentoring.Core.Programs;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests;

public sealed class ProgramApiTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly MentoringServer server;

    public ProgramApiTests() => server = new MentoringServer(folder, new ManualClock());

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    [Fact]
    public async Task Creating_a_program_answers_201_with_its_location_and_etag()
    {
        var response = await server.Admin().PostAsync("/api/programs", Http.Json(Programs.Cohort()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/programs/spring", response.Headers.Location?.OriginalString);
        Assert.NotNull(response.Headers.ETag);
        var body = await response.Body();
        Assert.Equal("cohort", body["kind"]!.GetValue<string>());
        Assert.Equal("Europe/Berlin", body["timeZone"]!.GetValue<string>());
    }

    [Fact]
    public async Task Created_programs_are_listed_for_the_timers()
    {
        await server.Admin().PostAsync("/api/programs", Http.Json(Programs.Cohort()));
        await server.Admin().PostAsync("/api/programs", Http.Json(Programs.Cohort(id: "autumn")));
        var catalog = server.Services.GetRequiredService<ProgramCatalog>();
        Assert.Equal(["autumn", "spring"], (await catalog.ListIdsAsync()).Order());
    }

    [Fact]
    public async Task A_program_without_secrets_gets_a_generated_one()
    {
        var response = await server.Admin().PostAsync("/api/programs", Http.Json("""
            { "name": "Evergreen Coffee", "kind": "evergreen", "adminEmails": ["hr@example.com"] }
            """));
        var body = await response.Body();
        Assert.Equal("evergreen-coffee", body["id"]!.GetValue<string>());
        Assert.True(body["webhookSecrets"]![0]!.GetValue<string>().Length >= 32);
    }

    [Fact]
    public async Task Creating_the_same_id_twice_is_a_conflict()
    {
        var admin = server.Admin();
        await admin.PostAsync("/api/programs", Http.Json(Programs.Cohort()));
        var again = await admin.PostAsync("/api/programs", Http.Json(Programs.Cohort()));
        await again.Problem(409);
    }

    [Fact]
    public async Task Replacing_needs_the_current_etag()
    {
        var admin = server.Admin();
        var created = await admin.PostAsync("/api/programs", Http.Json(Programs.Cohort()));
        var etag = created.Headers.ETag!;

        var withoutEtag = await admin.PutAsync("/api/programs/spring", Http.Json(Programs.Cohort()));
        await withoutEtag.Problem(428);

        var first = new HttpRequestMessage(HttpMethod.Put, "/api/programs/spring") { Content = Http.Json(Programs.Cohort().Replace("Spring buddies", "Spring buddies 2027")) };
        first.Headers.IfMatch.Add(etag);
        var replaced = await admin.SendAsync(first);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.NotEqual(etag, replaced.Headers.ETag);

        var stale = new HttpRequestMessage(HttpMethod.Put, "/api/programs/spring") { Content = Http.Json(Programs.Cohort().Replace("Spring buddies", "Lost update")) };
        stale.Headers.IfMatch.Add(etag);
        await (await admin.SendAsync(stale)).Problem(412);

        var current = await (await admin.GetAsync("/api/programs/spring")).Body();
        Assert.Equal("Spring buddies 2027", current["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task If_match_star_replaces_whatever_version_is_current_and_a_list_matches_any_of_its_tags()
    {
        var admin = server.Admin();
        var created = await admin.PostAsync("/api/programs", Http.Json(Programs.Cohort()));
        var etag = created.Headers.ETag!;

        var star = new HttpRequestMessage(HttpMethod.Put, "/api/programs/spring") { Content = Http.Json(Programs.Cohort().Replace("Spring buddies", "Spring buddies 2027")) };
        star.Headers.TryAddWithoutValidation("If-Match", "*");
        var replaced = await admin.SendAsync(star);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);

        var listed = new HttpRequestMessage(HttpMethod.Put, "/api/programs/spring") { Content = Http.Json(Programs.Cohort().Replace("Spring buddies", "Spring buddies 2028")) };
        listed.Headers.TryAddWithoutValidation("If-Match", $"{etag}, {replaced.Headers.ETag}");
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(listed)).StatusCode);

        var weak = new HttpRequestMessage(HttpMethod.Put, "/api/programs/spring") { Content = Http.Json(Programs.Cohort()) };
        weak.Headers.TryAddWithoutValidation("If-Match", "W/" + (await admin.GetAsync("/api/programs/spring")).Headers.ETag);
        await (await admin.SendAsync(weak)).Problem(412);

        Assert.Equal("Spring buddies 2028", (await (await admin.GetAsync("/api/programs/spring")).Body())["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/programs/nope")
            { Content = Http.Json(Programs.Cohort("nope")), Headers = { { "If-Match", "*" } } })).StatusCode);
    }

    [Fact]
    public async Task An_invalid_program_is_refused_naming_each_field()
    {
        var response = await server.Admin().PostAsync("/api/programs", Http.Json("""
            { "id": "x", "name": "", "kind": "groups", "groupSize": 9, "adminEmails": [] }
            """));
        var problem = await response.Problem(400);
        Assert.Equal([("name", "required"), ("groupSize", "out-of-range"), ("adminEmails", "required")], problem.Errors());
        await (await server.Admin().GetAsync("/api/programs/x")).Problem(404);
    }

    [Fact]
    public async Task An_unknown_program_is_404()
    {
        await (await server.Admin().GetAsync("/api/programs/nope")).Problem(404);
    }

    [Fact]
    public async Task Admin_calls_without_a_valid_key_are_401()
    {
        var anonymous = await server.Public().PostAsync("/api/programs", Http.Json(Programs.Cohort()));
        var anonymousProblem = await anonymous.Problem(401);
        Assert.Contains("x-functions-key", anonymousProblem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var wrong = server.Public();
        wrong.DefaultRequestHeaders.Add("x-functions-key", "guess");
        await (await wrong.GetAsync("/api/programs/spring")).Problem(401);

        await (await server.Admin().GetAsync("/api/programs/spring")).Problem(404);
    }

    [Fact]
    public async Task With_no_admin_key_configured_admin_calls_are_refused()
    {
        using var folder2 = new TempFolder();
        using var keyless = new MentoringServer(folder2, new ManualClock(), adminKeys: null);
        var client = keyless.Public();
        client.DefaultRequestHeaders.Add("x-functions-key", "");
        var problem = await (await client.PostAsync("/api/programs", Http.Json(Programs.Cohort()))).Problem(401);
        Assert.Contains("Mentoring__AdminKeys", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_route()
    {
        var document = await (await server.Public().GetAsync("/api/openapi.json")).Body();
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/programs", paths);
        Assert.Contains("/api/programs/{programId}", paths);
        Assert.Contains("/api/programs/{programId}/registrations", paths);
        Assert.Contains("/api/programs/{programId}/participants", paths);
        Assert.Contains("/api/programs/{programId}/participants/{participantId}", paths);
    }

    [Fact]
    public async Task Programs_survive_a_restart_on_the_same_file()
    {
        await server.Admin().PostAsync("/api/programs", Http.Json(Programs.Cohort()));
        server.Dispose();

        using var restarted = new MentoringServer(folder, new ManualClock());
        var response = await restarted.Admin().GetAsync("/api/programs/spring");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(File.Exists(restarted.DatabasePath));
    }
}
