using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LoadGen;

/// <summary>
/// One pre-signed webhook delivery: the exact body bytes, its signature header value, the unique email inside, and the
/// row id the bare endpoint stores it under (hex of a hash, like the server's participant ids, so both B-trees take
/// inserts in random key order).
/// </summary>
internal sealed record Delivery(byte[] Body, string Signature, string Email, string SubmissionId, string BareId);

/// <summary>Builds the benchmark program and its deliveries in the documented generic shape (docs/webhooks.md).</summary>
internal static class Deliveries
{
    public const string Provider = "generic";
    public const string SignatureHeader = "X-Mentoring-Signature";

    private static readonly string[] Departments = ["Engineering", "Sales", "Finance", "People", "Legal"];
    private static readonly string[] Levels = ["Junior", "Mid", "Senior", "Staff"];
    private static readonly string[] Zones = ["Europe/Berlin", "Europe/London", "America/New_York", "Asia/Tokyo"];
    private static readonly string[] Goals = ["Public speaking", "Leadership", "Negotiation", "SQL"];

    /// <summary>The program definition an admin would POST: evergreen (always open), one secret, a field map for generic.</summary>
    public static string ProgramJson(string programId, string secret)
    {
        var program = new JsonObject
        {
            ["id"] = programId,
            ["name"] = "Registrations benchmark",
            ["kind"] = "evergreen",
            ["adminEmails"] = new JsonArray("bench-admin@example.com"),
            ["timeZone"] = "UTC",
            ["webhookSecrets"] = new JsonArray(secret),
            ["questionnaire"] = new JsonObject
            {
                ["questions"] = new JsonArray(new JsonObject
                {
                    ["key"] = "goals",
                    ["type"] = "multiChoice",
                    ["options"] = new JsonArray([.. Goals.Select(g => (JsonNode)g)]),
                    ["role"] = "overlap",
                    ["weight"] = 20,
                }),
            },
            ["fieldMaps"] = new JsonObject
            {
                [Provider] = new JsonObject
                {
                    ["email"] = "email", ["name"] = "name", ["consent"] = "consent", ["department"] = "department",
                    ["level"] = "level", ["timeZone"] = "timeZone", ["goals"] = "goals",
                },
            },
        };
        return program.ToJsonString();
    }

    /// <summary>
    /// <paramref name="count"/> distinct deliveries (unique submission id and email each), signed up front with
    /// HMAC-SHA256 over the exact body bytes, base64, so the load loop does no crypto.
    /// </summary>
    public static Delivery[] Generate(int count, string runTag, string secret)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        var deliveries = new Delivery[count];
        Parallel.For(0, count, i =>
        {
            var submissionId = $"{runTag}-{i:D7}";
            var email = $"bench-{runTag}-{i:D7}@example.com";
            var body = Body(submissionId, email, i);
            var signature = "sha256=" + Convert.ToBase64String(HMACSHA256.HashData(key, body));
            var bareId = "p_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email)).AsSpan(0, 12));
            deliveries[i] = new Delivery(body, signature, email, submissionId, bareId);
        });
        return deliveries;
    }

    private static byte[] Body(string submissionId, string email, int i)
    {
        using var stream = new MemoryStream(512);
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("submissionId", submissionId);
            json.WriteString("submittedAt", "2025-03-03T10:01:45Z");
            json.WriteStartObject("fields");
            json.WriteString("email", email);
            json.WriteString("name", $"Bench Person {i}");
            json.WriteString("department", Departments[i % Departments.Length]);
            json.WriteString("level", Levels[i % Levels.Length]);
            json.WriteString("timeZone", Zones[i % Zones.Length]);
            json.WriteStartArray("goals");
            json.WriteStringValue(Goals[i % Goals.Length]);
            json.WriteStringValue(Goals[(i + 1) % Goals.Length]);
            json.WriteEndArray();
            json.WriteNumber("yearsInRole", i % 12);
            json.WriteBoolean("consent", true);
            json.WriteNull("comments");
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>Every participant email the admin API lists for the program, page by page.</summary>
    public static async Task<HashSet<string>> ListParticipantEmailsAsync(HttpClient admin, Uri server, string programId, string adminKey)
    {
        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string? token = null;
        do
        {
            var path = $"/api/programs/{programId}/participants?pageSize=500"
                + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, path));
            request.Headers.Add("x-functions-key", adminKey);
            using var response = await admin.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Listing participants answered {(int)response.StatusCode}: {text}");
            }
            using var page = JsonDocument.Parse(text);
            foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
            {
                emails.Add(item.GetProperty("email").GetString()!);
            }
            token = page.RootElement.TryGetProperty("continuationToken", out var next) && next.ValueKind == JsonValueKind.String
                ? next.GetString()
                : null;
        }
        while (token is not null);
        return emails;
    }
}
