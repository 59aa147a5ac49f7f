using Mentoring.Core.Persistence;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Cosmos;

public static class CosmosServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="CosmosClient"/> and the <see cref="CosmosDocumentStore"/> as <see cref="IDocumentStore"/>,
    /// all singletons. The host still calls <see cref="CosmosDocumentStore.InitializeAsync"/> once at startup (resolve
    /// <see cref="CosmosDocumentStore"/>), so creating the container never happens inside a request.
    /// </summary>
    /// <remarks>The Functions host passes <c>AccountEndpoint</c> and lets <c>DefaultAzureCredential</c> find its managed identity.</remarks>
    public static IServiceCollection AddCosmosDocumentStore(
        this IServiceCollection services, CosmosStoreOptions options, CosmosClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton(_ => CosmosDocumentStore.CreateClient(options, clientOptions));
        services.AddSingleton(provider => new CosmosDocumentStore(provider.GetRequiredService<CosmosClient>(), options));
        services.AddSingleton<IDocumentStore>(provider => provider.GetRequiredService<CosmosDocumentStore>());
        return services;
    }
}
