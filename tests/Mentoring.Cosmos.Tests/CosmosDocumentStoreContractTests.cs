using Mentoring.Contracts;
using Mentoring.Core.Persistence;

namespace Mentoring.Cosmos.Tests;

/// <summary>The shared contract on one container of the test server; each test uses its own program ids (partitions).</summary>
[Collection(CosmosServerGroup.Name)]
public sealed class CosmosDocumentStoreContractTests(CosmosServerFixture server) : DocumentStoreContract
{
    protected override Task<IDocumentStore> CreateStoreAsync() => Task.FromResult<IDocumentStore>(server.Store);
}
