using Mentoring.Core.Programs;

namespace Mentoring.Core.Engagement.CheckIns;

/// <summary>
/// The check-in rounds of one match. Round n (n &gt;= 1) is due at IntroducedAt + n * CheckInEveryDays while n * CheckInEveryDays
/// is within ProgramLengthDays. A round is open from its due time until the next round is due (the last round stays open
/// for one more interval); it is complete once it closes. Pure.
/// </summary>
public readonly record struct CheckInSchedule(DateTimeOffset IntroducedAt, int EveryDays, int LengthDays)
{
    public static CheckInSchedule For(EngagementPolicy policy, DateTimeOffset introducedAt)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new(introducedAt, Math.Max(1, policy.CheckInEveryDays), Math.Max(0, policy.ProgramLengthDays));
    }

    /// <summary>The number of rounds the program has (0 when it is shorter than one interval).</summary>
    public int Rounds => LengthDays / EveryDays;

    public DateTimeOffset DueAt(int round) => IntroducedAt.AddDays((double)round * EveryDays);

    /// <summary>When answers to this round stop being accepted: the next round's due time.</summary>
    public DateTimeOffset ClosesAt(int round) => DueAt(round + 1);

    /// <summary>The open round at <paramref name="now"/>, or null before the first round and after the last one closed.</summary>
    public int? OpenRound(DateTimeOffset now)
    {
        var elapsed = ElapsedIntervals(now);
        return elapsed >= 1 && elapsed <= Rounds ? elapsed : null;
    }

    /// <summary>How many rounds are complete (closed) at <paramref name="now"/>.</summary>
    public int CompletedRounds(DateTimeOffset now) => Math.Clamp(ElapsedIntervals(now) - 1, 0, Rounds);

    /// <summary>Whether <paramref name="round"/> takes answers at <paramref name="now"/>.</summary>
    public bool IsOpen(int round, DateTimeOffset now) => round >= 1 && round <= Rounds && now >= DueAt(round) && now < ClosesAt(round);

    private int ElapsedIntervals(DateTimeOffset now)
    {
        if (now < IntroducedAt)
        {
            return 0;
        }
        var days = (now - IntroducedAt).TotalDays;
        var intervals = (long)Math.Floor(days / EveryDays);
        // Floating point: an instant exactly on a due time must count as due.
        while (intervals + 1 <= int.MaxValue && DueAt((int)(intervals + 1)) <= now)
        {
            intervals++;
        }
        while (intervals > 0 && DueAt((int)intervals) > now)
        {
            intervals--;
        }
        return (int)Math.Min(intervals, int.MaxValue - 1);
    }

    /// <summary>"every week", "every two weeks", "every month", "every 10 days": the cadence in the mails' words.</summary>
    public static string Wording(int everyDays) => everyDays switch
    {
        1 => "every day",
        7 => "every week",
        14 => "every two weeks",
        21 => "every three weeks",
        28 => "every four weeks",
        30 or 31 => "every month",
        _ when everyDays % 7 == 0 => $"every {everyDays / 7} weeks",
        _ => $"every {everyDays} days",
    };
}
