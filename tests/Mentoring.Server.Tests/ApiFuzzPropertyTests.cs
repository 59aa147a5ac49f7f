using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Mentoring.Testing;
using Xunit.Abstractions;

namespace Mentoring.Server.Tests;

/// <summary>
/// Property: whatever a client sends to any route of the OpenAPI document (generated path segments, query strings,
/// headers and bodies: broken JSON, nulls in arrays, forms with NULs, too many or too long fields, multipart without a
/// boundary...), the answer is never a 5xx, and every /api error is a problem document (or the HTML page the document
/// promises for that status on token pages). The routes come from the server's own /api/openapi.json, so a new route
/// is covered without editing this test.
/// </summary>
public sealed class ApiFuzzPropertyTests : IAsyncLifetime, IDisposable
{
    /// <summary>Requests per run: enough to hit every route with every body kind many times, a few seconds in all.</summary>
    private const int Requests = 1000;

    private readonly TempFolder folder = new();
    private readonly MentoringServer server;
    private readonly ITestOutputHelper output;
    private IReadOnlyList<Operation> operations = [];
    private HttpClient client = null!;
    private string participantId = "p-unknown";

    public ApiFuzzPropertyTests(ITestOutputHelper output)
    {
        this.output = output;
        server = new MentoringServer(folder, new ManualClock());
    }

    private sealed record Operation(string Method, string Template, IReadOnlySet<(int Status, string MediaType)> Documented);

    /// <summary>One generated request; <see cref="ToString"/> is what a failure prints.</summary>
    private sealed record Attempt(string Method, string Path, IReadOnlyList<(string Name, string Value)> Headers, string? ContentType, byte[]? Body, string BodyKind, Operation Operation)
    {
        public override string ToString() =>
            $"{Method} {Path} [{string.Join("; ", Headers.Select(h => $"{h.Name}: {Trim(h.Value)}"))}] content-type={ContentType ?? "none"} body={BodyKind} ({Body?.Length ?? 0} bytes): {Trim(Body is null ? "" : Encoding.UTF8.GetString(Body))}";

        private static string Trim(string text) => text.Length > 200 ? text[..200] + "..." : text;
    }

