using Mentoring.Core.Work;
using Mentoring.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mentoring.Server.Work;

/// <summary>Composition of the embedded work pipeline: SQLite work queue, its dispatcher, and the scheduled job runner.</summary>
public static class EmbeddedWork
{
    /// <summary>
    /// Registers <see cref="IWorkQueue"/> (one <see cref="SqliteWorkQueue"/> on <paramref name="databasePath"/>, the
    /// document store's file), <see cref="WorkRouter"/> as the <see cref="IWorkHandler"/> (routing to every registered
    /// <see cref="IWorkPurposeHandler"/>), the <see cref="WorkDispatcher"/> and the <see cref="ScheduledJobRunner"/>
    /// (running every registered <see cref="IScheduledJob"/>) as hosted services. Binds <c>Mentoring:Work</c>; the
    /// runner reads <c>Mentoring:Schedules:{job}</c>. Calling it twice changes nothing.
    /// </summary>
    public static IServiceCollection AddEmbeddedWork(this IServiceCollection services, IConfiguration configuration, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        if (services.Any(d => d.ServiceType == typeof(WorkDispatcher)))
        {
            return services;
        }

        services.AddOptions<WorkOptions>().Bind(configuration.GetSection(WorkOptions.Section));
        services.TryAddSingleton(sp => new SqliteWorkQueue(
            new SqliteStoreOptions(databasePath),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<IOptions<WorkOptions>>().Value.Timings()));
        services.TryAddSingleton<IWorkQueue>(sp => sp.GetRequiredService<SqliteWorkQueue>());
        // Scoped, so purpose handlers may be scoped too; the dispatcher resolves it in a scope per pass.
        services.TryAddScoped<IWorkHandler, WorkRouter>();
        services.TryAddSingleton<IScheduleStatusStore>(sp => new SqliteScheduleStatusStore(sp.GetRequiredService<SqliteWorkQueue>()));
        services.AddSingleton(sp => new WorkDispatcher(
            sp.GetRequiredService<SqliteWorkQueue>(),
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<IOptions<WorkOptions>>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<WorkDispatcher>>()));
        services.AddHostedService(sp => sp.GetRequiredService<WorkDispatcher>());
        services.AddSingleton(sp => new ScheduledJobRunner(
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<IConfiguration>(),
            sp.GetRequiredService<IScheduleStatusStore>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<ScheduledJobRunner>>()));
        services.AddHostedService(sp => sp.GetRequiredService<ScheduledJobRunner>());
        return services;
    }

    /// <summary>Each job's last run in the work queue's SQLite file.</summary>
    private sealed class SqliteScheduleStatusStore(SqliteWorkQueue queue) : IScheduleStatusStore
    {
        public Task<DateTimeOffset?> GetLastRunAsync(string jobName, CancellationToken cancellationToken = default) =>
            queue.GetScheduleLastRunAsync(jobName, cancellationToken);

        public Task SetLastRunAsync(string jobName, DateTimeOffset at, CancellationToken cancellationToken = default) =>
            queue.SetScheduleLastRunAsync(jobName, at, cancellationToken);
    }
}
