namespace Mentoring.Deployment.Tests;

public sealed class AzureYamlTests
{
    private static readonly Dictionary<string, object> AzureYaml = MiniYaml.Parse(Repository.Read("azure.yaml"));

    [Fact]
    public void The_one_service_api_is_a_dotnet_function_app()
    {
        var services = (Dictionary<string, object>)AzureYaml["services"];

        Assert.Equal(["api"], services.Keys);
        Assert.Equal("function", MiniYaml.Scalar(AzureYaml, "services", "api", "host"));
        Assert.Equal("dotnet", MiniYaml.Scalar(AzureYaml, "services", "api", "language"));
    }

    [Fact]
    public void The_service_project_is_the_functions_project()
    {
        var project = MiniYaml.Scalar(AzureYaml, "services", "api", "project");

        Assert.Equal("./src/Mentoring.Functions", project);
        Assert.True(File.Exists(Path.Combine(Repository.PathOf(project), "Mentoring.Functions.csproj")));
    }

    [Fact]
    public void The_reader_refuses_yaml_it_does_not_understand()
    {
        Assert.Throws<FormatException>(() => MiniYaml.Parse("services:\n  - api\n"));
    }
}
