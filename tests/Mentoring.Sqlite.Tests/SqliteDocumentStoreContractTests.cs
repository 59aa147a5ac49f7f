using Mentoring.Contracts;
using Mentoring.Core.Persistence;

namespace Mentoring.Sqlite.Tests;

/// <summary>The shared contract on a real SQLite file in a fresh temp folder per test.</summary>
public sealed class SqliteDocumentStoreContractTests : DocumentStoreContract, IDisposable
{
    private readonly TempDatabaseFolder _folder = new();

    protected override Task<IDocumentStore> CreateStoreAsync() => Task.FromResult<IDocumentStore>(_folder.OpenStore());

    public void Dispose() => _folder.Dispose();
}
