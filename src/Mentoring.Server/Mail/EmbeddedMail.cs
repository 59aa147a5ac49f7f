using Mentoring.Api.Dashboard;
using Mentoring.Core.Dashboard;
using Mentoring.Api.Mail;
using Mentoring.Core.Mail;
using Mentoring.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mentoring.Server.Mail;

/// <summary>Composition of the embedded mail: SQLite outbox, its dispatcher, and the /outbox pages.</summary>
public static class EmbeddedMail
{
    /// <summary>
    /// Registers <see cref="IMailer"/> and <see cref="IMailbox"/> (one <see cref="SqliteMailOutbox"/> on
    /// <paramref name="databasePath"/>, the document store's file) and the <see cref="OutboxDispatcher"/> hosted service.
    /// Binds <c>Mentoring:Smtp</c> and <c>Mentoring:Outbox</c>. Calling it twice changes nothing.
    /// </summary>
    public static IServiceCollection AddEmbeddedMail(this IServiceCollection services, IConfiguration configuration, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        if (services.Any(d => d.ServiceType == typeof(OutboxDispatcher)))
        {
            return services;
        }

        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.Section));
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.Section));
        services.TryAddSingleton(sp => new SqliteMailOutbox(
            new SqliteStoreOptions(databasePath),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        // Addresses stored before today's address rule are suppressed at send, never queued (UndeliverableAddressFilter).
        services.TryAddSingleton<IMailer>(sp => new UndeliverableAddressFilter(sp.GetRequiredService<SqliteMailOutbox>(),
            sp.GetRequiredService<Core.Persistence.IDocumentStore>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton<IMailbox>(sp => sp.GetRequiredService<SqliteMailOutbox>());
        // The outbox keeps every mail sent: erasing a person reaches its copies too.
        services.AddSingleton<Core.Privacy.IPersonalDataCopies>(sp => sp.GetRequiredService<SqliteMailOutbox>());
        services.AddSingleton(sp => new OutboxDispatcher(
            sp.GetRequiredService<SqliteMailOutbox>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SmtpOptions>>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<OutboxOptions>>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<OutboxDispatcher>>()));
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        return services;
    }

    /// <summary>
    /// Maps <c>GET /outbox</c>, <c>GET /outbox/{id}</c> and <c>GET /outbox/{id}/attachments/{index}</c> when enabled:
    /// <c>Mentoring:Outbox:Enabled</c>, or by default in Development only. The pages show every mail (recipients,
    /// and the admins' action links), so keep them off on a server others can reach.
    /// </summary>
    public static IEndpointRouteBuilder MapOutbox(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var configuration = app.ServiceProvider.GetRequiredService<IConfiguration>();
        var environment = app.ServiceProvider.GetRequiredService<IHostEnvironment>();
        if (!IsOutboxEnabled(configuration, environment))
        {
            return app;
        }

        // The outbox shows every mail with the admins' links: only behind the dashboard's sign-in (operator, or an admin from a
        // mail link, who then sees that program's mail only).
        var outbox = app.MapGroup("/outbox").ExcludeFromDescription().AddEndpointFilter<OutboxSignIn>();
        outbox.MapGet("", OutboxPages.ListAsync).WithName("OutboxList");
        outbox.MapGet("/{id}", OutboxPages.DetailAsync).WithName("OutboxMessage");
        outbox.MapGet("/{id}/attachments/{index:int}", OutboxPages.AttachmentAsync).WithName("OutboxAttachment");
        return app;
    }

    /// <summary>
    /// Admits a request with a dashboard session; others are sent to the sign-in page. Every answer (page, attachment,
    /// 404, redirect) is never cached, never framed, never sniffed and sends no referrer: the mails hold the admins' live
    /// action links. The pages loosen the policy only for their inline styles and the mail's sandboxed frame.
    /// </summary>
    private sealed class OutboxSignIn(AdminSessions sessions) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var headers = context.HttpContext.Response.Headers;
            headers.CacheControl = "no-store";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";
            var session = sessions.Read(context.HttpContext.Request.Cookies[DashboardEndpoints.SessionCookie]);
            if (session is null)
            {
                return Results.Redirect(DashboardPaths.SignIn);
            }
            context.HttpContext.Items[typeof(AdminSession)] = session;
            return await next(context);
        }
    }

    public static bool IsOutboxEnabled(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        return configuration.GetValue<bool?>(OutboxOptions.Section + ":Enabled") ?? environment.IsDevelopment();
    }
}
