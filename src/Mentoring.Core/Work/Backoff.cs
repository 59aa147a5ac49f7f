namespace Mentoring.Core.Work;

/// <summary>Exponential backoff between attempts, as the work queue and the mail outbox retry.</summary>
public static class Backoff
{
    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1-based): <paramref name="first"/>, doubled per further failure, capped at <paramref name="max"/>.</summary>
    public static TimeSpan After(int attempt, TimeSpan first, TimeSpan max)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        return TimeSpan.FromTicks((long)Math.Min(first.Ticks * factor, max.Ticks));
    }
}
