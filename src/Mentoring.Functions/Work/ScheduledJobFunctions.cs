using Mentoring.Core.Engagement.CheckIns;
using Mentoring.Core.Engagement.Surveys;
using Mentoring.Core.Work;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Mentoring.Functions.Work;

/// <summary>
/// One timer trigger per <see cref="IScheduledJob"/> (matched by <see cref="IScheduledJob.Name"/>): the job finds what is due
/// and enqueues it; <see cref="WorkQueueFunctions"/> sends. Jobs are idempotent, so a timer firing twice enqueues nothing new.
/// </summary>
/// <remarks>
/// <para>Schedules are six-field NCrontab expressions (seconds first), in UTC, from the app settings
/// <c>Mentoring__Schedules__{Name}</c> — the same <c>Mentoring:Schedules:{Name}</c> the embedded server reads. The attribute
/// names them with ':' (<c>%Mentoring:Schedules:CheckIns%</c>): the host resolves <c>%name%</c> in its configuration,
/// where an environment variable's <c>__</c> becomes ':', and on Linux an app setting name cannot hold ':'. A setting
/// that is missing stops the function from loading, so the Bicep and local.settings.json.example define both.</para>
/// <para>Schedule monitoring (on by default for these daily schedules) keeps the last occurrence in the host's storage; an
/// occurrence missed while the app was down runs once at start with <see cref="TimerInfo.IsPastDue"/>.</para>
/// <para>A job that throws fails this occurrence only (no retry); the next occurrence catches up, as jobs look at
/// everything due at <c>now</c>.</para>
/// </remarks>
public sealed class ScheduledJobFunctions(IEnumerable<IScheduledJob> jobs, TimeProvider clock, ILogger<ScheduledJobFunctions> logger)
{
    [Function("CheckInsTimer")]
    public Task CheckInsAsync([TimerTrigger("%Mentoring:Schedules:CheckIns%")] TimerInfo timer, FunctionContext context) =>
        RunAsync(CheckInJob.JobName, timer, context);

    [Function("SurveyRemindersTimer")]
    public Task SurveyRemindersAsync([TimerTrigger("%Mentoring:Schedules:SurveyReminders%")] TimerInfo timer, FunctionContext context) =>
        RunAsync(SurveyJob.JobName, timer, context);

    private async Task RunAsync(string jobName, TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(context);
        var matching = jobs.Where(j => string.Equals(j.Name, jobName, StringComparison.Ordinal)).ToList();
        var job = matching.Count switch
        {
            1 => matching[0],
            0 => throw new InvalidOperationException($"No scheduled job is named '{jobName}'; registered: {string.Join(", ", jobs.Select(j => j.Name))}."),
            _ => throw new InvalidOperationException($"Two scheduled jobs are named '{jobName}'."),
        };
        var now = clock.GetUtcNow();
        logger.LogInformation("Running scheduled job {Job} at {Now:O} (past due: {PastDue}).", jobName, now, timer.IsPastDue);
        await job.RunAsync(now, context.CancellationToken);
    }
}
