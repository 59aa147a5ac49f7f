using System.Security.Cryptography.X509Certificates;
using Azure.Identity;
using Azure.Storage.Queues;
using Mentoring.Api;
using Mentoring.Api.Mail;
using Mentoring.Core.Decisions;
using Mentoring.Core.Mail;
using Mentoring.Core.Persistence;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;
using Mentoring.Cosmos;
using Mentoring.Functions.Mail;
using Mentoring.Functions.Windows;
using Mentoring.Functions.Work;
using Microsoft.Azure.Cosmos;
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

    /// <summary>How mail leaves the app: <see cref="MailTransport"/> (app setting <c>Mentoring__Mail__Transport</c>).</summary>
    public const string MailTransportSetting = "Mentoring:Mail:Transport";

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
        services.RemoveAll<Mentoring.Core.Choosing.ChoosingDesk>();
        services.RemoveAll<Mentoring.Api.Dashboard.DashboardDesk>();
        services.AddSingleton<WindowDesks>();
        services.AddSingleton<Http.ApiSurface>(); // the OpenAPI document, built on first request

        // One CosmosClientOptions instance in the container: the client is built from it on first use.
        var cosmosClientOptions = CosmosClientOptionsFor(configuration);
        services.AddSingleton(cosmosClientOptions);
        services.AddCosmosDocumentStore(CosmosOptions(configuration), cosmosClientOptions);

        services.AddOptions<SendGridOptions>().Bind(configuration.GetSection(SendGridOptions.Section))
            .Validate(o => o.EventWebhookPublicKey is not { Length: > 0 } key || SendGridOptions.IsPublicKey(key),
                "Mentoring:SendGrid:EventWebhookPublicKey is not an EC public key (copy it from SendGrid, Mail Settings > Event Webhook).")
            .ValidateOnStart();
        // Lazy: a missing API key fails the first send with a clear message, not the start of the whole app (forms
        // webhooks and drafts keep working until the key is in Key Vault).
        services.AddSingleton(provider => new Lazy<ISendGridClient>(() => CreateSendGridClient(provider.GetRequiredService<IOptions<SendGridOptions>>().Value)));
        switch (MailTransportOf(configuration))
        {
            case MailTransport.Local:
                services.AddSingleton<KeptMailStore>();
                services.AddSingleton<IMailer>(provider => Deliverable(provider, provider.GetRequiredService<KeptMailStore>()));
                break;
            case MailTransport.Smtp:
                services.AddSingleton(provider => new SentMailLedger(provider.GetRequiredService<IDocumentStore>(), provider.GetRequiredService<TimeProvider>(),
                    provider.GetService<ILogger<SentMailLedger>>()));
                // The embedded server's MailKit sender (Mentoring.Api), behind the same sent-mail ledger as SendGrid.
                services.AddSingleton<ISmtpRelay>(provider =>
                {
                    var smtp = configuration.GetSection(SmtpOptions.Section).Get<SmtpOptions>() ?? new SmtpOptions();
                    return smtp.IsConfigured
                        ? new MailKitSmtpRelay(new SmtpMailSender(smtp, provider.GetRequiredService<TimeProvider>()))
                        : throw new InvalidOperationException($"{MailTransportSetting} is Smtp but {SmtpOptions.Section}:Host (app setting Mentoring__Smtp__Host) is not set.");
                });
                services.AddSingleton<IMailer>(provider => Deliverable(provider, new SmtpRelayMailer(provider.GetRequiredService<ISmtpRelay>(),
                    provider.GetRequiredService<SentMailLedger>())));
                break;
            default:
                services.AddSingleton<SendGridMailer>();
                services.AddSingleton<IMailer>(provider => Deliverable(provider, provider.GetRequiredService<SendGridMailer>()));
                break;
        }

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

    /// <summary>The transport behind the filter that suppresses addresses today's rule refuses (the embedded host does the same).</summary>
    private static UndeliverableAddressFilter Deliverable(IServiceProvider provider, IMailer transport) =>
        new(transport, provider.GetRequiredService<IDocumentStore>(), provider.GetRequiredService<TimeProvider>());

    /// <summary>The mail transport setting (<c>Mentoring:Mail:Transport</c>); SendGrid when unset.</summary>
    public static MailTransport MailTransportOf(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[MailTransportSetting] is not { Length: > 0 } value ? MailTransport.SendGrid
            : Enum.TryParse<MailTransport>(value, ignoreCase: true, out var transport) && Enum.IsDefined(transport) ? transport
            : throw new InvalidOperationException($"{MailTransportSetting} is '{value}'; use SendGrid, Smtp or Local.");
    }

    /// <summary>The SendGrid client for <paramref name="settings"/>: SendGrid's API, or <see cref="SendGridOptions.ApiHost"/> when set.</summary>
    public static SendGridClient CreateSendGridClient(SendGridOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var clientOptions = new SendGridClientOptions { ApiKey = settings.RequireApiKey() };
        if (settings.ApiHost is { Length: > 0 } host)
        {
            clientOptions.Host = host;
        }

        return new SendGridClient(clientOptions);
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
        host.Services.GetRequiredService<IMailer>(); // a mail transport that cannot work stops the start, not the first mail
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

    /// <summary>
    /// The Cosmos client's transport from <c>Mentoring:Cosmos</c>: <c>ConnectionMode</c> (<c>Direct</c>, the SDK's default
    /// and the fastest in Azure, or <c>Gateway</c>, HTTPS to the account endpoint only: what emulators speak),
    /// <c>EndpointDiscovery</c> (true: the SDK follows the account's regions; false: it talks to the configured endpoint
    /// only, as an emulator needs) and <c>EmulatorCertificatePath</c> (a PEM file: the one self-signed certificate to
    /// trust, for an emulator whose certificate the machine does not; Gateway mode only).
    /// </summary>
    public static CosmosClientOptions CosmosClientOptionsFor(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(CosmosSection);
        var options = new CosmosClientOptions();
        if (section["ConnectionMode"] is { Length: > 0 } mode)
        {
            options.ConnectionMode = Enum.TryParse<ConnectionMode>(mode, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new InvalidOperationException($"{CosmosSection}:ConnectionMode is '{mode}'; use Direct or Gateway.");
        }

        if (section["EndpointDiscovery"] is { Length: > 0 } discovery)
        {
            options.LimitToEndpoint = !(bool.TryParse(discovery, out var discover)
                ? discover
                : throw new InvalidOperationException($"{CosmosSection}:EndpointDiscovery is '{discovery}'; use true or false."));
        }

        if (section["EmulatorCertificatePath"] is { Length: > 0 } certificatePath)
        {
            if (options.ConnectionMode != ConnectionMode.Gateway)
            {
                throw new InvalidOperationException(
                    $"{CosmosSection}:EmulatorCertificatePath needs {CosmosSection}:ConnectionMode Gateway: Direct mode does not go through the HTTP client that trusts it.");
            }

            var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath)).RawData;
            options.HttpClientFactory = () => new HttpClient(new SocketsHttpHandler
            {
                SslOptions =
                {
                    // The emulator's own certificate and nothing else: a pinned self-signed certificate, not "accept any".
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                        errors == System.Net.Security.SslPolicyErrors.None
                        || (certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(trusted)),
                },
            });
        }

        return options;
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
