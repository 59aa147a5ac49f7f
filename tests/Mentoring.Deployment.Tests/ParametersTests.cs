using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mentoring.Deployment.Tests;

public sealed class ParametersTests
{
    private static readonly Dictionary<string, string> Parameters = JsonDocument.Parse(Repository.Read("infra/main.parameters.json"))
        .RootElement.GetProperty("parameters").EnumerateObject()
        .ToDictionary(p => p.Name, p => p.Value.GetProperty("value").GetString()!, StringComparer.Ordinal);

    private static readonly string MainBicep = Repository.Code(Repository.Read("infra/main.bicep"));

    [Fact]
    public void Environment_name_and_location_come_from_azd()
    {
        Assert.Equal("${AZURE_ENV_NAME}", Parameters["environmentName"]);
        Assert.Equal("${AZURE_LOCATION}", Parameters["location"]);
    }

    [Fact]
    public void Every_parameter_of_main_bicep_without_a_default_is_supplied()
    {
        var required = Regex.Matches(MainBicep, @"(?m)^param\s+(\w+)\s+\w+\s*$").Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(required);
        Assert.All(required, name => Assert.Contains(name, Parameters.Keys));
    }

    [Fact]
    public void Every_supplied_parameter_exists_in_main_bicep()
    {
        Assert.All(Parameters.Keys, name => Assert.Matches($@"(?m)^param\s+{name}\s", MainBicep));
    }

    [Fact]
    public void The_outputs_azd_reads_are_there()
    {
        foreach (var output in new[] { "AZURE_LOCATION", "AZURE_TENANT_ID", "AZURE_RESOURCE_GROUP", "AZURE_FUNCTION_APP_NAME", "SERVICE_API_NAME" })
        {
            Assert.Matches($@"(?m)^output\s+{output}\s+string\s*=", MainBicep);
        }
    }

    [Fact]
    public void Every_module_main_bicep_calls_exists()
    {
        var modules = Regex.Matches(MainBicep, @"module\s+\w+\s+'([^']+)'").Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(modules);
        Assert.All(modules, module => Assert.True(File.Exists(Repository.PathOf("infra/" + module)), $"{module} is missing"));
    }
}
