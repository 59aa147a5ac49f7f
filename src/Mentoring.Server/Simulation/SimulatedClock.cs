namespace Mentoring.Server.Simulation;

/// <summary>The simulation's virtual clock: weeks pass in milliseconds. Only the simulation moves it.</summary>
public sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Set(DateTimeOffset to) => now = to > now ? to : now;
}
