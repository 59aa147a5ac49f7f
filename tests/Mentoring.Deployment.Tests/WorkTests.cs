using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mentoring.Deployment.Tests;

/// <summary>
/// The engagement work on Azure: a timer function per scheduled job of the core, the queue-triggered sender, and the
/// settings both need in Azure (api.bicep) and locally (local.settings.json.example).
/// </summary>
public sealed partial class WorkTests
{
    [GeneratedRegex("""class\s+\w+\s*(?:\([^)]*\))?\s*:[^{]*\bIScheduledJob\b""")]
    private static partial Regex ScheduledJobClass();

    [GeneratedRegex("""(?:const\s+string\s+JobName\s*=|\bName\s*=>)\s*"(?<name>\w+)"\s*;""")]
    private static partial Regex JobName();

    [GeneratedRegex("""\[TimerTrigger\(\s*"%Mentoring:Schedules:(?<name>\w+)%"\s*\)\]""")]
    private static partial Regex TimerTrigger();

    [GeneratedRegex("""\[QueueTrigger\(\s*"(?<queue>[^"]+)"\s*\)\]""")]
    private static partial Regex QueueTrigger();

    [GeneratedRegex(""""\["(?<name>\w+)"\]\s*=\s*"(?<cron>[^"]+)"""")]
    private static partial Regex ServerDefault();

    private static IReadOnlyList<string> Sources(string folder) =>
        [.. Directory.EnumerateFiles(Repository.PathOf(folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)];

    /// <summary>The names of the core's <c>IScheduledJob</c> classes, read from their <c>JobName</c> constant or <c>Name =&gt;</c>.</summary>
    private static IReadOnlySet<string> CoreJobNames() =>
        Sources("src/Mentoring.Core").Where(s => ScheduledJobClass().IsMatch(s))
            .Select(s => JobName().Match(s)).Where(m => m.Success).Select(m => m.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);

    private static IReadOnlyList<string> TimerJobNames() =>
        [.. Sources("src/Mentoring.Functions").SelectMany(s => TimerTrigger().Matches(s)).Select(m => m.Groups["name"].Value)];

    private static string Api => Repository.Code(Repository.Read("infra/app/api.bicep"));

    private static IReadOnlyDictionary<string, string> ServerDefaults() =>
        ServerDefault().Matches(Repository.Read("src/Mentoring.Server/Work/ScheduledJobRunner.cs"))
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["cron"].Value, StringComparer.Ordinal);

    [Fact]
    public void The_sources_are_read_as_expected()
    {
        Assert.Superset(new HashSet<string>(["CheckIns", "SurveyReminders"], StringComparer.Ordinal), CoreJobNames().ToHashSet(StringComparer.Ordinal));
        Assert.Contains("CheckIns", ServerDefaults().Keys);
    }

    [Fact]
    public void Every_scheduled_job_of_the_core_has_exactly_one_timer_function()
    {
        var timers = TimerJobNames();

        Assert.Equal(CoreJobNames().Order(StringComparer.Ordinal), timers.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_timer_schedule_is_an_app_setting_in_azure_and_locally_with_the_servers_default()
    {
        var defaults = ServerDefaults();
        foreach (var job in TimerJobNames())
        {
            var setting = $"Mentoring__Schedules__{job}";
            Assert.Matches($@"(?m)^\s*{setting}\s*:\s*\w+", Api);
            var param = Regex.Match(Api, $@"(?m)^\s*{setting}\s*:\s*(?<param>\w+)\s*$").Groups["param"].Value;
            var bicepDefault = Regex.Match(Api, $@"param\s+{param}\s+string\s*=\s*'(?<cron>[^']+)'").Groups["cron"].Value;
            var local = LocalSettingsTests.Values[setting];

            Assert.Equal(6, local.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Equal(defaults[job], bicepDefault);
            Assert.Equal(defaults[job], local);
        }
    }

    [Fact]
    public void Trigger_settings_are_named_with_colons_because_linux_app_settings_use_double_underscores()
    {
        // The host resolves %name% in its configuration, where the app setting Mentoring__Work__QueueName is the key
        // Mentoring:Work:QueueName; a %Mentoring__...% reference would look for a key that does not exist.
        Assert.DoesNotContain(Sources("src/Mentoring.Functions"), s => s.Contains("%Mentoring__", StringComparison.Ordinal));
    }

    [Fact]
    public void One_queue_triggered_function_reads_the_work_queue_named_by_an_app_setting()
    {
        var queue = Assert.Single(Sources("src/Mentoring.Functions").SelectMany(s => QueueTrigger().Matches(s)).Select(m => m.Groups["queue"].Value));

        Assert.Equal("%Mentoring:Work:QueueName%", queue);
        Assert.Matches(@"(?m)^\s*Mentoring__Work__QueueName\s*:\s*workQueueName\s*$", Api);
        Assert.Matches(@"^[a-z0-9](?:[a-z0-9]|-(?!-)){2,54}$", LocalSettingsTests.Values["Mentoring__Work__QueueName"]); // room for "-poison"
    }

    [Fact]
    public void The_storage_module_creates_the_work_queue_and_its_poison_queue()
    {
        var storage = Repository.Code(Repository.Read("infra/app/storage.bicep"));

        Assert.Contains("Microsoft.Storage/storageAccounts/queueServices/queues@", storage, StringComparison.Ordinal);
        Assert.Contains("'${workQueueName}-poison'", storage, StringComparison.Ordinal);
        Assert.Matches(@"param workQueueName string = 'mentoring-work'", storage);
        Assert.Matches(@"param workQueueName string = 'mentoring-work'", Api);
    }

    [Fact]
    public void The_queue_is_retried_as_often_as_the_core_allows_before_the_poison_queue()
    {
        var maxAttempts = int.Parse(
            Regex.Match(Repository.Read("src/Mentoring.Core/Work/WorkItem.cs"), @"const int MaxAttempts = (\d+);").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        var queues = JsonDocument.Parse(Repository.Read("host.json")).RootElement.GetProperty("extensions").GetProperty("queues");

        Assert.Equal(maxAttempts, queues.GetProperty("maxDequeueCount").GetInt32());
        // The clients write Base64, which is what the trigger reads unless host.json says otherwise.
        Assert.False(queues.TryGetProperty("messageEncoding", out var encoding) && encoding.GetString() != "base64");
        Assert.Contains("MessageEncoding = QueueMessageEncoding.Base64", Repository.Read("src/Mentoring.Functions/FunctionsHost.cs"), StringComparison.Ordinal);
    }
}
