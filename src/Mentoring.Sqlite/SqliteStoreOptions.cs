namespace Mentoring.Sqlite;

/// <summary>Where the SQLite document store keeps its file, and how long a writer waits for the lock.</summary>
/// <param name="DatabasePath">The database file; its folder is created on first use.</param>
public sealed record SqliteStoreOptions(string DatabasePath)
{
    /// <summary>How long a statement waits for another connection's write lock before giving up.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
