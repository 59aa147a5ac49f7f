using Mentoring.Sqlite.Windows;

namespace Mentoring.Server.Windows;

/// <summary>
/// Drives the embedded workflow runner: on start it resumes whatever a stop interrupted (timers that fell due while
/// the server was down fire now), then wakes for each due timer or command retry. Events raised over HTTP are
/// processed inline by the runner; this loop only covers time.
/// </summary>
public sealed class WindowRunnerService(SqliteWindowHost host, TimeProvider clock, ILogger<WindowRunnerService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await host.RunDueAsync(stoppingToken);
                var next = await host.NextDueAsync(stoppingToken);
                var sleep = next is { } due ? due - clock.GetUtcNow() : MaxSleep;
                await Task.Delay(sleep < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : sleep > MaxSleep ? MaxSleep : sleep,
                    clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The window runner failed; retrying shortly.");
                await Task.Delay(TimeSpan.FromSeconds(5), clock, stoppingToken);
            }
        }
    }
}