    public async Task InitializeAsync()
    {
        // Kestrel on 127.0.0.1 at a port the OS picks: the requests cross a real socket, so what Kestrel refuses before
        // the application runs (a NUL in the path) is seen as a client sees it.
        server.UseKestrel(0);
        server.StartServer();
        var admin = server.Admin();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/programs", Http.Json(Programs.Cohort()))).StatusCode);
        var signup = await server.Public().PostAsync("/api/programs/spring/registrations",
            Http.Json("""{ "email": "ana@example.com", "name": "Ana", "consent": true, "answers": { "department": "Sales" } }"""));
        participantId = (await signup.Body())["id"]!.GetValue<string>();
        operations = Operations(await (await admin.GetAsync("/api/openapi.json")).Body());
        client = server.CreateClient();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        client?.Dispose();
        server.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void No_generated_request_to_any_documented_route_gets_a_5xx_and_every_api_error_is_a_problem_document()
    {
        Assert.True(operations.Count >= 25, $"the OpenAPI document lists only {operations.Count} operations");
        var sent = 0;
        var serverErrors = 0;
        var statuses = new SortedDictionary<int, int>();
        var property = Prop.ForAll(Attempts().ToArbitrary(), attempt =>
        {
            var (status, verdict) = Judge(attempt);
            sent++;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500)
            {
                serverErrors++;
            }

            return verdict is null ? true.Label("ok") : false.Label(verdict);
        });

        try
        {
            Check.One(Config.QuickThrowOnFailure.WithMaxTest(Requests).WithQuietOnSuccess(true), property);
        }
        finally
        {
            output.WriteLine($"{sent} generated requests over {operations.Count} operations, {serverErrors} answered 5xx; statuses: " +
                string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
        }

        Assert.Equal(Requests, sent);
    }

    /// <summary>Sends one attempt and returns its status and, when it breaks the property, why.</summary>
    private (int Status, string? Violation) Judge(Attempt attempt)
    {
        using var response = Send(attempt);
        var status = (int)response.StatusCode;
        var media = response.Content.Headers.ContentType?.MediaType;
        var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (status >= 500)
        {
            return (status, $"{status} for {attempt}: {text}");
        }

        if (status == 400 && text.Length == 0 && media is null && attempt.Path.Contains("%00", StringComparison.Ordinal))
        {
            // Kestrel refuses a NUL in the path itself, before any middleware: documented in the README.
            return (status, null);
        }

        if (status < 400 || !attempt.Path.StartsWith("/api", StringComparison.Ordinal))
        {
            return (status, null);
        }

        if (media == "text/html" && attempt.Operation.Documented.Contains((status, "text/html")))
        {
            return (status, null);
        }

        if (media != "application/problem+json")
        {
            return (status, $"{status} with content type {media ?? "none"} (not a problem document) for {attempt}: {text}");
        }

        if (attempt.Method == "HEAD")
        {
            return (status, null);
        }

        try
        {
            var problem = JsonNode.Parse(text)!;
            return problem["status"]?.GetValue<int>() == status && problem["type"] is not null && problem["title"] is not null
                ? (status, null)
                : (status, $"{status} problem document without matching status, type and title for {attempt}: {text}");
        }
        catch (System.Text.Json.JsonException)
        {
            return (status, $"{status} problem content type but not JSON for {attempt}: {text}");
        }
    }

    // Blocking here, outside the test method: FsCheck runs properties synchronously, and TestServer answers in-process.
    private HttpResponseMessage Send(Attempt attempt)
    {
        var request = new HttpRequestMessage(new HttpMethod(attempt.Method), attempt.Path);
        if (attempt.Body is { } body)
        {
            request.Content = new ByteArrayContent(body);
            if (attempt.ContentType is { } type)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
        }

        foreach (var (name, value) in attempt.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return client.SendAsync(request).GetAwaiter().GetResult();
    }

    private static IReadOnlyList<Operation> Operations(JsonNode openApi)
    {
        var list = new List<Operation>();
        foreach (var (template, item) in openApi["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (method is "parameters" or "summary" or "description" || operation is null)
                {
                    continue;
                }

                var documented = new HashSet<(int, string)>();
                foreach (var (code, response) in operation["responses"]?.AsObject() ?? [])
                {
                    foreach (var (mediaType, _) in response?["content"]?.AsObject() ?? [])
                    {
                        if (int.TryParse(code, out var status))
                        {
                            documented.Add((status, mediaType));
                        }
                    }
                }

                list.Add(new Operation(method.ToUpperInvariant(), template, documented));
            }
        }

        return list;
    }

    // ---- generators ----

    private static readonly string[] FieldNames =
    [
        "email", "name", "consent", "answers", "department", "level", "goals", "pinnedPairs", "forbiddenPairs", "a", "b", "reason",
        "closesAt", "id", "kind", "registration", "adminEmails", "questionnaire", "questions", "key", "type", "options", "weight",
        "role", "webhookSecrets", "timeZone", "windows", "engagement", "surveys", "submissionId", "source", "doNotMatch", "manager",
        "form_response", "answers", "field", "ref", "data", "fields", "rawRequest", "items", "value", "label",
    ];

    private static Gen<string> Text() => Gen.OneOf(
        Gen.Elements("", " ", "ana@example.com", "a\u0000b", "\u001b[31m", "\u200b", "\u202e", "<a@x.example>", "😀@example.com", "Sales", "1",
            "2027-03-01T00:00:00Z", "2027-13-45", "-1", "NaN", "null", "{", "%00", "é", "\r\nX-Injected: 1", "spring", "../../etc/passwd"),
        Gen.Choose(0, 3000).Select(n => new string('x', n)),
        Gen.ArrayOf(Gen.Choose(0, 0x2FF).Select(c => (char)c)).Select(cs => new string(cs)));

    private static Gen<JsonNode?> Json(int depth) => depth <= 0
        ? Scalar()
        : Gen.Frequency(
            (4, Scalar()),
            (2, Gen.ListOf(Json(depth - 1), 4).Select(items => (JsonNode?)new JsonArray([.. items.Select(i => i?.DeepClone())]))),
            (3, Gen.ListOf(Gen.Zip(Gen.Elements(FieldNames), Json(depth - 1)), 5).Select(pairs =>
            {
                var o = new JsonObject();
                foreach (var (k, v) in pairs)
                {
                    o[k] = v?.DeepClone();
                }

                return (JsonNode?)o;
            })));

    private static Gen<JsonNode?> Scalar() => Gen.OneOf(
        Gen.Constant<JsonNode?>(null),
        Gen.Elements<JsonNode?>(true, false, 0, -1, int.MaxValue, long.MinValue, 1.5, 1e300, decimal.MaxValue),
        Text().Select(s => (JsonNode?)JsonValue.Create(s)));

    /// <summary>Known-good bodies with one node replaced: the realistic near-misses.</summary>
    private static Gen<string> NearMiss() => Gen.Elements(
            Programs.Cohort("fuzz"),
            """{ "email": "bo@example.com", "name": "Bo", "consent": true, "answers": { "department": "Sales", "goals": ["SQL"] } }""",
            """{ "pinnedPairs": [], "forbiddenPairs": [{ "a": "x", "b": "y" }] }""",
            """{ "closesAt": "2027-03-01T00:00:00Z" }""",
            """{ "reason": "done" }""")
        .SelectMany(json => Gen.Zip(Gen.Choose(0, 40), Json(2)).Select(change => Mutate(json, change.Item1, change.Item2)));

    private static string Mutate(string json, int pick, JsonNode? replacement)
    {
        var root = JsonNode.Parse(json)!;
        var nodes = new List<JsonNode>();
        void Walk(JsonNode node)
        {
            nodes.Add(node);
            foreach (var child in node switch { JsonObject o => o.Select(p => p.Value), JsonArray a => a, _ => [] })
            {
                if (child is not null)
                {
                    Walk(child);
                }
            }
        }

        Walk(root);
        var target = nodes[pick % nodes.Count];
        if (target.Parent is JsonObject parent)
        {
            parent[target.GetPropertyName()] = replacement?.DeepClone();
        }
        else if (target.Parent is JsonArray array)
        {
            array[target.GetElementIndex()] = replacement?.DeepClone();
        }
        else
        {
            return replacement?.ToJsonString() ?? "null";
        }

        return root.ToJsonString();
    }

    private static Gen<(string? Type, byte[]? Body, string Kind)> Bodies()
    {
        var json = Gen.Frequency(
            (3, NearMiss()),
            (2, Json(3).Select(n => n?.ToJsonString() ?? "null")),
            (1, Gen.Elements("""{"pinnedPairs":[null]}""", """{"forbiddenPairs":[{"a":null,"b":null}]}""", """{"answers":{"goals":[null]}}""",
                "{", "[", "\"", """{"a":1""", "\uFEFF{}", new string('[', 5000), "{\"email\":\"\\ud800\"}")))
            .Select(s => ((string?)"application/json", (byte[]?)Encoding.UTF8.GetBytes(s), "json"));
        var formField = Gen.Zip(
            Gen.Frequency((6, Gen.Elements("reason", "minutes", "preset", "until", "List-Unsubscribe", "satisfaction", "nps", "comment", "x")), (1, Text())),
            Gen.Frequency((6, Gen.Elements("", "One-Click", "30", "2027-05-01", "%00", "a%00b", "%ZZ", "Very positive", "10", "%E2%80%AE")), (1, Text().Select(Uri.EscapeDataString))));
        var form = Gen.Frequency(
                (6, Gen.ListOf(formField, 6).Select(fields => string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Item1)}={f.Item2}")))),
                (1, Gen.Choose(1000, 3000).Select(n => string.Join('&', Enumerable.Range(0, n).Select(i => $"f{i}=1")))),
                (1, Gen.Constant("reason=" + new string('k', 3000) + "&" + new string('n', 3000) + "=1")),
                (1, Gen.Constant("reason=a%00b&x=%00")),
                (1, Gen.Constant("a=%E0%A4%A")))
            .Select(s => ((string?)"application/x-www-form-urlencoded", (byte[]?)Encoding.UTF8.GetBytes(s), "form"));
        var multipart = Gen.Elements(
            ((string?)"multipart/form-data", (byte[]?)"--x\r\nContent-Disposition: form-data; name=\"reason\"\r\n\r\nhi\r\n--x--\r\n"u8.ToArray(), "multipart without boundary"),
            ("multipart/form-data; boundary=x", "garbage without any boundary line"u8.ToArray(), "multipart malformed"),
            ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"reason\"\r\n\r\nhi\r\n"u8.ToArray(), "multipart cut short"),
            ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\nfile\r\n--x--\r\n"u8.ToArray(), "multipart with a file"),
            ("multipart/form-data; boundary=" + new string('b', 200), "--b\r\n\r\n"u8.ToArray(), "multipart long boundary"),
            ("multipart/form-data; boundary=x", Encoding.ASCII.GetBytes("--x\r\n" + new string('H', 20_000) + ": v\r\n\r\nv\r\n--x--\r\n"), "multipart huge header"));
        var other = Gen.Elements(
            ((string?)"text/plain", (byte[]?)"hello"u8.ToArray(), "text"),
            (null, "{}"u8.ToArray(), "no content type"),
            ("application/json; charset=utf-16", "{}"u8.ToArray(), "json utf-16"),
            ("application/json", new byte[] { 0xFF, 0xFE, 0x00, 0xC3 }, "json invalid utf-8"),
            ("application/x-www-form-urlencoded", Encoding.UTF8.GetBytes("reason=" + new string('v', 5 * 1024 * 1024)), "form 5 MB value"),
            ("application/json", Encoding.UTF8.GetBytes("{\"name\":\"" + new string('a', 400 * 1024) + "\"}"), "json 400 KB"),
            ("garbage", "x"u8.ToArray(), "bad content type"));
        return Gen.Frequency(
            (3, Gen.Constant(((string?)null, (byte[]?)null, "none"))),
            (6, json),
            (4, form),
            (2, multipart),
            (1, other));
    }

    private Gen<string> Segment(string parameter) => Gen.Frequency(
        (5, Gen.Elements(parameter switch
        {
            "programId" => "spring",
            "participantId" => participantId,
            "provider" => "typeform",
            _ => "x",
        })),
        (3, Gen.Elements("nope", "SPRING", "a b", "%00", "%2F", "%2e%2e", "é", "😀", "%ZZ", "-", "a.b", "tally", "jotform", "generic",
            "google-forms", "AAAA.BBBB", "v1.k1.eyJ9.sig", new string('z', 300), "%E2%80%8B")),
        (1, Text().Select(Uri.EscapeDataString)));

    private Gen<Attempt> Attempts()
    {
        var query = Gen.ListOf(Gen.Zip(
                Gen.Elements("status", "atRisk", "format", "limit", "cursor", "programId", "state", "x", "page"),
                Gen.Elements("", "true", "false", "csv", "json", "active", "ended", "-1", "0", "99999999999", "%00", "abc", "1e400", "%ZZ")), 3)
            .Select(q => q.Count == 0 ? "" : "?" + string.Join('&', q.Select(p => $"{p.Item1}={p.Item2}")));
        // The admin key is chosen apart from the other headers, so most requests get past it and reach the handlers.
        var key = Gen.Frequency(
            (8, Gen.Constant<(string, string)[]>([("x-functions-key", MentoringServer.AdminKey)])),
            (1, Gen.Elements<(string, string)[]>([("x-functions-key", "wrong")], [("x-functions-key", "")], [("x-functions-key", MentoringServer.AdminKey), ("x-functions-key", "second")])),
            (1, Gen.Constant<(string, string)[]>([])));
        var header = Gen.Elements(
            ("If-Match", "*"), ("If-Match", "\"abc\""), ("If-Match", "W/\"x\""), ("If-Match", "\""), ("If-Match", "garbage"),
            ("If-None-Match", "*"), ("Accept", "text/html"), ("Accept", "application/xml"), ("Range", "bytes=0-1"),
            ("Typeform-Signature", "sha256=AAAA"), ("Tally-Signature", "x"), ("X-Forwarded-For", "1.2.3.4"), ("Cookie", "a=b"));
        var headers = Gen.Zip(key, Gen.ListOf(header, 3), (k, h) => (IReadOnlyList<(string, string)>)[.. k, .. h]);
        return Gen.Elements(operations.ToArray()).SelectMany(operation =>
        {
            var parameters = System.Text.RegularExpressions.Regex.Matches(operation.Template, "{([^}]+)}").Select(m => m.Groups[1].Value).ToArray();
            var path = parameters.Aggregate(Gen.Constant(operation.Template),
                (gen, p) => gen.SelectMany(t => Segment(p).Select(value => t.Replace("{" + p + "}", value, StringComparison.Ordinal))));
            var method = Gen.Frequency((9, Gen.Constant(operation.Method)), (1, Gen.Elements("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")));
            var line = Gen.Zip(Gen.Zip(method, path), query, (mp, q) => (Verb: mp.Item1, Route: mp.Item2 + q));
            return Gen.Zip(line, Gen.Zip(headers, Bodies()), (l, rest) =>
            {
                var (headers, body) = rest;
                // GET and HEAD with a body are refused by HttpClient itself before anything is sent.
                var withBody = l.Verb is "GET" or "HEAD" ? (null, null, "none") : body;
                return new Attempt(l.Verb, l.Route, [.. headers], withBody.Type, withBody.Body, withBody.Kind, operation);
            });
        });
    }
}
