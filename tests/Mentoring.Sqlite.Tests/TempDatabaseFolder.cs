using Mentoring.Sqlite;

namespace Mentoring.Sqlite.Tests;

/// <summary>A fresh folder per test for SQLite files; disposes the stores opened in it, then deletes it.</summary>
internal sealed class TempDatabaseFolder : IDisposable
{
    private readonly List<SqliteDocumentStore> _stores = [];

    public TempDatabaseFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "mentoring-sqlite-tests", Guid.NewGuid().ToString("N"));
    }

    /// <summary>Not created up front: the store must create it.</summary>
    public string Root { get; }

    public string DatabasePath => Path.Combine(Root, "data", "mentoring.db");

    public SqliteDocumentStore OpenStore()
    {
        var store = new SqliteDocumentStore(new SqliteStoreOptions(DatabasePath));
        lock (_stores)
        {
            _stores.Add(store);
        }

        return store;
    }

    public void Dispose()
    {
        lock (_stores)
        {
            foreach (var store in _stores)
            {
                store.Dispose();
            }
        }

        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
