using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Programs;

/// <summary>What an admin sends to create or replace a program. Unset members take the documented defaults.</summary>
public sealed record ProgramDefinition
{
    /// <summary>Optional on create (derived from the name); must match the URL on replace.</summary>
    public string? Id { get; init; }
    public string? Name { get; init; }
    public ProgramKind? Kind { get; init; }
    public int? GroupSize { get; init; }
    /// <summary>peers (default), mentorMentee, reverse, groupsLed or buddies.</summary>
    public PairingShape? Pairing { get; init; }
    public RolePolicy? Roles { get; init; }
    /// <summary>Buddies programs only: the kinds of buddy.</summary>
    public BuddyPolicy? Buddies { get; init; }
    public RegistrationWindow? Registration { get; init; }
    public IReadOnlyList<string>? AdminEmails { get; init; }
    public string? TimeZone { get; init; }
    public Questionnaire? Questionnaire { get; init; }
    /// <summary>Omit on create to have one generated.</summary>
    public IReadOnlyList<string>? WebhookSecrets { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? FieldMaps { get; init; }
    public MatchingPolicy? Matching { get; init; }
    /// <summary>Omit for admin-led pairing; <c>{"mode":"userLed"}</c> lets participants pick their partners.</summary>
    public ChoosingPolicy? Choosing { get; init; }
    public WindowPolicy? Windows { get; init; }
    public EngagementPolicy? Engagement { get; init; }
    /// <summary>Omit for the built-in agenda of the program's kind; an empty list sends no agendas.</summary>
    public IReadOnlyList<AgendaSession>? Agendas { get; init; }
}
