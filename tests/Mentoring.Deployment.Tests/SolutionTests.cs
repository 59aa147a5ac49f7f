namespace Mentoring.Deployment.Tests;

public sealed class SolutionTests
{
    [Fact]
    public void The_test_command_runs_the_whole_solution()
    {
        Assert.Contains("dotnet test Mentoring.sln", Repository.Read("dev"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"src\Mentoring.Functions\Mentoring.Functions.csproj")]
    [InlineData(@"tests\Mentoring.Functions.Tests\Mentoring.Functions.Tests.csproj")]
    [InlineData(@"tests\Mentoring.Deployment.Tests\Mentoring.Deployment.Tests.csproj")]
    public void The_solution_holds_the_azure_projects(string project)
    {
        Assert.Contains(project, Repository.Read("Mentoring.sln"), StringComparison.Ordinal);
    }
}
