using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Tests.Registration.Webhooks;
using Mentoring.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mentoring.Server.Tests;

/// <summary>
/// What forms tools send after the first delivery, through the real pipeline and SQLite file, per provider: test
/// deliveries, partial responses, edits (answers, address), late and racing versions, and the withdrawal rules.
/// </summary>
public sealed class WebhookLifecycleTests : IAsyncLifetime, IDisposable
{
    private const string Secret = "whsec-current-0123456789";
    private const string Program = "forms";
    private readonly TempFolder folder = new();
    private readonly ManualClock clock = new(WebhookScenarios.FirstSubmittedAt.AddMinutes(-30));
    private readonly CapturedLogs logs = new();
    private readonly MentoringServer server;

    public WebhookLifecycleTests()
    {
        server = new MentoringServer(folder, clock);
        // Whatever level an operator configures, no log line may carry a webhook secret.
        server.Settings["Logging:LogLevel:Default"] = "Trace";
        server.Settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        server.ExtraServices = (_, services) => services.AddSingleton<ILoggerProvider>(logs);
    }

    public static TheoryData<string> Providers => [.. WebhookFixtures.Providers];
    public static TheoryData<string> TimedProviders => [.. WebhookScenarios.TimedProviders];
    public static TheoryData<string> ProvidersWithTestDelivery => [.. WebhookScenarios.ProvidersWithTestDelivery];

