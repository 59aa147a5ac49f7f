using Mentoring.Core.Questionnaires;

namespace Mentoring.Core.Programs;

public enum ProgramKind
{
    /// <summary>One registration window, one matching window, a fixed length.</summary>
    Cohort,
    /// <summary>Registration always open; matching rounds repeat on a cadence.</summary>
    Evergreen,
    /// <summary>A cohort matched into groups of 3-5 instead of pairs.</summary>
    Groups,
}

/// <summary>When signups are accepted. Either bound may be absent; evergreen programs leave both open.</summary>
public sealed record RegistrationWindow
{
    public DateTimeOffset? OpensAt { get; init; }
    public DateTimeOffset? ClosesAt { get; init; }
}

/// <summary>Who is matched with whom: symmetric peers, or people in roles.</summary>
public enum PairingShape
{
    /// <summary>Anyone with anyone, no roles (every program before roles existed).</summary>
    Peers,
    /// <summary>Mentors take up to their capacity of mentees; the mentor is the more senior by the seniority gap.</summary>
    MentorMentee,
    /// <summary>Reverse mentoring: the mentor is the more junior by the seniority gap.</summary>
    Reverse,
    /// <summary>Led groups: one lead (a mentor) with 2-6 mentees; the lead's capacity is the group size.</summary>
    GroupsLed,
    /// <summary>Onboarding buddies: each newcomer gets one buddy of each kind in <see cref="BuddyPolicy.Kinds"/>.</summary>
    Buddies,
}

/// <summary>Roles programs: how mentors and mentees meet. Ignored for peers.</summary>
public sealed record RolePolicy
{
    /// <summary>The most mentees one mentor may take; the capacity question offers 1..MaxMentees.</summary>
    public int MaxMentees { get; init; } = 3;
    /// <summary>Levels (positions on the level scale) between mentor and mentee: mentor above for mentorMentee, below for reverse. 0 allows equal levels.</summary>
    public int SeniorityGap { get; init; } = 1;
    /// <summary>Led groups only: the fewest mentees a group may have (2..MaxMentees, default 2). A lead left with fewer leads no group this round.</summary>
    public int? MinMentees { get; init; }
}

/// <summary>Buddies programs: the kinds of buddy every newcomer gets, one of each.</summary>
public sealed record BuddyPolicy
{
    public IReadOnlyList<BuddyKind> Kinds { get; init; } = [];
}

/// <summary>One kind of onboarding buddy ("culture"): who may be one, and how many newcomers one buddy of this kind takes at once.</summary>
public sealed record BuddyKind
{
    /// <summary>Stable key, for example "culture"; also what the draft and the mails call it ("culture buddy").</summary>
    public required string Key { get; init; }
    /// <summary>How mails name the kind; default "{key} buddy".</summary>
    public string? Label { get; init; }
    /// <summary>Key of the yes/no single-choice question "can you be a ... buddy"; a person with the buddy role who answered yes is eligible.
    /// Added with options yes and no when the questionnaire does not define it.</summary>
    public required string Eligibility { get; init; }
    /// <summary>Newcomers one buddy of this kind takes at once (1-10).</summary>
    public int Capacity { get; init; } = 1;

    public string Name => string.IsNullOrWhiteSpace(Label) ? $"{Key} buddy" : Label.Trim();
}

public enum MatchingObjective
{
    /// <summary>As many people paired as possible, then the highest total score.</summary>
    MostPairsThenScore,
    /// <summary>The highest total score, even if that leaves someone unpaired.</summary>
    HighestScore,
}

public enum OddCountPolicy
{
    /// <summary>The leftover person joins the pair where they add the most.</summary>
    Trio,
    /// <summary>The leftover person waits for the next round, with the reason, and gets priority then.</summary>
    Waitlist,
}

public sealed record MatchingPolicy
{
    public MatchingObjective Objective { get; init; } = MatchingObjective.MostPairsThenScore;
    public OddCountPolicy OddCount { get; init; } = OddCountPolicy.Trio;
}

/// <summary>A mentoring program: who runs it, when people can join, what they are asked, how they are matched.</summary>
public sealed record MentoringProgram
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required ProgramKind Kind { get; init; }
    /// <summary>Group programs only: people per group (3-5).</summary>
    public int? GroupSize { get; init; }
    public PairingShape Pairing { get; init; } = PairingShape.Peers;
    public RolePolicy Roles { get; init; } = new();
    public BuddyPolicy Buddies { get; init; } = new();
    public RegistrationWindow Registration { get; init; } = new();
    public required IReadOnlyList<string> AdminEmails { get; init; }
    public string TimeZone { get; init; } = "UTC";
    public Questionnaire Questionnaire { get; init; } = new();
    /// <summary>Secrets that authenticate forms-tool webhooks; several allow rotation. The first is current.</summary>
    public IReadOnlyList<string> WebhookSecrets { get; init; } = [];
    /// <summary>Per forms provider: the provider's stable field id (Typeform ref, Tally key, Jotform qid/name) -> question key.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> FieldMaps { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();
    public MatchingPolicy Matching { get; init; } = new();
    /// <summary>Admin-led (default) or user-led pairing.</summary>
    public ChoosingPolicy Choosing { get; init; } = new();
    public WindowPolicy Windows { get; init; } = new();
    public EngagementPolicy Engagement { get; init; } = new();
    /// <summary>What pairs talk about, session by session; null means the built-in agenda for the program's kind, empty means none.</summary>
    public IReadOnlyList<AgendaSession>? Agendas { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
