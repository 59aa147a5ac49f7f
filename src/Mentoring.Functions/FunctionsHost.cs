using Mentoring.Api;
using Mentoring.Core.Decisions;
using Mentoring.Core.Mail;
using Mentoring.Core.Windows;
using Mentoring.Cosmos;
using Mentoring.Functions.Mail;
using Mentoring.Functions.Windows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SendGrid;

namespace Mentoring.Functions;

/// <summary>Composition of the Azure host: the shared use cases, the Cosmos DB store, the SendGrid mailer.</summary>
public static class FunctionsHost
{
    public const string CosmosSection = "Mentoring:Cosmos";

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
        return services;
    }

    /// <summary>Creates the Cosmos database and container when <c>Mentoring:Cosmos:CreateIfMissing</c> is true (local emulator).</summary>
    /// <remarks>In Azure the Bicep creates them: with local auth disabled, the app's data-plane role cannot create containers.</remarks>
    public static async Task InitializeFunctionsHostAsync(this IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var configuration = host.Services.GetRequiredService<IConfiguration>();
        if (configuration.GetValue<bool>($"{CosmosSection}:CreateIfMissing"))
        {
            await host.Services.GetRequiredService<CosmosDocumentStore>().InitializeAsync();
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
