using Mentoring.Core.Programs;
using Mentoring.Core.Windows;

namespace Mentoring.Core.Engagement.Reports;

/// <summary>
/// User-led pairing in the program's published rounds: how the pairs came about, how requests were answered, and how long
/// people took to pair. Present for user-led programs (and programs with a user-led round in their history); null otherwise.
/// </summary>
public sealed record UserLedFigures
{
    /// <summary>Published user-led rounds.</summary>
    public required int Rounds { get; init; }
    /// <summary>Pairs (a trio or group counts once) published from user-led rounds, ended ones included: the shares' denominator.</summary>
    public required int Pairs { get; init; }
    public required OriginFigures MutualPick { get; init; }
    public required OriginFigures AcceptedRequest { get; init; }
    /// <summary>Paired by the engine at the choosing deadline (or changed by an admin's later draft).</summary>
    public required OriginFigures Fallback { get; init; }
    public required RequestFigures Requests { get; init; }
    public required TimeToPairFigures TimeToPair { get; init; }
}

/// <summary>How many pairs formed one way, and their share of <see cref="UserLedFigures.Pairs"/> (percentage, one decimal; null without pairs).</summary>
public sealed record OriginFigures(int Pairs, double? Share);

/// <summary>
/// The requests people sent by picking someone. <see cref="Answered"/> = accepted + declined (the person asked answered:
/// from the request's links, or by picking the requester back); lapsed requests closed unanswered (a capacity filled, or
/// the deadline came) and are not in it. <see cref="DeclineRate"/> = declined / answered, a percentage; null when none was answered.
/// </summary>
public sealed record RequestFigures(int Sent, int Accepted, int Declined, int Lapsed)
{
    public int Answered => Accepted + Declined;

    public double? DeclineRate => ProgramReport.Percent(Declined, Answered);
}

/// <summary>
/// Hours from the round's choosing opening (registration closed) to the pair forming, over the pairs people formed by
/// choosing (mutual picks and accepted requests); the engine's fallback pairs all form at the deadline and are left out.
/// Null without such pairs. The median of an even count is the mean of the middle two. One decimal.
/// </summary>
public sealed record TimeToPairFigures(int Pairs, double? MedianHours, double? MaxHours);

public static class UserLedReport
{
    /// <summary>The figures, or null for an admin-led program without user-led rounds.</summary>
    public static UserLedFigures? Compute(ReportInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var rounds = inputs.Rounds.Where(r => r.Choosing is not null).ToDictionary(r => r.WindowId, r => r.Choosing!, StringComparer.Ordinal);
        if (rounds.Count == 0 && inputs.Program.Choosing.Mode != PairingMode.UserLed)
        {
            return null;
        }
        var matches = inputs.Matches.Where(m => m.FormedBy is not null && rounds.ContainsKey(m.WindowId)).ToList();
        OriginFigures Origin(PairOrigin origin)
        {
            var count = matches.Count(m => m.FormedBy == origin);
            return new OriginFigures(count, ProgramReport.Percent(count, matches.Count));
        }
        var hours = matches
            .Where(m => (m.FormedBy is PairOrigin.MutualPick or PairOrigin.AcceptedRequest) && m.FormedAt is not null)
            .Select(m => Math.Max(0, (m.FormedAt!.Value - rounds[m.WindowId].OpenedAt).TotalHours))
            .Order()
            .ToList();
        return new UserLedFigures
        {
            Rounds = rounds.Count,
            Pairs = matches.Count,
            MutualPick = Origin(PairOrigin.MutualPick),
            AcceptedRequest = Origin(PairOrigin.AcceptedRequest),
            Fallback = Origin(PairOrigin.Fallback),
            Requests = new RequestFigures(rounds.Values.Sum(r => r.Requests), rounds.Values.Sum(r => r.Accepted), rounds.Values.Sum(r => r.Declined),
                rounds.Values.Sum(r => r.Lapsed)),
            TimeToPair = new TimeToPairFigures(hours.Count, hours.Count == 0 ? null : Round(Median(hours)), hours.Count == 0 ? null : Round(hours[^1])),
        };
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static double Round(double hours) => Math.Round(hours, 1, MidpointRounding.AwayFromZero);
}
