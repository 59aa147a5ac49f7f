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

/// <summary>Anyone can post to a token URL: a broken form there is a 4xx problem document, never a 500.</summary>
public sealed class MalformedFormTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly MentoringServer server;

    public MalformedFormTests() => server = new MentoringServer(folder, new ManualClock());

    public void Dispose()
    {
        server.Dispose();
        folder.Dispose();
    }

    private static ByteArrayContent Body(string contentType, string body)
    {
        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    public static TheoryData<string, string, string, int> Forms => new()
    {
        // name, content type, body, status
        { "multipart without a boundary", "multipart/form-data", "--x\r\nContent-Disposition: form-data; name=\"reason\"\r\n\r\nhi\r\n--x--\r\n", 400 },
        { "malformed multipart", "multipart/form-data; boundary=x", "no boundary line here", 400 },
        { "more than 1,024 fields", "application/x-www-form-urlencoded", string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=1")), 413 },
        { "a field name over 2 KB", "application/x-www-form-urlencoded", new string('n', 2100) + "=1", 413 },
        { "a value over 4 MB", "application/x-www-form-urlencoded", "reason=" + new string('v', 4 * 1024 * 1024 + 10), 413 },
        { "a NUL in a value", "application/x-www-form-urlencoded", "reason=a%00b", 400 },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task A_broken_form_posted_to_any_token_route_is_a_problem_document(string name, string contentType, string body, int status)
    {
        foreach (var route in new[] { "/api/decisions/x.y.z", "/api/links/x.y.z", "/api/surveys/x.y.z" })
        {
            var response = await server.Public().PostAsync(route, Body(contentType, body));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == status, $"{name} to {route}: expected {status}, got {(int)response.StatusCode}: {text[..Math.Min(300, text.Length)]}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData("""{"pinnedPairs":[null]}""", "pinnedPairs[0]")]
    [InlineData("""{"forbiddenPairs":[{"a":null,"b":null}]}""", "forbiddenPairs[0].a")]
    [InlineData("""{"forbiddenPairs":[{"a":"x"}]}""", "forbiddenPairs[0].b")]
    public async Task A_null_inside_a_match_preview_list_is_a_validation_error_naming_it(string body, string field)
    {
        Assert.Equal(System.Net.HttpStatusCode.Created, (await server.Admin().PostAsync("/api/programs", Http.Json(Programs.Cohort()))).StatusCode);

        var response = await server.Admin().PostAsync("/api/programs/spring/match-preview", Http.Json(body));

        var problem = await response.Problem(400);
        Assert.Contains((field, "required"), problem.Errors());
    }
}
