using System.Net;
using Mentoring.Testing;

namespace Mentoring.Server.Tests;

/// <summary>Everything a client can get wrong is a 4xx problem naming the field and the rule, and stores nothing.</summary>
public sealed class MalformedInputTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder folder = new();
    private readonly MentoringServer server;

    public MalformedInputTests() => server = new MentoringServer(folder, new ManualClock());

    public async Task InitializeAsync() =>
        Assert.Equal(HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(Programs.Cohort()))).StatusCode);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private const string Valid = """{ "email": "ana@example.com", "name": "Ana", "consent": true, "answers": { "department": "Sales" } }""";

    public static TheoryData<string, string, string, int, string, string> Cases => new()
    {
        // name, content type, body, status, field, rule
        { "bad JSON", "application/json", """{ "email": "ana@example.com", """, 400, "$", "invalid-json" },
        { "not an object", "application/json", """[1, 2, 3]""", 400, "$", "wrong-type" },
        { "JSON null", "application/json", "null", 400, "$", "wrong-type" },
        { "empty body", "application/json", "", 400, "$", "required" },
        { "email is a number", "application/json", """{ "email": 5, "name": "Ana", "consent": true }""", 400, "email", "wrong-type" },
        { "consent is a string", "application/json", """{ "email": "ana@example.com", "name": "Ana", "consent": "yes" }""", 400, "consent", "wrong-type" },
        { "answer is an object", "application/json", """{ "email": "ana@example.com", "name": "Ana", "consent": true, "answers": { "department": { "x": 1 } } }""", 400, "answers.department", "wrong-type" },
        { "unknown top-level field", "application/json", """{ "email": "ana@example.com", "name": "Ana", "consent": true, "isAdmin": true }""", 400, "isAdmin", "unknown-field" },
        { "unknown question key", "application/json", """{ "email": "ana@example.com", "name": "Ana", "consent": true, "answers": { "department": "Sales", "shoeSize": 42 } }""", 400, "answers.shoeSize", "unknown-question" },
        { "option not allowed", "application/json", """{ "email": "ana@example.com", "name": "Ana", "consent": true, "answers": { "department": "Marketing" } }""", 400, "answers.department", "option-not-allowed" },
        { "missing required answer", "application/json", """{ "email": "ana@example.com", "name": "Ana", "consent": true }""", 400, "answers.department", "required" },
        { "bad email", "application/json", """{ "email": "ana-at-example", "name": "Ana", "consent": true, "answers": { "department": "Sales" } }""", 400, "email", "invalid-email" },
        { "no consent", "application/json", """{ "email": "ana@example.com", "name": "Ana", "answers": { "department": "Sales" } }""", 400, "consent", "consent-required" },
        { "wrong content type", "text/plain", Valid, 415, "Content-Type", "unsupported-media-type" },
        { "form post", "application/x-www-form-urlencoded", "email=ana%40example.com", 415, "Content-Type", "unsupported-media-type" },
        { "oversize", "application/json", Valid.Replace("\"Ana\"", "\"" + new string('a', 300 * 1024) + "\""), 413, "body", "payload-too-large" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_malformed_signup_is_refused_and_nothing_is_stored(string name, string contentType, string body, int status, string field, string rule)
    {
        var response = await server.Public().PostAsync("/api/programs/spring/registrations", Http.Json(body, contentType));

        var problem = await response.Problem(status);
        Assert.True(problem.Errors().Contains((field, rule)), $"{name}: expected {field}:{rule} in {problem.ToJsonString()}");
        var page = await (await server.Admin().GetAsync("/api/programs/spring/participants")).Body();
        Assert.Empty(page["items"]!.AsArray());
    }

    [Fact]
    public async Task A_missing_content_type_is_415()
    {
        var content = new ByteArrayContent("{}"u8.ToArray());
        var response = await server.Public().PostAsync("/api/programs/spring/registrations", content);
        await response.Problem(415);
    }

    [Fact]
    public async Task A_malformed_program_is_refused_naming_the_field()
    {
        var response = await server.Admin().PostAsync("/api/programs", Http.Json("""{ "name": "X", "kind": "weekly", "adminEmails": ["a@b.co"] }"""));
        var problem = await response.Problem(400);
        Assert.Contains(("kind", "wrong-type"), problem.Errors());
    }
}
