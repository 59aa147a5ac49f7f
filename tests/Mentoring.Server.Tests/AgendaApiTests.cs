using System.Net;
using System.Text.Json.Nodes;
using Mentoring.Server.Tests.Dashboard;
using Mentoring.Testing;

namespace Mentoring.Server.Tests;

/// <summary>GET /api/programs/{id}/agenda: the sessions pairs receive, as admins preview them before the intros go out.</summary>
public sealed class AgendaApiTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly MentoringServer server;

    public AgendaApiTests() => server = new MentoringServer(folder, new ManualClock());

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private static string WithAgendas(string agendas)
    {
        var program = JsonNode.Parse(Programs.Cohort())!.AsObject();
        program["agendas"] = JsonNode.Parse(agendas);
        return program.ToJsonString();
    }

    [Fact]
    public async Task A_program_without_its_own_agenda_previews_the_built_in_sessions()
    {
        await server.Admin().PostAsync("/api/programs", Http.Json(Programs.Cohort()));

        var agenda = await (await server.Admin().GetAsync("/api/programs/spring/agenda")).Body();

        Assert.Equal("spring", agenda["programId"]!.GetValue<string>());
        Assert.True(agenda["builtIn"]!.GetValue<bool>());
        var sessions = agenda["sessions"]!.AsArray();
        Assert.Equal(["Getting to know each other", "Setting goals", "Widening your network", "Looking back and ahead"],
            sessions.Select(s => s!["title"]!.GetValue<string>()));
        Assert.Equal(1, sessions[0]!["week"]!.GetValue<int>());
        Assert.True(sessions[0]!["prompts"]!.AsArray().Count >= 2);
    }

    [Fact]
    public async Task A_program_s_own_agenda_is_what_the_preview_shows()
    {
        var created = await server.Admin().PostAsync("/api/programs", Http.Json(WithAgendas("""
            [
              { "week": 1, "title": "Coffee and goals", "prompts": ["What brought you here?", "What would you like to learn?"], "activity": "Swap one book tip." },
              { "week": 6, "title": "Demo day", "prompts": ["Show one thing you built", "What would you do differently?"] }
            ]
            """)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var agenda = await (await server.Admin().GetAsync("/api/programs/spring/agenda")).Body();

        Assert.False(agenda["builtIn"]!.GetValue<bool>());
        Assert.Equal(["Coffee and goals", "Demo day"], agenda["sessions"]!.AsArray().Select(s => s!["title"]!.GetValue<string>()));
        Assert.Equal("Swap one book tip.", agenda["sessions"]![0]!["activity"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_dashboard_previews_the_program_s_own_sessions_with_each_role_s_prompts_as_plain_text()
    {
        var program = JsonNode.Parse(WithAgendas("""
            [
              { "week": 1, "title": "First coffee", "prompts": ["What brought you here?", "What would you like to learn?"],
                "mentorPrompts": ["Ask what <b>success</b> looks like", "Share one early mistake"],
                "menteePrompts": ["Bring one question", "Say how you like feedback"], "activity": "Swap one book tip." },
              { "week": 6, "title": "Demo day", "prompts": ["Show one thing you built", "What would you do differently?"] }
            ]
            """))!.AsObject();
        program["pairing"] = "mentorMentee";
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(program.ToJsonString()))).StatusCode);
        var browser = server.Browser();
        await browser.SignInAsOperator();

        var page = await browser.Html("/api/dashboard/programs/spring/agenda");

        Assert.Contains("<h2>Week 1: First coffee</h2>", page, StringComparison.Ordinal);
        Assert.Contains("<h2>Week 6: Demo day</h2>", page, StringComparison.Ordinal);
        Assert.Contains("own agenda.", page, StringComparison.Ordinal);
        Assert.Contains("<h3>Prompts for the mentor</h3>", page, StringComparison.Ordinal);
        Assert.Contains("<li>Bring one question</li>", page, StringComparison.Ordinal);
        Assert.Contains("Ask what &lt;b&gt;success&lt;/b&gt; looks like", page, StringComparison.Ordinal); // sent as written, shown as text
        Assert.Contains("Swap one book tip.", page, StringComparison.Ordinal);
        Assert.Contains("/api/dashboard/programs/spring/agenda", await browser.Html("/api/dashboard/programs/spring"), StringComparison.Ordinal);
        // Signed out, the page is not shown.
        Assert.NotEqual(HttpStatusCode.OK, (await server.Browser().GetAsync("/api/dashboard/programs/spring/agenda")).StatusCode);
    }

    [Fact]
    public async Task A_broken_agenda_is_refused_naming_the_field_and_no_program_is_created()
    {
        var response = await server.Admin().PostAsync("/api/programs", Http.Json(WithAgendas("""
            [ { "week": 1, "title": "Coffee", "prompts": ["Only one prompt"] } ]
            """)));

        var problem = await response.Problem(400);
        Assert.Contains(("agendas[0].prompts", "out-of-range"), problem.Errors());
        await (await server.Admin().GetAsync("/api/programs/spring")).Problem(404);
    }

    [Fact]
    public async Task The_agenda_of_an_unknown_program_is_404_and_without_the_admin_key_401()
    {
        await (await server.Admin().GetAsync("/api/programs/nope/agenda")).Problem(404);
        await server.Admin().PostAsync("/api/programs", Http.Json(Programs.Cohort()));
        await (await server.Public().GetAsync("/api/programs/spring/agenda")).Problem(401);
    }
}
