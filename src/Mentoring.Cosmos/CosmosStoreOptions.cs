using Mentoring.Core.Persistence;
using Azure.Core;

namespace Mentoring.Cosmos;

/// <summary>Where the Cosmos DB document store lives and how it authenticates.</summary>
/// <remarks>
/// Give either <see cref="ConnectionString"/> (account key; local tools, emulators) or <see cref="AccountEndpoint"/>
/// (Microsoft Entra ID: <see cref="Credential"/>, or <c>DefaultAzureCredential</c> when none is given, which picks up the
/// Functions app's managed identity in Azure and the developer's login locally).
/// </remarks>
public sealed record CosmosStoreOptions
{
    /// <summary>The default container: one for every program's documents, partitioned by <c>/programId</c>.</summary>
    public const string DefaultContainerName = "documents";

    public string? ConnectionString { get; init; }

    public Uri? AccountEndpoint { get; init; }

    /// <summary>Used with <see cref="AccountEndpoint"/>; <c>DefaultAzureCredential</c> when null.</summary>
    public TokenCredential? Credential { get; init; }

    public string DatabaseName { get; init; } = "mentoring";

    public string ContainerName { get; init; } = DefaultContainerName;

    /// <summary>
    /// Top-level document properties that queries filter on, indexed as <c>/body/{name}/?</c> when the container is
    /// created. Filters on other properties still work (the query runs as a scan inside the one program's partition).
    /// </summary>
    public IReadOnlyList<string> IndexedProperties { get; init; } = ["status"];

    internal void Validate()
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        if (hasConnectionString == (AccountEndpoint is not null))
        {
            throw new ArgumentException("Give exactly one of ConnectionString and AccountEndpoint.");
        }

        if (hasConnectionString && Credential is not null)
        {
            throw new ArgumentException("Credential goes with AccountEndpoint, not with ConnectionString.");
        }

        if (string.IsNullOrWhiteSpace(DatabaseName) || string.IsNullOrWhiteSpace(ContainerName))
        {
            throw new ArgumentException("DatabaseName and ContainerName must not be empty.");
        }

        ArgumentNullException.ThrowIfNull(IndexedProperties);
        foreach (var property in IndexedProperties)
        {
            DocumentQuery.ValidatePropertyName(property);
        }
    }
}
