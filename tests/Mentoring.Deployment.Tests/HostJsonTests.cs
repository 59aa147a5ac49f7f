using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mentoring.Deployment.Tests;

public sealed class HostJsonTests
{
    private static readonly JsonElement Extensions = JsonDocument.Parse(Repository.Read("host.json")).RootElement.GetProperty("extensions");

    [Fact]
    public void Http_routes_live_under_api_like_the_embedded_server()
    {
        Assert.Equal("api", Extensions.GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    public void Queue_messages_are_tried_five_times_before_the_poison_queue()
    {
        Assert.Equal(5, Extensions.GetProperty("queues").GetProperty("maxDequeueCount").GetInt32());
    }

    [Fact]
    public void The_durable_task_hub_name_comes_from_an_app_setting_that_local_and_azure_settings_define()
    {
        var hubName = Extensions.GetProperty("durableTask").GetProperty("hubName").GetString()!;
        var match = Regex.Match(hubName, "^%([A-Za-z0-9_]+)%$");
        Assert.True(match.Success, $"hubName '{hubName}' is not an %AppSetting% reference.");
        var setting = match.Groups[1].Value;

        Assert.Contains(setting, LocalSettingsTests.Values.Keys);
        Assert.Matches($@"(?m)^\s*{setting}\s*:", Repository.Code(Repository.Read("infra/main.bicep")));
    }

    [Fact]
    public void The_functions_project_ships_the_root_host_json()
    {
        var project = Repository.Read("src/Mentoring.Functions/Mentoring.Functions.csproj");

        Assert.Contains("""<None Include="..\..\host.json" Link="host.json" CopyToOutputDirectory="PreserveNewest" />""", project,
            StringComparison.Ordinal);
    }
}
