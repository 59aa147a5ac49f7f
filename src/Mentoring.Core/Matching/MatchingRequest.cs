using Mentoring.Core.Matching.Rules;
using Mentoring.Core.Matching.Scoring;
using Mentoring.Core.Participants;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Matching;

/// <summary>Everything one draft depends on; <see cref="MatchingEngine.Draft"/> is a pure function of it.</summary>
public sealed record MatchingRequest
{
    public required MentoringProgram Program { get; init; }

    /// <summary>The snapshot of registrations. Withdrawn people are set aside, never matched.</summary>
    public required IReadOnlyList<Participant> Participants { get; init; }

    /// <summary>The instant at which time-zone offsets are read (take it from the workflow's clock, not the wall clock).</summary>
    public required DateTimeOffset At { get; init; }

    public MatchingHistory History { get; init; } = new();

    /// <summary>Pairs an admin forbade for this draft (for example after a rejection).</summary>
    public IReadOnlyList<ParticipantPair> ForbiddenPairs { get; init; } = [];

    /// <summary>Pairs an admin fixed for this draft. Kept unless a hard rule forbids them or someone is gone (then a note says so).</summary>
    public IReadOnlyList<ParticipantPair> PinnedPairs { get; init; } = [];

    /// <summary>People an admin left out of this draft.</summary>
    public IReadOnlyList<string> ExcludedParticipantIds { get; init; } = [];

    /// <summary>Roles programs: mentors who keep their pinned mentees and are given no others.</summary>
    public IReadOnlyList<string> PinnedOnlyParticipantIds { get; init; } = [];

    public MatchingOptions Options { get; init; } = new();
}

/// <summary>What earlier rounds of the same program left behind.</summary>
public sealed record MatchingHistory
{
    /// <summary>Pairs from earlier rounds; never repeated.</summary>
    public IReadOnlyList<ParticipantPair> PreviousPairs { get; init; } = [];

    /// <summary>Groups (and trios) from earlier rounds: every two members count as paired before.</summary>
    public IReadOnlyList<IReadOnlyList<string>> PreviousGroups { get; init; } = [];

    /// <summary>People who waited last round; they get priority so that nobody waits twice in a row.</summary>
    public IReadOnlyList<string> WaitlistedLastRound { get; init; } = [];

    /// <summary>Waitlisted people an admin asked to include in this window's next draft: the same priority.</summary>
    public IReadOnlyList<string> IncludedByAdmin { get; init; } = [];

    /// <summary>Active pairs each person already holds (evergreen): roles programs offer a mentor only the rest of their capacity.</summary>
    public IReadOnlyDictionary<string, int> ActivePairings { get; init; } = new Dictionary<string, int>();

    /// <summary>Every pair that counts as "paired before".</summary>
    public IEnumerable<ParticipantPair> AllPreviousPairs()
    {
        foreach (var p in PreviousPairs)
        {
            yield return p;
        }
        foreach (var g in PreviousGroups)
        {
            for (var i = 0; i < g.Count; i++)
            {
                for (var j = i + 1; j < g.Count; j++)
                {
                    yield return new ParticipantPair(g[i], g[j]);
                }
            }
        }
    }
}

/// <summary>Engine knobs; the defaults are what the product documents.</summary>
public sealed record MatchingOptions
{
    public ScoringOptions Scoring { get; init; } = new();

    /// <summary>Above this many people the complete graph is not built: the priced solver works from each person's best candidates and proves
    /// optimality over all pairs. Measured on a 2-core VM with six criteria: 1,000 people take about 0.4 s either way; at 2,000 the complete
    /// graph (2 million edges) took 4.2 s and the priced path 1.9 s.</summary>
    public int LargeProgramThreshold { get; init; } = 1000;

    /// <summary>Candidates per person for the priced solver.</summary>
    public int CandidatesPerNode { get; init; } = 20;

    /// <summary>Group programs: local search runs at most this many passes.</summary>
    public int GroupSearchMaxPasses { get; init; } = 50;

    /// <summary>Group programs: above this many people local search is skipped (it is quadratic per pass).</summary>
    public int GroupSearchMaxPeople { get; init; } = 3000;
}
