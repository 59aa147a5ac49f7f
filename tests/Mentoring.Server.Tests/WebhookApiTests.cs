using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mentoring.Core.Tests.Registration.Webhooks;
using Mentoring.Testing;

namespace Mentoring.Server.Tests;

/// <summary>Forms-tool signups through the real pipeline, one fixture per provider in its documented shape.</summary>
public sealed class WebhookApiTests : IAsyncLifetime, IDisposable
{
    private const string Secret = "whsec-current-0123456789";
    private const string RotatedOut = "whsec-previous-0123456789";
    private readonly TempFolder folder = new();
    private readonly MentoringServer server;

    public WebhookApiTests() => server = new MentoringServer(folder, new ManualClock());

    public static TheoryData<string> Providers => [.. WebhookFixtures.Providers];

    public async Task InitializeAsync()
    {
        var program = new JsonObject
        {
            ["id"] = "forms",
            ["name"] = "Forms signups",
            ["kind"] = "evergreen",
            ["adminEmails"] = new JsonArray("hr@example.com"),
            ["webhookSecrets"] = new JsonArray(Secret, RotatedOut),
            ["fieldMaps"] = new JsonObject(WebhookFixtures.Providers.Select(p => KeyValuePair.Create<string, JsonNode?>(p,
                JsonSerializer.SerializeToNode(WebhookFixtures.FieldMap(p))))),
        };
        var response = await server.Admin().PostAsync("/api/programs", Http.Json(program.ToJsonString()));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private Task<HttpResponseMessage> Deliver(string provider, FixtureDelivery delivery, string programId = "forms")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/programs/{programId}/webhooks/{provider}{delivery.QueryString}")
        {
            Content = new ByteArrayContent(delivery.Body),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", delivery.ContentType);
        foreach (var (name, value) in delivery.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return server.Public().SendAsync(request);
    }

    private async Task<JsonArray> Participants() =>
        (await (await server.Admin().GetAsync("/api/programs/forms/participants")).Body())["items"]!.AsArray();

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_signed_delivery_registers_the_person_mapped_by_field_id(string provider)
    {
        var response = await Deliver(provider, WebhookFixtures.Signed(provider, Secret));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var participant = await response.Body();
        Assert.Equal(WebhookFixtures.DefaultEmail, participant["email"]!.GetValue<string>());
        Assert.Equal(WebhookFixtures.ExpectedName, participant["name"]!.GetValue<string>());
        Assert.Equal(WebhookFixtures.ExpectedDepartment, participant["answers"]!["department"]![0]!.GetValue<string>());
        Assert.Equal(WebhookFixtures.ExpectedTimeZone, participant["answers"]!["timeZone"]![0]!.GetValue<string>());
        Assert.Equal(provider, participant["source"]!["channel"]!.GetValue<string>());
        Assert.Equal(WebhookFixtures.DefaultSubmissionId, participant["source"]!["submissionId"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_redelivery_answers_200_with_the_same_participant(string provider)
    {
        var first = await (await Deliver(provider, WebhookFixtures.Signed(provider, Secret))).Body();
        var again = await Deliver(provider, WebhookFixtures.Signed(provider, Secret));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first["id"]!.GetValue<string>(), (await again.Body())["id"]!.GetValue<string>());
        Assert.Single(await Participants());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_redelivery_after_the_person_withdrew_leaves_them_withdrawn(string provider)
    {
        var first = await (await Deliver(provider, WebhookFixtures.Signed(provider, Secret))).Body();
        var withdrawn = await server.Admin().DeleteAsync($"/api/programs/forms/participants/{first["id"]}");
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);

        var again = await Deliver(provider, WebhookFixtures.Signed(provider, Secret));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("withdrawn", (await again.Body())["status"]!.GetValue<string>());
        Assert.Equal("withdrawn", Assert.Single(await Participants())!["status"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_delivery_signed_with_the_previous_secret_is_still_accepted(string provider)
    {
        Assert.Equal(HttpStatusCode.Created, (await Deliver(provider, WebhookFixtures.Signed(provider, RotatedOut))).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_delivery_with_a_wrong_signature_is_401_and_stores_nothing(string provider)
    {
        await (await Deliver(provider, WebhookFixtures.Signed(provider, "whsec-attacker-0123456789"))).Problem(401);
        Assert.Empty(await Participants());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_delivery_without_a_signature_is_401_and_stores_nothing(string provider)
    {
        await (await Deliver(provider, WebhookFixtures.Unsigned(provider))).Problem(401);
        Assert.Empty(await Participants());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_tampered_body_is_401(string provider)
    {
        var signed = WebhookFixtures.Signed(provider, Secret);
        if (provider == WebhookFixtures.Jotform)
        {
            return; // Jotform cannot sign its body; its URL token is checked in the other tests
        }
        var tampered = signed with { Body = WebhookFixtures.Body(provider, email: "mallory@example.com") };
        await (await Deliver(provider, tampered)).Problem(401);
        Assert.Empty(await Participants());
    }

    [Fact]
    public async Task Fifty_concurrent_deliveries_of_one_submission_make_exactly_one_participant()
    {
        var delivery = WebhookFixtures.Signed(WebhookFixtures.Typeform, Secret);
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Deliver(WebhookFixtures.Typeform, delivery)));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Body())["id"]!.GetValue<string>()));
        Assert.Single(ids.Distinct());
        Assert.Single(await Participants());
    }

    [Fact]
    public async Task An_unknown_provider_is_404()
    {
        var problem = await (await Deliver("surveymonkey", WebhookFixtures.Signed(WebhookFixtures.Generic, Secret))).Problem(404);
        Assert.Contains("typeform", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_webhook_for_an_unknown_program_is_refused_exactly_as_a_wrong_signature_so_program_ids_cannot_be_probed(string provider)
    {
        var wrongSecret = await (await Deliver(provider, WebhookFixtures.Signed(provider, "not-the-secret"))).Problem(401);
        var unknownProgram = await (await Deliver(provider, WebhookFixtures.Signed(provider, Secret), programId: "nope")).Problem(401);

        Assert.Equal(wrongSecret.ToJsonString(), unknownProgram.ToJsonString());
        Assert.DoesNotContain("not found", unknownProgram.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_webhook_for_a_program_without_a_secret_is_refused_as_a_wrong_signature_too()
    {
        var bare = new JsonObject { ["id"] = "bare", ["name"] = "No secret", ["kind"] = "evergreen", ["adminEmails"] = new JsonArray("hr@example.com") };
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(bare.ToJsonString()))).StatusCode);
        var delivery = WebhookFixtures.Signed(WebhookFixtures.Generic, "");

        var noSecret = await (await Deliver(WebhookFixtures.Generic, delivery, programId: "bare")).Problem(401);
        var unknownProgram = await (await Deliver(WebhookFixtures.Generic, delivery, programId: "nope")).Problem(401);

        Assert.Equal(noSecret.ToJsonString(), unknownProgram.ToJsonString());
    }

    [Fact]
    public async Task A_webhook_in_the_wrong_content_type_is_415()
    {
        var delivery = WebhookFixtures.Signed(WebhookFixtures.Typeform, Secret) with { ContentType = "text/plain" };
        await (await Deliver(WebhookFixtures.Typeform, delivery)).Problem(415);
        Assert.Empty(await Participants());
    }

    [Fact]
    public async Task A_signed_but_malformed_payload_is_400_naming_the_field()
    {
        var delivery = WebhookFixtures.SignedWith(WebhookFixtures.Generic, Secret, """{ "fields": { "email": "x@example.com" } }"""u8.ToArray());
        var problem = await (await Deliver(WebhookFixtures.Generic, delivery)).Problem(400);
        Assert.Contains("submissionId", problem.Errors().Select(e => e.Field));
        Assert.Empty(await Participants());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_delivery_whose_address_hides_a_zero_width_space_is_refused_400_naming_the_rule_and_stores_nothing(string provider)
    {
        var problem = await (await Deliver(provider, WebhookFixtures.Signed(provider, Secret, email: "ada.love\u200blace@example.com"))).Problem(400);

        Assert.Contains(problem.Errors(), e => e.Field == "email" && e.Rule == "control-character");
        Assert.Empty(await Participants());
    }

    [Fact]
    public async Task A_delivery_with_a_non_ascii_local_part_is_refused_400_and_stores_nothing()
    {
        var problem = await (await Deliver(WebhookFixtures.Typeform, WebhookFixtures.Signed(WebhookFixtures.Typeform, Secret, email: "\U0001F600@example.com"))).Problem(400);

        Assert.Contains(problem.Errors(), e => e.Field == "email" && e.Rule == "ascii-local-part");
        Assert.Empty(await Participants());
    }

    [Fact]
    public async Task An_oversize_webhook_is_413()
    {
        var body = new byte[300 * 1024];
        Array.Fill(body, (byte)' ');
        await (await Deliver(WebhookFixtures.Typeform, WebhookFixtures.SignedWith(WebhookFixtures.Typeform, Secret, body))).Problem(413);
    }
}
