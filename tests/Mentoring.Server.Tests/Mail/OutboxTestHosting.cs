using Mentoring.Server.Mail;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mentoring.Server.Tests.Mail;

/// <summary>
/// Embedded mail for a test server. The host composes it itself (AddEmbeddedMail, MapOutbox in EmbeddedHost); both
/// calls are idempotent here: the services are added only if missing, and the pages are served by this fallback only
/// when the host did not map them.
/// </summary>
internal static class OutboxTestHosting
{
    public static void Add(IServiceCollection services, IConfiguration configuration, string databasePath)
    {
        services.AddEmbeddedMail(configuration, databasePath);
        services.AddTransient<IStartupFilter, FallbackPages>();
    }

    private sealed class FallbackPages : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            var state = app.ApplicationServices.GetRequiredService<OutboxPagesState>();
            app.UseWhen(
                context => !state.Mapped && context.Request.Path.StartsWithSegments("/outbox"),
                branch => branch.Run(OutboxPages.HandleAsync));
            next(app);
        };
    }
}
