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

    public static string RequestId(string from, string to) => from + ">" + to;
}

public sealed record FormedPair(string A, string B, PairFormedBy By, DateTimeOffset At)
{
    public bool Has(string id) => A == id || B == id;
}

/// <summary>What happened while participants chose: who may take part (with capacity), requests, pairs, choices.</summary>
public sealed record ChoosingState
{
    public required ChoosingPlan Plan { get; init; }
    public DateTimeOffset? EndsAt { get; init; }
    /// <summary>Everyone invited to choose and how many partners each may have; empty until the invitations went out.</summary>
    public IReadOnlyDictionary<string, int> Capacities { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);
    public IReadOnlyList<PairRequest> Requests { get; init; } = [];
    public IReadOnlyList<FormedPair> Pairs { get; init; } = [];
    /// <summary>People who already sent their choice (once each).</summary>
    public IReadOnlyList<string> Chose { get; init; } = [];
    /// <summary>People who asked not to be matched by the engine if their picks do not work out.</summary>
    public IReadOnlyList<string> NoFallback { get; init; } = [];

    public int PairCount(string id) => Pairs.Count(p => p.Has(id));

    public bool IsFull(string id) => PairCount(id) >= Capacities.GetValueOrDefault(id);

    public bool Paired(string a, string b) => Pairs.Any(p => p.Has(a) && p.Has(b));

    public PairRequest? OpenRequest(string from, string to) =>
        Requests.FirstOrDefault(r => r.Status == RequestStatus.Open && r.From == from && r.To == to);
}
