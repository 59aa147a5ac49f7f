namespace Mentoring.Server.Tests;

/// <summary>Program definitions the tests use, as an admin would send them.</summary>
public static class Programs
{
    public static string Cohort(string id = "spring", string? opensAt = "2027-02-01T00:00:00Z", string? closesAt = "2027-04-01T00:00:00Z") => $$"""
    {
      "id": "{{id}}",
      "name": "Spring buddies",
      "kind": "cohort",
      "registration": { "opensAt": {{Quote(opensAt)}}, "closesAt": {{Quote(closesAt)}} },
      "adminEmails": ["hr@example.com", "lead@example.com"],
      "timeZone": "Europe/Berlin",
      "webhookSecrets": ["{{Secret}}"],
      "questionnaire": {
        "questions": [
          { "key": "department", "type": "singleChoice", "options": ["Sales", "Engineering", "Finance"], "required": true, "role": "different", "weight": 10 },
          { "key": "level", "type": "ordinalScale", "options": ["1", "2", "3", "4", "5"], "role": "similar", "weight": 8 },
          { "key": "goals", "type": "multiChoice", "options": ["Negotiation", "Public speaking", "SQL", "Leadership"], "role": "overlap", "weight": 20 }
        ]
      }
    }
    """;

    public const string Secret = "whsec-test-0123456789abcdef";

    private static string Quote(string? value) => value is null ? "null" : $"\"{value}\"";
}
