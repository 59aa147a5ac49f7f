namespace Mentoring.Testing;

/// <summary>A clock that only moves when a test moves it. Tests never sleep.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock gate = new();
    private DateTimeOffset now = start;

    public ManualClock() : this(new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (gate)
        {
            now += by;
        }
    }

    public void Set(DateTimeOffset to)
    {
        lock (gate)
        {
            now = to;
        }
    }
}
