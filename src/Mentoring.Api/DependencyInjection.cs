using Mentoring.Api.Dashboard;
using Mentoring.Api.Http;
using Mentoring.Core.Dashboard;
using Mentoring.Core.Common;
using Mentoring.Core.Decisions;
using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Participation;
using Mentoring.Core.Engagement.Reports;
using Mentoring.Core.Engagement.Summaries;
using Mentoring.Core.Engagement.Surveys;
using Mentoring.Core.Links;
using Mentoring.Core.Matching;
using Mentoring.Core.Privacy;
using Mentoring.Core.Programs;
using Mentoring.Core.Registration;
using Mentoring.Core.Windows;
using Mentoring.Core.Work;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mentoring.Api;

public static class DependencyInjection
{
    /// <summary>The core's use cases and the API's filters. The host adds a store (<c>IDocumentStore</c>) and a clock.</summary>
    public static IServiceCollection AddMentoringApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminKeyOptions>().Bind(configuration.GetSection(AdminKeyOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ProgramCatalog>();
        services.AddSingleton<ParticipantRegistry>();
        services.AddSingleton<WebhookIntake>();
        services.AddSingleton<MatchPreview>();
        services.AddSingleton<WindowDesk>();
        services.AddSingleton<ParticipantPrivacy>();
        services.AddSingleton<DecisionDesk>();
        services.AddSingleton<Mentoring.Core.Choosing.ChoosingLinks>();
        services.AddSingleton<Mentoring.Core.Choosing.ChoosingDesk>();
        services.AddSingleton<IWindowActivities, WindowActivities>();
        services.AddSingleton<DecisionLinks>();
        services.AddSingleton(_ => configuration["Mentoring:PublicBaseUrl"] is { Length: > 0 } url
            ? new DecisionLinkOptions { PublicBaseUrl = new Uri(url) }
            : new DecisionLinkOptions());
        services.AddSingleton(_ => new LinkSigner(LinkSigner.ParseKeys(configuration["Mentoring:SigningKeys"] is { Length: > 0 } keys
            ? keys
            : throw new InvalidOperationException("Mentoring:SigningKeys is not set: links in mails cannot be signed. Set it to 'id:base64-secret' (32+ bytes)."))));
        services.AddSingleton<DecisionTokens>();
        services.AddSingleton(_ => configuration.GetSection(DashboardOptions.Section).Get<DashboardOptions>() ?? new DashboardOptions());
        services.AddSingleton<AdminSessions>();
        services.AddSingleton<DashboardLinks>();
        services.AddSingleton<DashboardServices>();
        // The embedded host's one workflow host; Functions replaces this with a desk per call (its Durable client is a binding).
        services.AddSingleton(sp => new DashboardDesk(sp.GetRequiredService<DashboardServices>(), sp.GetRequiredService<IWindowHost>()));
        services.AddSingleton<ParticipantLinks>();
        services.AddSingleton<MatchDesk>();
        services.AddSingleton<ParticipantDesk>();
        services.AddSingleton<ProgramSummaryJob>();
        services.AddSingleton<ProgramSummaryHandler>();
        services.AddSingleton<IWorkPurposeHandler>(sp => sp.GetRequiredService<ProgramSummaryHandler>());
        services.AddSingleton<CheckInJob>();
        services.AddSingleton<IScheduledJob>(sp => sp.GetRequiredService<CheckInJob>());
        services.AddSingleton<CheckInHandler>();
        services.AddSingleton<IWorkPurposeHandler>(sp => sp.GetRequiredService<CheckInHandler>());
        services.AddSingleton<SurveyLinks>();
        services.AddSingleton<SurveyDesk>();
        services.AddSingleton<SurveyJob>();
        services.AddSingleton<IScheduledJob>(sp => sp.GetRequiredService<SurveyJob>());
        services.AddSingleton<SurveyHandler>();
        services.AddSingleton<IWorkPurposeHandler>(sp => sp.GetRequiredService<SurveyHandler>());
        services.AddSingleton<ProgramReport>();
        services.AddSingleton<AdminKeyFilter>();
        services.AddSingleton<DomainExceptionFilter>();
        services.ConfigureHttpJsonOptions(o => MentoringJson.Apply(o.SerializerOptions));
        return services;
    }

    /// <summary>The OpenAPI document of the /api routes, generated the same way on both hosts (served at /api/openapi.json).</summary>
    public static IServiceCollection AddMentoringOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Mentoring API";
            document.Info.Description = "Peer-mentoring programs: programs, registrations, forms webhooks, matching.";
            return Task.CompletedTask;
        }));
}
