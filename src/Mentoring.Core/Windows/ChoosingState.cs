using System.Text.Json.Serialization;

namespace Mentoring.Core.Windows;

/// <summary>User-led windows: the program's choosing rules, captured when the window opens.</summary>
public sealed record ChoosingPlan(TimeSpan Period, int MaxPicks, bool AutoApprove);

[JsonConverter(typeof(JsonStringEnumConverter<RequestStatus>))]
public enum RequestStatus
{
    Open,
    Accepted,
    /// <summary>Declined by the person asked. The requester is never told; to them it is the same as lapsed.</summary>
    Declined,
    /// <summary>Closed without an answer: someone's capacity filled up, or the choosing deadline passed.</summary>
    Lapsed,
}

/// <summary>Roles programs: the side a person registered for. "Either" people take the side of their first pair.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChooserRole>))]
public enum ChooserRole
{
    Mentor,
    Mentee,
    Either,
}

[JsonConverter(typeof(JsonStringEnumConverter<PairFormedBy>))]
public enum PairFormedBy
{
    /// <summary>Both picked each other.</summary>
    MutualPick,
    /// <summary>One asked, the other accepted.</summary>
    AcceptedRequest,
}

/// <summary><paramref name="From"/> picked <paramref name="To"/> and waits for an answer.</summary>
public sealed record PairRequest(string From, string To, RequestStatus Status, DateTimeOffset At, DateTimeOffset? AnsweredAt = null)
{
    public string Id => RequestId(From, To);

    /// <summary>Roles programs: which of the two would mentor the other (fixed when the pick was made, as the mail said it). Null for peers.</summary>
    public string? Mentor { get; init; }

    public static string RequestId(string from, string to) => from + ">" + to;
}

public sealed record FormedPair(string A, string B, PairFormedBy By, DateTimeOffset At)
{
    /// <summary>Roles programs: which of the two mentors the other. Null for peers.</summary>
    public string? Mentor { get; init; }

    public bool Has(string id) => A == id || B == id;

    public string Other(string id) => A == id ? B : A;
}

/// <summary>What happened while participants chose: who may take part (with capacity), requests, pairs, choices.</summary>
public sealed record ChoosingState
{
    public required ChoosingPlan Plan { get; init; }
    public DateTimeOffset? EndsAt { get; init; }
    /// <summary>Everyone invited to choose and how many partners each may have; empty until the invitations went out.</summary>
    public IReadOnlyDictionary<string, int> Capacities { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);
    /// <summary>Roles programs: everyone's registered side. Empty for peer programs, where anyone may pick anyone.</summary>
    public IReadOnlyDictionary<string, ChooserRole> Roles { get; init; } = new Dictionary<string, ChooserRole>(StringComparer.Ordinal);
    public IReadOnlyList<PairRequest> Requests { get; init; } = [];
    public IReadOnlyList<FormedPair> Pairs { get; init; } = [];
    /// <summary>People who already sent their choice (once each).</summary>
    public IReadOnlyList<string> Chose { get; init; } = [];
    /// <summary>People who asked not to be matched by the engine if their picks do not work out.</summary>
    public IReadOnlyList<string> NoFallback { get; init; } = [];

    public int PairCount(string id) => Pairs.Count(p => p.Has(id));

    /// <summary>A mentee (or an "either" person paired as one) holds one mentor; anyone else holds up to their capacity.</summary>
    public bool IsFull(string id) => PairCount(id) >= (RoleOf(id) == ChooserRole.Mentee ? 1 : Capacities.GetValueOrDefault(id));

    /// <summary>The side a person plays now: registered, or for "either" people the side of the pairs they already have.</summary>
    public ChooserRole? RoleOf(string id)
    {
        if (!Roles.TryGetValue(id, out var role))
        {
            return null;
        }
        if (role != ChooserRole.Either || Pairs.FirstOrDefault(p => p.Has(id)) is not { } pair)
        {
            return role;
        }
        return pair.Mentor == id ? ChooserRole.Mentor : ChooserRole.Mentee;
    }

    /// <summary>
    /// Roles programs: who would mentor whom if <paramref name="from"/> paired with <paramref name="to"/>, by the sides
    /// they play now; null when the sides do not fit (two mentors, two mentees), or when both may still take either side
    /// (nobody could tell the other which side they asked for). Peers: never null, and the answer means nothing.
    /// </summary>
    public string? MentorOf(string from, string to)
    {
        if (Roles.Count == 0)
        {
            return from;
        }
        var (f, t) = (RoleOf(from), RoleOf(to));
        var fromMentors = (f is ChooserRole.Mentor or ChooserRole.Either) && (t is ChooserRole.Mentee or ChooserRole.Either);
        var toMentors = (t is ChooserRole.Mentor or ChooserRole.Either) && (f is ChooserRole.Mentee or ChooserRole.Either);
        return fromMentors == toMentors ? null : fromMentors ? from : to;
    }

    /// <summary>An open request can still become a pair: both have room, and the sides asked for are still the sides they play.</summary>
    public bool StillPossible(PairRequest request) =>
        !IsFull(request.From) && !IsFull(request.To) && (Roles.Count == 0 || MentorOf(request.From, request.To) == request.Mentor);

    public bool Paired(string a, string b) => Pairs.Any(p => p.Has(a) && p.Has(b));

    public PairRequest? OpenRequest(string from, string to) =>
        Requests.FirstOrDefault(r => r.Status == RequestStatus.Open && r.From == from && r.To == to);
}
