using System.Text.Json;

namespace Mentoring.Deployment.Tests;

public sealed class LocalSettingsTests
{
    internal static readonly Dictionary<string, string> Values = JsonDocument
        .Parse(Repository.Read("src/Mentoring.Functions/local.settings.json.example")).RootElement.GetProperty("Values")
        .EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);

    [Fact]
    public void Local_runs_use_azurite_and_the_isolated_worker()
    {
        Assert.Equal("UseDevelopmentStorage=true", Values["AzureWebJobsStorage"]);
        Assert.Equal("dotnet-isolated", Values["FUNCTIONS_WORKER_RUNTIME"]);
    }

    [Theory]
    [InlineData("Mentoring__Cosmos__AccountEndpoint")]
    [InlineData("Mentoring__Cosmos__DatabaseName")]
    [InlineData("Mentoring__Cosmos__ContainerName")]
    [InlineData("Mentoring__Cosmos__CreateIfMissing")]
    [InlineData("Mentoring__SigningKeys")]
    [InlineData("Mentoring__PublicBaseUrl")]
    [InlineData("Mentoring__SendGrid__ApiKey")]
    [InlineData("Mentoring__SendGrid__FromEmail")]
    [InlineData("Mentoring__SendGrid__SandboxMode")]
    [InlineData("Mentoring__SendGrid__EventWebhookPublicKey")]
    [InlineData("Mentoring__Work__QueueName")]
    [InlineData("Mentoring__Schedules__CheckIns")]
    [InlineData("Mentoring__Schedules__SurveyReminders")]
    public void Every_setting_the_app_reads_is_in_the_example_and_in_the_deployed_app_settings(string setting)
    {
        Assert.Contains(setting, Values.Keys);
        var bicep = string.Concat(Repository.Bicep().Select(f => Repository.Code(f.Text)));
        Assert.Matches($@"(?m)^\s*{setting}\s*:", bicep);
    }

    [Fact]
    public void The_example_holds_no_real_secret()
    {
        Assert.StartsWith("<", Values["Mentoring__SendGrid__ApiKey"], StringComparison.Ordinal);
        Assert.Contains("<", Values["Mentoring__SigningKeys"], StringComparison.Ordinal);
        Assert.DoesNotContain(Values.Values, v => v.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_real_local_settings_file_is_ignored_by_git()
    {
        Assert.Contains("local.settings.json", Repository.Read(".gitignore").Split('\n').Select(l => l.Trim()));
    }
}
