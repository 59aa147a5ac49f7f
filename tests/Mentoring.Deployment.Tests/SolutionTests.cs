namespace Mentoring.Deployment.Tests;

public sealed class SolutionTests
{
    [Fact]
    public void The_ci_filter_leaves_out_the_functions_projects_and_runs_these_tests()
    {
        var filter = Repository.Read("Mentoring.Ci.slnf");

        Assert.DoesNotContain("Mentoring.Functions", filter, StringComparison.Ordinal);
        Assert.Contains(@"tests\\Mentoring.Deployment.Tests\\Mentoring.Deployment.Tests.csproj", filter, StringComparison.Ordinal);
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
