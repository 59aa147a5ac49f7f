using Mentoring.Core.Matching.Scoring;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Matching;

/// <summary>A computed proposal of pairs (or trios, or groups) for admins to approve. Nothing is sent from a draft.</summary>
public sealed record PairDraft
{
    public required string ProgramId { get; init; }
    public required ProgramKind Kind { get; init; }
    public required MatchingObjective Objective { get; init; }
    public required OddCountPolicy OddCount { get; init; }
    public required DateTimeOffset At { get; init; }
    public IReadOnlyList<DraftPair> Pairs { get; init; } = [];
    /// <summary>Pairs that took an odd person as a third (Trio policy).</summary>
    public IReadOnlyList<DraftGroup> Trios { get; init; } = [];
    /// <summary>Group programs only.</summary>
    public IReadOnlyList<DraftGroup> Groups { get; init; } = [];
    public IReadOnlyList<WaitlistEntry> Waitlist { get; init; } = [];
    /// <summary>People in the snapshot who were not considered (withdrawn, excluded by an admin).</summary>
    public IReadOnlyList<SetAsideEntry> SetAside { get; init; } = [];
    public required DraftStats Stats { get; init; }
    /// <summary>1:1 drafts: the proof that no other set of pairs scores higher.</summary>
    public OptimalityCertificate? Certificate { get; init; }
    /// <summary>Group drafts: what the grouping heuristic optimised and how far local search moved.</summary>
    public GroupSearchReport? GroupSearch { get; init; }
    /// <summary>Things an admin should know: pins that could not be kept, questions that do not count.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>A person in a draft. <paramref name="Role"/>: the role they hold in this pair in roles programs ("mentor", "mentee"); null for peers.</summary>
public sealed record DraftMember(string Id, string Name, string Email, string? Role = null);

/// <summary>Two people, their score, the points per criterion and the sentence behind it.</summary>
public sealed record DraftPair(DraftMember A, DraftMember B, int Score, IReadOnlyList<CriterionPoints> Criteria, string Sentence, bool Pinned = false)
{
    /// <summary>Buddies programs: the kind of buddy A is to the newcomer B (a key of the program's buddy kinds).</summary>
    public string? BuddyKind { get; init; }
}

/// <summary>A trio or group: its score is the sum of the scores of every pair inside it, each listed in <see cref="Links"/>.</summary>
public sealed record DraftGroup(IReadOnlyList<DraftMember> Members, int Score, IReadOnlyList<DraftPair> Links, string Sentence)
{
    /// <summary>Led groups: the lead's id (the first member); the links are lead-mentee pairs. Null for peer groups and trios.</summary>
    public string? LeadId { get; init; }

    /// <summary>The mean of the links' scores: how a trio compares with a pair (its <see cref="Score"/> sums three links).</summary>
    public double MeanLinkScore => Links.Count == 0 ? Score : Math.Round(Links.Average(l => l.Score), 1);
}

public enum WaitlistReason
{
    /// <summary>Every other person is excluded by a hard rule.</summary>
    NoAllowedPartner,
    /// <summary>An odd number of people: someone had to wait.</summary>
    OddCount,
    /// <summary>They have allowed partners, but each is needed elsewhere or pinned.</summary>
    PartnersTaken,
    /// <summary>HighestScore objective: pairing them would lower the total score.</summary>
    LowerTotalScore,
    /// <summary>Group programs: no group can take them without breaking a rule, or too few people for a group.</summary>
    NoGroupFits,
}

public sealed record WaitlistEntry(DraftMember Person, WaitlistReason Reason, string Explanation, bool WaitlistedLastRound)
{
    /// <summary>Buddies programs: the kind of buddy this newcomer is still waiting for (one entry per missing kind), or that this buddy was not needed as.</summary>
    public string? BuddyKind { get; init; }
}

public sealed record SetAsideEntry(DraftMember Person, string Reason);

/// <summary>Figures for the admin email. Mean, lowest and highest count a trio with the mean of its links, a group with its sum; the total sums every link.</summary>
public sealed record DraftStats(
    int People,
    int PeopleMatched,
    int PeopleWaitlisted,
    int Pairs,
    int Trios,
    int Groups,
    long TotalScore,
    double MeanScore,
    int MinScore,
    int MaxScore);

/// <summary>The optimality proof of a 1:1 draft.</summary>
/// <param name="IsOptimal">The independent verifier accepted the solver's dual certificate.</param>
/// <param name="Objective">The objective in words.</param>
/// <param name="Statement">What the certificate proves, for the admin email.</param>
/// <param name="Method">How the optimum was computed (complete graph, or priced candidates).</param>
/// <param name="AllowedPairs">Edges of the graph the verifier checked: every allowed pair (complete path), or the final candidate graph (priced path, whose pricing covered every other allowed pair).</param>
/// <param name="VerifierReason">Why verification failed, when it did.</param>
public sealed record OptimalityCertificate(bool IsOptimal, string Objective, string Statement, string Method, long AllowedPairs, string? VerifierReason);

/// <summary>How the grouping heuristic did: its objective at the start (exact pairs merged into groups) and after local search.</summary>
public sealed record GroupSearchReport(string Objective, long StartScore, long EndScore, int Moves, int Swaps, int Passes, bool LocalOptimum, string Summary);
