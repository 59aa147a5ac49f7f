using Mentoring.Api;
using Mentoring.Api.Http;
using Mentoring.Core.Persistence;
using Mentoring.Core.Windows;
using Mentoring.Server.Mail;
using Mentoring.Server.Windows;
using Mentoring.Server.Work;
using Mentoring.Sqlite;
using Mentoring.Sqlite.Windows;
using Microsoft.AspNetCore.Diagnostics;

namespace Mentoring.Server;

/// <summary>Settings of the embedded host (section "Mentoring"; environment variables Mentoring__DatabasePath and so on).</summary>
public sealed class EmbeddedHostOptions
{
    public const string DefaultUrl = "http://localhost:7071";

    /// <summary>SQLite file; created with its folder on first run.</summary>
    public string DatabasePath { get; set; } = Path.Combine("data", "mentoring.db");
}

public static class EmbeddedHost
{
    public static WebApplicationBuilder AddEmbeddedHost(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Same port as `func start`, so a forms tool or script works against either host unchanged.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(EmbeddedHostOptions.DefaultUrl);
        }

        // The host's "Request starting" lines carry the full URL, and Jotform's URL carries its webhook secret (?token=):
        // keep them out whatever the configured level. Webhook deliveries are logged by the intake, with the token redacted.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", level => level >= LogLevel.Warning);
        var options = builder.Configuration.GetSection("Mentoring").Get<EmbeddedHostOptions>() ?? new EmbeddedHostOptions();
        var databasePath = Path.GetFullPath(options.DatabasePath, builder.Environment.ContentRootPath);
        if (string.IsNullOrEmpty(builder.Configuration["Mentoring:SigningKeys"]))
        {
            builder.Configuration["Mentoring:SigningKeys"] = SigningKeyFile.LoadOrCreate(databasePath, warning => Console.Error.WriteLine("warning: " + warning));
        }
        var sqlite = new SqliteStoreOptions(databasePath);
        builder.Services.AddSingleton<IDocumentStore>(_ => new SqliteDocumentStore(sqlite));
        builder.Services.AddSingleton(services => new SqliteWindowHost(sqlite, services.GetRequiredService<IWindowActivities>(),
            services.GetRequiredService<TimeProvider>(),
            (what, error) => services.GetRequiredService<ILogger<SqliteWindowHost>>().LogWarning(error, "Window command {Command} failed; it will be retried.", what)));
        builder.Services.AddSingleton<IWindowHost>(services => services.GetRequiredService<SqliteWindowHost>());
        builder.Services.AddHostedService<WindowRunnerService>();
        builder.Services.AddEmbeddedMail(builder.Configuration, databasePath);
        builder.Services.AddEmbeddedWork(builder.Configuration, databasePath);
        builder.Services.AddMentoringApi(builder.Configuration);
        builder.Services.AddProblemDetails();
        builder.Services.AddPublicRateLimit(builder.Configuration);
        builder.Services.AddMentoringOpenApi();
        return builder;
    }

    public static WebApplication UseEmbeddedHost(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler(errors => errors.Run(async context =>
        {
            // Kestrel's own refusals (a body over its limit, a malformed request) are the client's doing: 4xx, never 500.
            var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var result = error is BadHttpRequestException bad
                ? Problems.Problem(bad.StatusCode, "bad-request", "Bad request", bad.Message)
                : Problems.Unhandled();
            await result.ExecuteAsync(context);
        }));
        // Routing refuses some requests before any handler runs (wrong content type, unknown route, wrong method):
        // give those the same problem documents the handlers give.
        app.UseStatusCodePages(async context =>
        {
            var response = context.HttpContext.Response;
            var result = response.StatusCode switch
            {
                StatusCodes.Status415UnsupportedMediaType => Problems.Problem(415, "unsupported-media-type", "Unsupported media type",
                    $"Send the body as application/json; got '{context.HttpContext.Request.ContentType ?? "no Content-Type"}'.", "Content-Type"),
                StatusCodes.Status404NotFound => Problems.Problem(404, "not-found", "Not found", "There is no such route; see /api/openapi.json."),
                StatusCodes.Status405MethodNotAllowed => Problems.Problem(405, "method-not-allowed", "Method not allowed",
                    $"{context.HttpContext.Request.Method} is not allowed on this route; see /api/openapi.json."),
                _ => Problems.Problem(response.StatusCode, "http-" + response.StatusCode, "Request refused", $"The request was refused with status {response.StatusCode}."),
            };
            await result.ExecuteAsync(context.HttpContext);
        });
        app.UseRateLimiter(); // Mentoring:RateLimit; off unless configured
        app.MapOpenApi("/api/openapi.json");
        return app;
    }
}
