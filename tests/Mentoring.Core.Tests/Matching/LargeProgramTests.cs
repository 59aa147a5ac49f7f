using Mentoring.Core.Matching;
using Mentoring.Core.Programs;

namespace Mentoring.Core.Tests.Matching;

public class LargeProgramTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Priced_path_reaches_the_same_optimum_as_the_complete_graph(int seed)
    {
        var request = RandomPrograms.Request(seed, maxPeople: 150, ProgramKind.Cohort, OddCountPolicy.Waitlist, pins: false, minPeople: 100);
        var complete = MatchingEngine.Draft(request);
        var priced = MatchingEngine.Draft(request with { Options = new MatchingOptions { LargeProgramThreshold = 10, CandidatesPerNode = 3 } });

        Assert.Contains("dual pricing", priced.Certificate!.Method, StringComparison.Ordinal);
        Assert.DoesNotContain("dual pricing", complete.Certificate!.Method, StringComparison.Ordinal);
        Assert.True(priced.Certificate.IsOptimal, priced.Certificate.VerifierReason);
        Assert.Equal(complete.Stats.Pairs, priced.Stats.Pairs);
        Assert.Equal(complete.Stats.TotalScore, priced.Stats.TotalScore);
        Assert.Equal(complete.Waitlist.Count, priced.Waitlist.Count);
    }
}