    public async Task InitializeAsync()
    {
        var program = new JsonObject
        {
            ["id"] = Program,
            ["name"] = "Forms signups",
            ["kind"] = "evergreen",
            ["adminEmails"] = new JsonArray("hr@example.com"),
            ["webhookSecrets"] = new JsonArray(Secret),
            ["fieldMaps"] = new JsonObject(WebhookFixtures.Providers.Select(p => KeyValuePair.Create<string, JsonNode?>(p,
                JsonSerializer.SerializeToNode(WebhookFixtures.FieldMap(p))))),
        };
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(program.ToJsonString()))).StatusCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private Task<HttpResponseMessage> Deliver(string provider, byte[] body, string extraQuery = "")
    {
        var delivery = WebhookFixtures.SignedWith(provider, Secret, body);
        var query = delivery.QueryString + (extraQuery.Length == 0 ? "" : (delivery.QueryString.Length == 0 ? "?" : "&") + extraQuery);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/programs/{Program}/webhooks/{provider}{query}") { Content = new ByteArrayContent(delivery.Body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", delivery.ContentType);
        foreach (var (name, value) in delivery.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return server.Public().SendAsync(request);
    }

    private static async Task<JsonNode> Ok(Task<HttpResponseMessage> sending, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = await sending;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private async Task<List<JsonNode>> Participants(string status = "")
    {
        var body = await (await server.Admin().GetAsync($"/api/programs/{Program}/participants?pageSize=500{(status.Length == 0 ? "" : "&status=" + status)}")).Body();
        return [.. body["items"]!.AsArray().Select(i => i!)];
    }

    private static string Zone(JsonNode participant) => participant["answers"]!["timeZone"]![0]!.GetValue<string>();

    private async Task WithdrawThroughTheirOwnLink(string participantId)
    {
        var links = server.Services.GetRequiredService<ParticipantLinks>();
        var token = links.Sign(new ParticipantGrant
        {
            ProgramId = Program,
            ParticipantId = participantId,
            Action = ParticipantAction.Withdraw,
            ExpiresAtUnix = clock.GetUtcNow().AddDays(30).ToUnixTimeSeconds(),
        });
        var left = await server.Public().PostAsync("/api/links/" + token, new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.OK, left.StatusCode);
    }

    [Fact]
    public async Task A_typeform_delivery_whose_answers_carry_only_field_ids_registers_through_the_definition_refs()
    {
        var participant = await Ok(Deliver(WebhookFixtures.Typeform, WebhookScenarios.TypeformWithoutRefs()), HttpStatusCode.Created);

        Assert.Equal(WebhookFixtures.DefaultEmail, participant["email"]!.GetValue<string>());
        Assert.Equal(WebhookFixtures.ExpectedName, participant["name"]!.GetValue<string>());
        Assert.Equal(WebhookFixtures.ExpectedDepartment, participant["answers"]!["department"]![0]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(ProvidersWithTestDelivery))]
    public async Task The_providers_own_test_delivery_is_answered_as_a_test_and_registers_nobody(string provider)
    {
        var answer = await Ok(Deliver(provider, WebhookScenarios.ProviderTestDelivery(provider)!));

        Assert.True(answer["test"]!.GetValue<bool>());
        Assert.Equal("provider-test-delivery", answer["marker"]!.GetValue<string>());
        Assert.Empty(await Participants());
        var expectedName = provider == WebhookFixtures.Typeform ? "Lorem ipsum dolor" : WebhookFixtures.ExpectedName;
        Assert.Equal(expectedName, answer["wouldStore"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Typeforms_test_request_passes_even_when_its_dummy_choice_is_not_an_option_and_says_why_nobody_would_register()
    {
        var program = new JsonObject
        {
            ["id"] = "choices",
            ["name"] = "Choices",
            ["kind"] = "evergreen",
            ["adminEmails"] = new JsonArray("hr@example.com"),
            ["webhookSecrets"] = new JsonArray(Secret),
            ["fieldMaps"] = new JsonObject { ["typeform"] = JsonSerializer.SerializeToNode(WebhookFixtures.FieldMap(WebhookFixtures.Typeform)) },
            ["questionnaire"] = JsonNode.Parse("""
                { "questions": [ { "key": "department", "type": "singleChoice", "options": ["Sales", "Engineering", "Finance"], "required": true, "role": "different", "weight": 10 } ] }
                """),
        };
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(program.ToJsonString()))).StatusCode);
        var delivery = WebhookFixtures.SignedWith(WebhookFixtures.Typeform, Secret, WebhookScenarios.ProviderTestDelivery(WebhookFixtures.Typeform)!);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/programs/choices/webhooks/typeform") { Content = new ByteArrayContent(delivery.Body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", delivery.ContentType);
        request.Headers.TryAddWithoutValidation("Typeform-Signature", delivery.Headers["Typeform-Signature"]);

        var answer = await Ok(server.Public().SendAsync(request));

        Assert.True(answer["test"]!.GetValue<bool>());
        Assert.Null(answer["wouldStore"]);
        Assert.Contains(answer["problems"]!.AsArray(), p => p!["rule"]!.GetValue<string>() == "option-not-allowed");
        var list = await (await server.Admin().GetAsync("/api/programs/choices/participants")).Body();
        Assert.Empty(list["items"]!.AsArray());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task With_test_true_in_the_url_a_delivery_answers_what_would_be_stored_and_stores_nothing(string provider)
    {
        var answer = await Ok(Deliver(provider, WebhookFixtures.Body(provider), "test=true"));

        Assert.True(answer["test"]!.GetValue<bool>());
        Assert.Equal("test-parameter", answer["marker"]!.GetValue<string>());
        Assert.Equal("create", answer["would"]!.GetValue<string>());
        Assert.Equal(WebhookFixtures.DefaultEmail, answer["wouldStore"]!["email"]!.GetValue<string>());
        Assert.Equal(WebhookFixtures.ExpectedTimeZone, Zone(answer["wouldStore"]!));
        Assert.Empty(await Participants());

        // Not even the submission id was recorded: the real delivery afterwards registers.
        await Ok(Deliver(provider, WebhookFixtures.Body(provider)), HttpStatusCode.Created);
    }

    [Fact]
    public async Task With_test_true_a_delivery_that_breaks_the_questionnaire_gets_the_problem_a_real_one_would()
    {
        var body = WebhookScenarios.Version(WebhookFixtures.Generic, "Mars/Olympus_Mons", 0);

        var problem = await (await Deliver(WebhookFixtures.Generic, body, "test=true")).Problem(400);

        Assert.Contains(problem.Errors(), e => e.Field == "timeZone");
        Assert.Empty(await Participants());
    }

    [Fact]
    public async Task A_test_parameter_that_is_not_a_boolean_is_400_naming_it()
    {
        var problem = await (await Deliver(WebhookFixtures.Generic, WebhookFixtures.Body(WebhookFixtures.Generic), "test=maybe")).Problem(400);
        Assert.Contains(("test", "format"), problem.Errors());
        Assert.Empty(await Participants());
    }

    [Fact]
    public async Task A_typeform_partial_response_is_acknowledged_and_stores_nothing()
    {
        var answer = await Ok(Deliver(WebhookFixtures.Typeform, WebhookScenarios.TypeformPartial()));

        Assert.True(answer["ignored"]!.GetValue<bool>());
        Assert.Equal("partial-response", answer["reason"]!.GetValue<string>());
        Assert.Empty(await Participants());
        Assert.Contains(logs.Lines, l => l.Contains("PartialResponseIgnored", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_edit_of_a_submission_updates_the_same_participant_in_place(string provider)
    {
        var first = await Ok(Deliver(provider, WebhookFixtures.Body(provider)), HttpStatusCode.Created);
        clock.Advance(TimeSpan.FromMinutes(5));

        var edited = await Ok(Deliver(provider, WebhookScenarios.Version(provider, "Europe/Paris", 5)));

        Assert.Equal(first["id"]!.GetValue<string>(), edited["id"]!.GetValue<string>());
        var only = Assert.Single(await Participants());
        Assert.Equal("Europe/Paris", Zone(only));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_edit_that_changes_the_address_moves_the_participant_and_records_the_move(string provider)
    {
        var first = await Ok(Deliver(provider, WebhookFixtures.Body(provider)), HttpStatusCode.Created);
        clock.Advance(TimeSpan.FromMinutes(5));

        var moved = await Ok(Deliver(provider, WebhookScenarios.Version(provider, "Europe/Paris", 5, email: "ada@newmail.example.com")), HttpStatusCode.Created);

        var registered = Assert.Single(await Participants("registered"));
        Assert.Equal("ada@newmail.example.com", registered["email"]!.GetValue<string>());
        Assert.Equal("Europe/Paris", Zone(registered));
        Assert.Equal(first["id"]!.GetValue<string>(), registered["movedFrom"]!.GetValue<string>());
        var old = Assert.Single(await Participants("withdrawn"));
        Assert.Equal(first["id"]!.GetValue<string>(), old["id"]!.GetValue<string>());
        Assert.Equal(moved["id"]!.GetValue<string>(), old["movedTo"]!.GetValue<string>());
        Assert.Equal("moved", old["withdrawnBy"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_late_retry_of_the_first_version_leaves_the_edit_in_place_and_changes_nothing(string provider)
    {
        await Ok(Deliver(provider, WebhookFixtures.Body(provider)), HttpStatusCode.Created);
        clock.Advance(TimeSpan.FromMinutes(5));
        var edited = await Ok(Deliver(provider, WebhookScenarios.Version(provider, "Europe/Paris", 5)));
        clock.Advance(TimeSpan.FromMinutes(5));

        await Ok(Deliver(provider, WebhookFixtures.Body(provider)));
        var again = await Ok(Deliver(provider, WebhookScenarios.Version(provider, "Europe/Paris", 5)));

        var only = Assert.Single(await Participants());
        Assert.Equal("Europe/Paris", Zone(only));
        Assert.Equal(edited["updatedAt"]!.GetValue<string>(), only["updatedAt"]!.GetValue<string>());
        Assert.Equal(edited["updatedAt"]!.GetValue<string>(), again["updatedAt"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(TimedProviders))]
    public async Task An_older_edit_arriving_after_a_newer_one_is_ignored(string provider)
    {
        await Ok(Deliver(provider, WebhookFixtures.Body(provider)), HttpStatusCode.Created);
        await Ok(Deliver(provider, WebhookScenarios.Version(provider, "Europe/Lisbon", 10)));

        var late = await Ok(Deliver(provider, WebhookScenarios.Version(provider, "Europe/Paris", 5)));

        Assert.True(late["ignored"]!.GetValue<bool>());
        Assert.Equal("older-version", late["reason"]!.GetValue<string>());
        Assert.Equal("Europe/Lisbon", Zone(Assert.Single(await Participants())));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_admins_removal_sticks_and_later_deliveries_say_they_were_ignored(string provider)
    {
        var first = await Ok(Deliver(provider, WebhookFixtures.Body(provider)), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.OK, (await server.Admin().DeleteAsync($"/api/programs/{Program}/participants/{first["id"]}")).StatusCode);
        clock.Advance(TimeSpan.FromHours(2));

        var again = await Ok(Deliver(provider, WebhookScenarios.Version(provider, "Europe/Paris", 120, submissionId: "sub-0002")));

        Assert.True(again["ignored"]!.GetValue<bool>());
        Assert.Equal("removed-by-admin", again["reason"]!.GetValue<string>());
        var only = Assert.Single(await Participants());
        Assert.Equal("withdrawn", only["status"]!.GetValue<string>());
        Assert.Equal(WebhookFixtures.ExpectedTimeZone, Zone(only));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_person_who_withdrew_is_registered_again_by_a_new_submission_sent_after(string provider)
    {
        var first = await Ok(Deliver(provider, WebhookFixtures.Body(provider)), HttpStatusCode.Created);
        clock.Advance(TimeSpan.FromHours(1));
        await WithdrawThroughTheirOwnLink(first["id"]!.GetValue<string>());
        clock.Advance(TimeSpan.FromHours(1));

        var back = await Ok(Deliver(provider, WebhookScenarios.Version(provider, "Europe/Paris", 120, submissionId: "sub-0002")));

        Assert.Equal("registered", back["status"]!.GetValue<string>());
        var only = Assert.Single(await Participants());
        Assert.Equal("registered", only["status"]!.GetValue<string>());
        Assert.Equal("Europe/Paris", Zone(only));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_redelivery_from_before_a_withdrawal_never_registers_again_however_many_submissions_came_since(string provider)
    {
        for (var i = 1; i <= 21; i++)
        {
            await Ok(Deliver(provider, WebhookFixtures.Body(provider, $"sub-{i:D4}")), i == 1 ? HttpStatusCode.Created : HttpStatusCode.OK);
        }
        var id = (await Participants()).Single()["id"]!.GetValue<string>();
        clock.Advance(TimeSpan.FromHours(1));
        await WithdrawThroughTheirOwnLink(id);
        clock.Advance(TimeSpan.FromHours(1));

        var retried = await Ok(Deliver(provider, WebhookFixtures.Body(provider, "sub-0001")));

        Assert.Equal("withdrawn", retried["status"]!.GetValue<string>());
        Assert.Equal("withdrawn", Assert.Single(await Participants())["status"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_edit_with_a_new_address_after_the_person_withdrew_does_not_register_them_there(string provider)
    {
        var first = await Ok(Deliver(provider, WebhookFixtures.Body(provider)), HttpStatusCode.Created);
        clock.Advance(TimeSpan.FromHours(1));
        await WithdrawThroughTheirOwnLink(first["id"]!.GetValue<string>());
        clock.Advance(TimeSpan.FromHours(1));

        var edit = await Ok(Deliver(provider, WebhookScenarios.Version(provider, "Europe/Paris", 120, email: "ada@newmail.example.com")));

        Assert.True(edit["ignored"]!.GetValue<bool>());
        Assert.Equal("withdrawn", edit["reason"]!.GetValue<string>());
        Assert.Empty(await Participants("registered"));
    }

    [Theory]
    [MemberData(nameof(TimedProviders))]
    public async Task A_new_submission_sent_before_the_withdrawal_does_not_register_again(string provider)
    {
        var first = await Ok(Deliver(provider, WebhookFixtures.Body(provider)), HttpStatusCode.Created);
        clock.Advance(TimeSpan.FromHours(3));
        await WithdrawThroughTheirOwnLink(first["id"]!.GetValue<string>());

        // Sent an hour before the withdrawal, delivered after it (the tool retried for a while).
        var late = await Ok(Deliver(provider, WebhookScenarios.Version(provider, "Europe/Paris", 60, submissionId: "sub-0002")));

        Assert.True(late["ignored"]!.GetValue<bool>());
        Assert.Equal("withdrawn", late["reason"]!.GetValue<string>());
        Assert.Equal("withdrawn", Assert.Single(await Participants())["status"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Thirty_two_racing_edits_leave_one_participant_showing_the_newest_version(string provider)
    {
        await Ok(Deliver(provider, WebhookFixtures.Body(provider)), HttpStatusCode.Created);
        var versions = Enumerable.Range(0, 32).Select(i => WebhookScenarios.Version(provider, WebhookScenarios.Zones[i], i + 1)).ToArray();

        var responses = await Task.WhenAll(versions.Reverse().Select(v => Deliver(provider, v)));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        var only = Assert.Single(await Participants());
        if (WebhookScenarios.TimedProviders.Contains(provider))
        {
            Assert.Equal(WebhookScenarios.Zones[31], Zone(only));
        }
        else
        {
            Assert.Contains(Zone(only), WebhookScenarios.Zones); // arrival order: one of the edits, never the first version
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Thirty_two_racing_edits_that_change_the_address_leave_exactly_one_registered_participant(string provider)
    {
        await Ok(Deliver(provider, WebhookFixtures.Body(provider)), HttpStatusCode.Created);
        var versions = Enumerable.Range(0, 32)
            .Select(i => WebhookScenarios.Version(provider, WebhookScenarios.Zones[i], i + 1, email: $"ada.{i}@example.com")).ToArray();

        var responses = await Task.WhenAll(versions.Select(v => Deliver(provider, v)));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        var registered = Assert.Single(await Participants("registered"));
        if (WebhookScenarios.TimedProviders.Contains(provider))
        {
            Assert.Equal("ada.31@example.com", registered["email"]!.GetValue<string>());
            Assert.Equal(WebhookScenarios.Zones[31], Zone(registered));
        }
        Assert.All(await Participants("withdrawn"), p => Assert.Equal("moved", p["withdrawnBy"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_jotform_delivery_keeps_its_url_token_out_of_the_database_and_the_logs()
    {
        // Jotform copies the whole webhook URL, secret included, into the body's webhookURL field.
        var body = Encoding.UTF8.GetBytes(WebhookFixtures.Text(WebhookFixtures.Jotform)
            .Replace("?token=redacted", "?token=" + Secret, StringComparison.Ordinal));

        await Ok(Deliver(WebhookFixtures.Jotform, body), HttpStatusCode.Created);
        await Ok(Deliver(WebhookFixtures.Jotform, body, "test=true"));

        server.Dispose(); // flush the SQLite file and its write-ahead log
        var stored = string.Concat(Directory.GetFiles(folder.Path).Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f))));
        Assert.DoesNotContain("token=" + Secret, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("webhooks/jotform?token", stored, StringComparison.Ordinal);
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Secret, StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("/webhooks/jotform?token=***", StringComparison.Ordinal));
    }

    /// <summary>Every log line the server writes, formatted, from every category and level.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> lines = new();

        public IReadOnlyCollection<string> Lines => lines;

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
