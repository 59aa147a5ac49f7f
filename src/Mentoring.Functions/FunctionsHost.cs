using Azure.Identity;
using Azure.Storage.Queues;
using Mentoring.Api;
using Mentoring.Core.Decisions;
using Mentoring.Core.Mail;
using Mentoring.Core.Persistence;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;
using Mentoring.Cosmos;
using Mentoring.Functions.Mail;
using Mentoring.Functions.Windows;
using Mentoring.Functions.Work;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SendGrid;

namespace Mentoring.Functions;

/// <summary>Composition of the Azure host: the shared use cases, the Cosmos DB store, the SendGrid mailer, the Storage work queue.</summary>
public static class FunctionsHost
{
    public const string CosmosSection = "Mentoring:Cosmos";

    /// <summary>The work queue's name (app setting <c>Mentoring__Work__QueueName</c>); its poison queue is this plus "-poison".</summary>
    public const string WorkQueueNameSetting = "Mentoring:Work:QueueName";

    /// <summary>The host's storage: a connection string locally (Azurite), or <c>AzureWebJobsStorage__queueServiceUri</c> in Azure.</summary>
    public const string HostStorageSetting = "AzureWebJobsStorage";

    public static IServiceCollection AddFunctionsHost(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddMentoringApi(configuration);
        // The workflow host is Durable Functions, whose client is a per-invocation binding ([DurableClient]); the desks
        // that need it are built per call by WindowDesks instead of living in the container without a host.
        services.RemoveAll<WindowDesk>();
        services.RemoveAll<DecisionDesk>();
        services.AddSingleton<WindowDesks>();

        services.AddCosmosDocumentStore(CosmosOptions(configuration));

        services.AddOptions<SendGridOptions>().Bind(configuration.GetSection(SendGridOptions.Section))
            .Validate(o => o.EventWebhookPublicKey is not { Length: > 0 } key || SendGridOptions.IsPublicKey(key),
                "Mentoring:SendGrid:EventWebhookPublicKey is not an EC public key (copy it from SendGrid, Mail Settings > Event Webhook).")
            .ValidateOnStart();
        // Lazy: a missing API key fails the first send with a clear message, not the start of the whole app (forms
        // webhooks and drafts keep working until the key is in Key Vault).
        services.AddSingleton(provider => new Lazy<ISendGridClient>(
            () => new SendGridClient(provider.GetRequiredService<IOptions<SendGridOptions>>().Value.RequireApiKey())));
        services.AddSingleton<IMailer, SendGridMailer>();

        // Engagement work: AddMentoringApi registers the jobs (IScheduledJob) and purpose handlers (IWorkPurposeHandler);
        // the timer functions run the jobs, the queue-triggered function hands each item to the router.
        services.TryAddScoped<IWorkHandler, WorkRouter>();
        services.AddSingleton(provider =>
        {
            var (queue, poison) = CreateWorkQueueClients(configuration);
            return new StorageQueueWorkQueue(queue, poison, provider.GetRequiredService<IDocumentStore>(),
                provider.GetRequiredService<TimeProvider>(), provider.GetService<ILogger<StorageQueueWorkQueue>>());
        });
        services.AddSingleton<IWorkQueue>(provider => provider.GetRequiredService<StorageQueueWorkQueue>());
        services.AddSingleton<IWorkFailureLog>(provider => provider.GetRequiredService<StorageQueueWorkQueue>());
        return services;
    }

    /// <summary>
    /// The clients of the work queue and its poison queue, Base64-encoded as the queue trigger reads and the host writes them.
    /// With a connection string in <c>AzureWebJobsStorage</c> (local runs) they use it; otherwise they use
    /// <c>AzureWebJobsStorage__queueServiceUri</c> with <see cref="DefaultAzureCredential"/> (the app's user-assigned
    /// identity, picked by <c>AZURE_CLIENT_ID</c>, which needs Storage Queue Data Contributor).
    /// </summary>
    public static (QueueClient Queue, QueueClient Poison) CreateWorkQueueClients(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var name = configuration[WorkQueueNameSetting] is { Length: > 0 } configured
            ? configured
            : throw new InvalidOperationException($"{WorkQueueNameSetting} (app setting Mentoring__Work__QueueName) is not set: the work queue has no name.");
        var poisonName = name + StorageQueueWorkQueue.PoisonSuffix;
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        if (configuration[HostStorageSetting] is { Length: > 0 } connectionString)
        {
            return (new QueueClient(connectionString, name, options), new QueueClient(connectionString, poisonName, options));
        }

        if (configuration[$"{HostStorageSetting}:queueServiceUri"] is not { Length: > 0 } serviceUri)
        {
            throw new InvalidOperationException(
                $"Neither {HostStorageSetting} (a connection string) nor {HostStorageSetting}__queueServiceUri is set: the work queue cannot be reached.");
        }

        var service = new Uri(serviceUri.EndsWith('/') ? serviceUri : serviceUri + "/");
        var credential = new DefaultAzureCredential();
        return (new QueueClient(new Uri(service, name), credential, options), new QueueClient(new Uri(service, poisonName), credential, options));
    }

    /// <summary>
    /// Creates the Cosmos database and container when <c>Mentoring:Cosmos:CreateIfMissing</c> is true (local emulator), and
    /// the work queues when the host storage is a connection string (Azurite).
    /// </summary>
    /// <remarks>In Azure the Bicep creates them: with local auth disabled, the app's data-plane role cannot create containers.</remarks>
    public static async Task InitializeFunctionsHostAsync(this IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var configuration = host.Services.GetRequiredService<IConfiguration>();
        if (configuration.GetValue<bool>($"{CosmosSection}:CreateIfMissing"))
        {
            await host.Services.GetRequiredService<CosmosDocumentStore>().InitializeAsync();
        }

        // Locally (a connection string, Azurite) the queues may not exist yet; in Azure the Bicep creates them.
        if (configuration[HostStorageSetting] is { Length: > 0 })
        {
            await host.Services.GetRequiredService<StorageQueueWorkQueue>().CreateQueuesIfNotExistsAsync();
        }
    }

    public static CosmosStoreOptions CosmosOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(CosmosSection);
        return new CosmosStoreOptions
        {
            ConnectionString = section["ConnectionString"] is { Length: > 0 } connectionString ? connectionString : null,
            // With AccountEndpoint the store uses DefaultAzureCredential: the app's user-assigned identity (AZURE_CLIENT_ID) in Azure.
            AccountEndpoint = section["AccountEndpoint"] is { Length: > 0 } endpoint ? new Uri(endpoint) : null,
            DatabaseName = section["DatabaseName"] is { Length: > 0 } database ? database : "mentoring",
            ContainerName = section["ContainerName"] is { Length: > 0 } container ? container : CosmosStoreOptions.DefaultContainerName,
        };
    }
}
