using Mentoring.Api.Http;
using Mentoring.Core.Common;
using Mentoring.Core.Matching;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Api;

public static class DependencyInjection
{
    /// <summary>The core's use cases and the API's filters. The host adds a store (<c>IDocumentStore</c>) and a clock.</summary>
    public static IServiceCollection AddMentoringApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminKeyOptions>().Bind(configuration.GetSection(AdminKeyOptions.Section));
        services.TryAddTimeProvider();
        services.AddSingleton<ProgramCatalog>();
        services.AddSingleton<ParticipantRegistry>();
        services.AddSingleton<WebhookIntake>();
        services.AddSingleton<MatchPreview>();
        services.AddSingleton<AdminKeyFilter>();
        services.AddSingleton<DomainExceptionFilter>();
        services.ConfigureHttpJsonOptions(o => MentoringJson.Apply(o.SerializerOptions));
        return services;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
